using System.Globalization;

namespace CnnGen.Tool.Report
{
    internal sealed partial class ReportText
    {
        public static readonly ReportText Chinese = new()
        {
            Culture = CultureInfo.GetCultureInfo("zh-Hans"),
            IsChinese = true,
            ReportTitle = "CnnGen 网络报告",
            PageOf = "第 {0} 页，共 {1} 页",
            NetworksHeading = "本报告中的网络",
            SourceLine = "读取自：{0}",
            FontsLine = "字体：{0}",
            Intro = "每个网络依次给出：结构图、层表、每一层用它自己的数字代入的公式、每条诊断的含义与修正方法，以及它用到的概念。" +
                    "所有数字都来自 CnnGen 分析器所用的同一个声明读取器和形状检查器，也就是构建时计算出的结果。" +
                    "形状按通道在前书写：C x H x W（一维为 C x L，三维为 C x D x H x W）。",

            TitleLine = "{0}：{1} -> {2}，参数 {3} 个，每个样本 {4} 次乘加（MACs），激活内存峰值 {5}",
            Floats = "{0} 个浮点数（{1}）",
            NotComputed = "未计算（网络有错误）",
            DeclaredAt = "声明位置：{0}。",
            StatusClean = "没有错误或警告：网络可以按声明构建。",
            StatusFindings = "{0} 个错误，{1} 个警告，{2} 条提示：每一条都在“诊断”一节以及它所涉及的层中解释。",
            StatusErrors = "网络有错误，因此 CnnGen 不会为它生成代码；报告给出第一个错误之前的各层，并解释这个错误。",
            CompilerErrors = "C# 编译器无法绑定此类型的特性，因此 CnnGen 不检查它（编译器自己的错误信息才是准确的）：",

            ArchitectureHeading = "网络结构",
            DiagramCaption = "每个方框是一层：名称、类型和输出形状。旁边的图形按特征图的大小绘制（特征图越大，方块越大；通道越多，叠放的层越多；" +
                             "向量画成竖条）。分支从分叉点起并排向下，在合并处相遇：+ 表示相加（Residual），C 表示按通道拼接（Concat），" +
                             "x 表示相乘（Multiply）；没有方框的分支是恒等映射，即 x 本身。",
            TableHeading = "层表",
            TableHeaders = new[] { "#", "名称", "层", "输出", "填充", "参数", "感受野", "乘加" },
            InputRow = "输入",
            WholeInput = "整个输入",
            ShortcutLabel = "（捷径：{0}）",
            BranchLabel = "（分支 {0}：{1}）",
            GateLabel = "（门控：{0}）",
            TableTotals = "合计",

            LayersHeading = "逐层计算",
            LayersIntro = "每一层给出规范中的公式，并代入本网络的数字：I 是某一维的输入尺寸，F 是卷积核大小，S 是步幅，P_start 和 P_end 是两端的填充，" +
                          "K 是滤波器个数，C 是输入通道数，O 是输出尺寸，R 是感受野，J 是跳距（相邻单元之间相隔的输入格数）。",
            InputOutput = "输入 {0} -> 输出 {1}",
            InsideUse = "位于 {0} 内，{1}",
            PaddingLabel = "填充",
            OutputLabel = "输出尺寸",
            ParametersLabel = "参数",
            FieldLabel = "感受野",
            MacsLabel = "乘加次数",
            KernelLabel = "卷积核",
            ChannelsLabel = "通道",

            ValidPadding = "Valid：P_start = P_end = 0",
            SamePadding = "Same：P = S*ceil(I/S) - I + F - S = {0}；P_start = floor(P/2) = {1}，P_end = P - P_start = {2}",
            Clamped = "（为负，取 0）",
            FullPadding = "Full：P_start = P_end = F - 1 = {0} - 1 = {1}",
            ExplicitPadding = "显式：P_start = {0}，P_end = {1}",
            Dilated = "膨胀 D = {0}：窗口跨越 D*(F - 1) + 1 = {0}*({1} - 1) + 1 = {2} 格，下面以此作为 F",
            Floored = "不是整数：与所有框架一样向下取整；补齐后输入的最后 {0} 个位置永远不会被窗口覆盖",
            PoolNoWeights = "0（池化没有权重：它逐通道进行）",
            NoWeights = "0",
            NoBias = "（无偏置）",
            PoolNoMacs = "0（只有比较或加法，没有与权重的乘法）",
            ConvMacs = "输出位置数 * K * 每个滤波器的权重数 = {0} * {1} * {2} = {3}",
            FlattenLine = "N = {0} = {1}：按 C 顺序（先通道，再行，再列）依次排列的数值",
            ElementWise = "g(z) = {0}，逐个作用于 {1} 个数值：形状不变；参数 0 个",
            SoftmaxLine = "p_i = e^(x_i - max) / sum_j e^(x_j - max)，作用于 {0} 个数值：它们变成和为 1 的概率；参数 0 个",
            GlobalPoolLine = "{0} 个通道各自变成一个数：其 {2} = {3} 个位置的{1}；参数 0 个",
            Average = "平均值",
            Maximum = "最大值",
            BatchNormLine = "y = (x - mean) / sqrt(variance + eps) * scale + bias，逐通道计算（eps = {0}）；形状不变",
            DropoutLine = "推理时为恒等映射（比率 {0} 只在训练时起作用）；参数 0 个",
            UpsampleLine = "O = s*I = {0}*{1} = {2}（最近邻：每个值重复 s 次）",
            FieldSame = "R 仍为 R_in = {0}：这一层每次只看一个位置",
            FieldWhole = "每个单元都看到整个输入",
            FieldMerge = "取各路径中最大的：max({0}) = {1}",
            ResidualLine = "y = {0}(x) + {1}(x){2}：{3} + {4} -> {5}；两边的形状必须完全相同",
            ThenReLU = "，再做 ReLU",
            ConcatLine = "通道 K = {0} = {1}；每个分支的空间尺寸都是 {2}",
            MultiplyLine = "y = x * {0}(x)：{1} * {2} -> {1}（{3}）",
            Broadcast = "每个通道一个系数，广播到所有位置",
            SameShape = "逐元素相乘",
            SequentialLine = "{0} 的各层，在此按顺序运行",
            SumOfParts = "内部各层之和：{0}",
            Identity = "恒等",
            StoppedHere = "{0} 之后的形状没有计算：一个错误使形状推断在此停止（见诊断）。",

            DiagnosticsHeading = "诊断",
            DiagnosticsIntro = "CnnGen 分析器对本网络报告的每一条诊断，与构建输出一致，并说明位置、含义和修正方法。",
            NoDiagnostics = "无：CnnGen 对本网络没有任何报告。",
            Error = "错误",
            Warning = "警告",
            Info = "提示",
            Where = "位置：{0}",
            Explanation = "含义：",
            CodeFix = "IDE 可以替你应用这个修正：在诊断上按 Ctrl+.。",
            HelpPage = "详见：{0}",
            AtLayer = "层 {0}",
            AtNetwork = "[ConvNet] 特性",
            InBlock = "块 {0}",

            ConceptsHeading = "本网络用到的概念",
            ConceptsIntro = "按 CnnGen 所遵循的规范，简要解释上面各层所依赖的每个概念。",
            CurveCaption = "g(z) = {0}",

            Convolution = new("卷积",
                "卷积用 K 个滤波器在输入上滑动。每个滤波器是一个 F x F 的权重窗口（对 C 个输入通道各有一片，共 F x F x C 个权重）；" +
                "在每个位置，它把窗口与其下方的输入逐项相乘，全部相加，再加上偏置，写出一个值。一个滤波器产生一个输出通道，K 个滤波器产生 K 个通道。" +
                "同一组权重在所有位置共享，所以卷积的参数相对于它的计算量很少：(F*F*C + 1)*K。"),
            Hyperparameters = new("超参数：F、S、P、K、膨胀",
                "F 是卷积核大小，S 是步幅（窗口每次移动的格数；S = 2 使特征图减半），P 是在边界补的填充，K 是滤波器个数。" +
                "膨胀 D 使窗口的各个抽头相隔 D 格，用同样的权重跨越 D*(F - 1) + 1 格。每一维的输出尺寸为 O = (I - F + P_start + P_end) / S + 1。" +
                "通常 S < F，特征图减半时 K 常常加倍。"),
            GroupedConvolution = new("分组卷积",
                "分为 G 组时，通道被分成 G 组，每个滤波器只看本组的 C/G 个通道：参数为 (F*F*C/G + 1)*K。C 和 K 都必须能被 G 整除。"),
            DepthwiseConvolution = new("深度卷积",
                "深度卷积为每个输入通道配一个滤波器（或 M 个，M 为倍数），每个只看自己的通道（G = C）：参数为 (F*F + 1)*M*C。" +
                "MobileNet 在它之后接一个 1x1 卷积来混合各通道。"),
            Padding = new("填充：Valid、Same、Full、显式",
                "填充在输入周围补零，使窗口可以以边界格为中心。Valid 不补：O = (I - F)/S + 1，特征图变小。" +
                "Same 共补 P = S*ceil(I/S) - I + F - S（小于 0 时取 0），P_start = floor(P/2)，多出的一格补在末尾，使 O = ceil(I/S)：S = 1 时尺寸不变。" +
                "Full 两边各补 F - 1：窗口从头到尾看到整个输入，O = (I + F - 2)/S + 1。显式填充由你给出 P_start 和 P_end。" +
                "最大池化中补出的格永远不会胜出；平均池化默认不把补出的格计入个数，除非设置 CountIncludePad。"),
            Divisibility = new("输出尺寸不是整数时",
                "只有当 I - F + P_start + P_end 能被 S 整除时，O = (I - F + P_start + P_end)/S + 1 才是精确的。不能整除时，各框架把除法向下取整，" +
                "输入最后的几行或几列永远不会被读取。CnnGen 与它们一样计算取整后的尺寸，并给出警告（CNN0011），指出能使其精确的填充或步幅；" +
                "如果跳过的只是填充，则只给出提示（CNN0018）。"),
            Pooling = new("池化",
                "池化用 F x F 的窗口对每个通道单独降采样：最大池化保留最大值（保留检测到的最强特征，最为常用），平均池化取平均值（LeNet 使用）。" +
                "步幅默认等于 F，窗口互不重叠。池化没有参数，通道数不变。"),
            GlobalPooling = new("全局池化",
                "全局平均（或最大）池化把每个通道的所有位置归约为一个值：C x H x W 变成向量 [C]。它可以替代网络末端很大的全连接层。"),
            Flatten = new("展平",
                "展平把 C x H x W 的张量按 C 顺序（逐通道、逐行）排成一个含 C*H*W 个值的向量，供全连接层读取：7x7x512 的特征图得到 N_in = 25088。"),
            Dense = new("全连接层（Dense）",
                "全连接层把每个输入连到每个输出：y = W x + b，W 有 N_out x N_in 个权重，每个输出一个偏置，共 (N_in + 1)*N_out 个参数。" +
                "它需要向量输入（先展平）。最后几层给出各类别的分数；神经元个数不受结构约束。"),
            BatchNorm = new("批归一化",
                "推理时，批归一化用四个学到的数对每个通道做缩放和平移：y = (x - mean)/sqrt(var + eps) * scale + bias（4*C 个参数）。" +
                "CnnGen 把它折叠进前面的卷积，运行时不增加开销。"),
            Dropout = new("Dropout",
                "Dropout 在训练时随机置零一些值以防止过拟合；推理时它是恒等映射。保留它是为了让层名与训练好的模型一致。"),
            Upsample = new("上采样",
                "按整数倍 s 的最近邻上采样把每个值在每一维上重复 s 次：O = s*I。它没有参数；U-Net 用它把特征图放大回来。"),
            ZeroPad = new("作为一层的零填充",
                "ZeroPad 在特征图周围补零（O = I + P_start + P_end），也可以在已有通道之后追加全零通道：这就是原始 ResNet 中不带权重、使通道加倍的捷径。"),
            ReLU = new("ReLU", "ReLU(z) = max(0, z)：负值变为 0，正值原样通过。计算便宜，z > 0 时梯度不会消失；是默认的选择。"),
            LeakyReLU = new("Leaky ReLU", "LeakyReLU(z) = max(eps*z, z)，在 0 以下有一个小斜率 eps（默认 0.01），使单元永远不会完全停止学习。"),
            ELU = new("ELU", "ELU(z)：z > 0 时为 z，否则为 alpha*(e^z - 1)（默认 alpha = 1）：曲线平滑，负输出使均值更接近 0。"),
            Sigmoid = new("Sigmoid", "sigmoid(z) = 1 / (1 + e^-z) 把每个值映射到 (0, 1)：用作是/否输出的概率，或用作门控。"),
            Tanh = new("Tanh", "tanh(z) = (e^z - e^-z) / (e^z + e^-z) 把每个值映射到 (-1, 1)，以 0 为中心。"),
            Softmax = new("Softmax",
                "softmax 把一组分数变成概率：p_i = e^(x_i) / sum_j e^(x_j)，实际按 e^(x_i - max) / sum_j e^(x_j - max) 计算，不会溢出。" +
                "曲线画的是两个分数 (z, 0) 时的 p_1。"),
            ReLU6 = new("ReLU6", "ReLU6(z) = min(max(0, z), 6)：上限为 6 的 ReLU，使数值保持在低精度运算能处理的范围内（MobileNet）。"),
            HardSigmoid = new("Hard sigmoid", "hard_sigmoid(z) = max(0, min(1, z/6 + 1/2))：分段线性的 sigmoid，不需要指数运算。"),
            HardSwish = new("Hard swish", "hard_swish(z) = z * hard_sigmoid(z)：MobileNetV3 使用的 SiLU 的廉价版本。"),
            SiLU = new("SiLU（swish）", "SiLU(z) = z * sigmoid(z)：平滑，0 以下略为负，z 较大时接近 ReLU。"),
            ReceptiveField = new("感受野",
                "一个单元的感受野是它所依赖的输入区域。逐层地，R_k = R_(k-1) + (F_k - 1)*J_(k-1)，其中跳距 J 是该层之前各步幅之积（S_0 = 1）：" +
                "合起来 R_k = 1 + sum_j (F_j - 1) * prod_(i<j) S_i。两个 3x3、步幅 1 的卷积依次看到 3 格和 5 格。池化层按自己的 F 和 S 计算；" +
                "激活函数不改变感受野；展平或全局池化之后，一个单元看到整个输入。合并处取各路径中最大的感受野。"),
            ParametersAndMacs = new("参数与乘加次数",
                "参数是学到的数值：卷积为 (F*F*C/G + 1)*K，全连接层为 (N_in + 1)*N_out，池化和激活函数为 0。" +
                "乘加次数（MACs）衡量一个样本的计算量：卷积在每个输出位置、对 K 个滤波器各做 F*F*C/G 次；全连接层做 N_in*N_out 次。"),
            Memory = new("激活内存峰值",
                "一个样本运行时需要同时保存的张量的最大总大小：一个张量从计算它的层一直保留到最后读取它的层（残差连接要保留 x 直到求和）；" +
                "激活函数原地计算。权重不计算在内。"),
            Blocks = new("块",
                "[Block] 类型是一段可复用的层序列，没有自己的输入形状：它在每个使用处按收到的形状检查，其中的层以使用处命名（layer1.0.conv1）。"),
            Residual = new("残差连接",
                "残差连接把输入加回来：y = B(x) + S(x)，未给出捷径时 S 为恒等映射（ResNet 对和再做 ReLU）。两边的形状必须完全相同；" +
                "使特征图减半或改变通道数的块需要投影捷径，即步幅与块相同、有 K 个滤波器的 1x1 卷积。它使很深的网络能够训练。"),
            Concat = new("分支拼接",
                "多个分支读取同一个 x，它们的输出沿通道拼接：空间尺寸必须一致，通道数相加（Inception 模块：64 + 128 + 32 = 224 个通道）。"),
            Multiply = new("门控（Multiply）",
                "y = x * G(x)：由 x 计算出的门控对 x 进行缩放，可以每个通道一个系数（向量 [C]，广播：squeeze-and-excitation），也可以每个值一个系数（与 x 形状相同）。"),
        };
    }
}

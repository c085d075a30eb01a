using System.Globalization;

namespace CnnGen.Tool.Report
{
    internal sealed partial class ReportText
    {
        public static readonly ReportText English = new()
        {
            Culture = CultureInfo.InvariantCulture,
            IsChinese = false,
            ReportTitle = "CnnGen report",
            PageOf = "page {0} / {1}",
            NetworksHeading = "Networks in this report",
            SourceLine = "Read from: {0}",
            FontsLine = "Fonts: {0}",
            Intro = "For every network: its architecture drawn, the layer table, each layer's formulas worked out with its own numbers, " +
                    "every diagnostic with its explanation and fix, and the concepts it uses. The numbers come from the same declaration " +
                    "reader and shape checker as the CnnGen analyzer, so they are what the build computes. Shapes are channels first: " +
                    "C x H x W (C x L in 1D, C x D x H x W in 3D).",

            TitleLine = "{0}: {1} -> {2}, {3} parameters, {4} multiply-accumulates (MACs) per sample, peak activation memory {5}",
            Floats = "{0} floats ({1})",
            NotComputed = "not computed (the network has errors)",
            DeclaredAt = "Declared at {0}.",
            StatusClean = "No errors or warnings: the network builds as declared.",
            StatusFindings = "{0} error(s), {1} warning(s), {2} message(s): each is explained under Diagnostics, and at the layer it concerns.",
            StatusErrors = "The network has errors, so CnnGen does not generate its code; the report shows the layers up to the first error and explains it.",
            CompilerErrors = "The C# compiler cannot bind the attributes of this type, so CnnGen does not check it (the compiler's own error is the precise one):",

            ArchitectureHeading = "Architecture",
            DiagramCaption = "Each box is a layer: its name, its kind and the shape of its output. The picture beside it is drawn to the size of " +
                             "the feature map (a bigger map, a bigger square; more channels, more sheets; a vector is a bar). Branches run side " +
                             "by side from the point where they split and meet at their merge: + adds (Residual), C joins the channels (Concat), " +
                             "x multiplies (Multiply); a branch with no box is the identity, x itself.",
            TableHeading = "Layer table",
            TableHeaders = new[] { "#", "name", "layer", "output", "padding", "parameters", "receptive field", "MACs" },
            InputRow = "input",
            WholeInput = "whole input",
            ShortcutLabel = "(shortcut: {0})",
            BranchLabel = "(branch {0}: {1})",
            GateLabel = "(gate: {0})",
            TableTotals = "total",

            LayersHeading = "Layer by layer",
            LayersIntro = "Each layer with the formulas of the specification and this network's numbers: I is the input size along a " +
                          "dimension, F the kernel, S the stride, P_start and P_end the padding, K the filters, C the input channels, " +
                          "O the output size, R the receptive field and J the jump (the input cells between neighbouring units).",
            InputOutput = "input {0} -> output {1}",
            InsideUse = "inside {0}, {1}",
            PaddingLabel = "padding",
            OutputLabel = "output size",
            ParametersLabel = "parameters",
            FieldLabel = "receptive field",
            MacsLabel = "multiply-accumulates",
            KernelLabel = "kernel",
            ChannelsLabel = "channels",

            ValidPadding = "Valid: P_start = P_end = 0",
            SamePadding = "Same: P = S*ceil(I/S) - I + F - S = {0}; P_start = floor(P/2) = {1}, P_end = P - P_start = {2}",
            Clamped = " (negative: clamped to 0)",
            FullPadding = "Full: P_start = P_end = F - 1 = {0} - 1 = {1}",
            ExplicitPadding = "explicit: P_start = {0}, P_end = {1}",
            Dilated = "dilation D = {0}: the window spans D*(F - 1) + 1 = {0}*({1} - 1) + 1 = {2} cells, used as F below",
            Floored = "not an integer: floored, as every framework does; the last {0} position(s) of the padded input are never reached",
            PoolNoWeights = "0 (pooling has no weights: it works on each channel alone)",
            NoWeights = "0",
            NoBias = " (no bias)",
            PoolNoMacs = "0 (comparisons or additions, no multiplications by weights)",
            ConvMacs = "output positions * K * weights per filter = {0} * {1} * {2} = {3}",
            FlattenLine = "N = {0} = {1}: the values one after another in C-order (channel, then row, then column)",
            ElementWise = "g(z) = {0}, applied to each of the {1} values: the shape does not change; 0 parameters",
            SoftmaxLine = "p_i = e^(x_i - max) / sum_j e^(x_j - max) over the {0} values: they become probabilities that add up to 1; 0 parameters",
            GlobalPoolLine = "each of the {0} channels becomes one value, the {1} of its {2} = {3} positions; 0 parameters",
            Average = "average",
            Maximum = "maximum",
            BatchNormLine = "y = (x - mean) / sqrt(variance + eps) * scale + bias, per channel (eps = {0}); the shape does not change",
            DropoutLine = "the identity at inference (the rate {0} applies only in training); 0 parameters",
            UpsampleLine = "O = s*I = {0}*{1} = {2} (each value repeated s times, nearest neighbour)",
            FieldSame = "R stays R_in = {0}: the layer looks at one position at a time",
            FieldWhole = "every unit sees the whole input",
            FieldMerge = "the largest of its paths': max({0}) = {1}",
            ResidualLine = "y = {0}(x) + {1}(x){2}: {3} + {4} -> {5}; both sides must have exactly the same shape",
            ThenReLU = ", then ReLU",
            ConcatLine = "channels K = {0} = {1}; every branch keeps the spatial size {2}",
            MultiplyLine = "y = x * {0}(x): {1} * {2} -> {1} ({3})",
            Broadcast = "one factor per channel, broadcast over every position",
            SameShape = "element by element",
            SequentialLine = "the layers of {0}, run here in order",
            SumOfParts = "the sum of the layers inside: {0}",
            Identity = "Identity",
            StoppedHere = "The shapes after {0} are not computed: an error stops the shape inference there (see the diagnostic).",

            DiagnosticsHeading = "Diagnostics",
            DiagnosticsIntro = "Every diagnostic the CnnGen analyzer reports on this network, as the build prints it, with where it is, what it means and how to fix it.",
            NoDiagnostics = "None: CnnGen reports nothing on this network.",
            Error = "error",
            Warning = "warning",
            Info = "info",
            Where = "Where: {0}",
            Explanation = "What it means: ",
            CodeFix = "The IDE applies this fix for you: Ctrl+. on the diagnostic.",
            HelpPage = "More: {0}",
            AtLayer = "layer {0}",
            AtNetwork = "the [ConvNet] attribute",
            InBlock = "block {0}",

            ConceptsHeading = "The concepts this network uses",
            ConceptsIntro = "A short explanation of each idea the layers above rely on, after the specification CnnGen follows.",
            CurveCaption = "g(z) = {0}",

            Convolution = new("Convolution",
                "A convolution slides K filters over the input. Each filter is a small window of F x F weights (F x F x C, one slice per " +
                "input channel); at every position it multiplies the window by the input under it, adds everything and its bias, and " +
                "writes one value. One filter gives one output channel, so K filters give K channels. The same weights are used at " +
                "every position, which is why a convolution has few parameters for the work it does: (F*F*C + 1)*K."),
            Hyperparameters = new("Hyperparameters: F, S, P, K, dilation",
                "F is the kernel size, S the stride (how many cells the window moves; S = 2 halves the map), P the padding added at the " +
                "borders, K the number of filters. Dilation D spreads the window's taps D cells apart, so it spans D*(F - 1) + 1 cells " +
                "with the same weights. The output size along each dimension is O = (I - F + P_start + P_end) / S + 1. Usually S < F, " +
                "and K often doubles when the map is halved."),
            GroupedConvolution = new("Grouped convolution",
                "With G groups the channels are split into G groups and each filter only sees the C/G channels of its group: " +
                "parameters (F*F*C/G + 1)*K. C and K must both be divisible by G."),
            DepthwiseConvolution = new("Depthwise convolution",
                "A depthwise convolution has one filter (or M, the multiplier) per input channel, each seeing only its own channel " +
                "(G = C): parameters (F*F + 1)*M*C. MobileNet follows it with a 1x1 convolution that mixes the channels."),
            Padding = new("Padding: Valid, Same, Full, explicit",
                "Padding adds zeros around the input so the window can be centred on the border cells. Valid adds none: O = (I - F)/S + 1, " +
                "the map shrinks. Same adds P = S*ceil(I/S) - I + F - S in total (never below 0), P_start = floor(P/2) and the extra cell " +
                "at the end, so that O = ceil(I/S): with S = 1 the size is kept. Full adds F - 1 on both sides: the window sees the input " +
                "end to end, O = (I + F - 2)/S + 1. Explicit pads give P_start and P_end yourself. For max pooling a padded cell never " +
                "wins; average pooling leaves padded cells out of the count unless CountIncludePad is set."),
            Divisibility = new("When the output size is not an integer",
                "O = (I - F + P_start + P_end)/S + 1 is exact only when I - F + P_start + P_end is divisible by S. When it is not, frameworks " +
                "floor the division and the last input rows or columns are never read. CnnGen computes the floored size as they do and " +
                "warns (CNN0011), naming the padding or stride that makes it exact; when only padding is skipped it just informs (CNN0018)."),
            Pooling = new("Pooling",
                "Pooling downsamples each channel alone with a window of F x F: max pooling keeps the largest value (it preserves the " +
                "strongest detected feature and is the most common), average pooling the mean (used in LeNet). The stride defaults to F, " +
                "so windows do not overlap. Pooling has no parameters and keeps the number of channels."),
            GlobalPooling = new("Global pooling",
                "Global average (or max) pooling reduces each channel to one value over all its positions: C x H x W becomes the vector " +
                "[C]. It can replace a large fully connected layer at the end of a network."),
            Flatten = new("Flatten",
                "Flatten lays a C x H x W tensor out as one vector of C*H*W values in C-order (channel by channel, row by row), so that " +
                "a fully connected layer can read it: a 7x7x512 map gives N_in = 25088."),
            Dense = new("Fully connected (Dense)",
                "A fully connected layer connects every input to every output: y = W x + b, with W of N_out x N_in weights and one bias " +
                "per output, (N_in + 1)*N_out parameters. It needs a vector (flatten first). The last ones produce the class scores; " +
                "their number of neurons is free of structural constraints."),
            BatchNorm = new("Batch normalisation",
                "At inference, batch normalisation scales and shifts each channel with four learned numbers: y = (x - mean)/sqrt(var + eps) " +
                "* scale + bias (4*C parameters). CnnGen folds it into the convolution before it, so it costs nothing at run time."),
            Dropout = new("Dropout",
                "Dropout zeroes random values while training to prevent over-fitting; at inference it is the identity. It is kept in " +
                "the declaration so the layer names match the trained model's."),
            Upsample = new("Upsampling",
                "Nearest-neighbour upsampling by an integer factor s repeats each value s times along each dimension: O = s*I. It has " +
                "no parameters; U-Nets use it to grow the map back."),
            ZeroPad = new("Zero padding as a layer",
                "ZeroPad adds zeros around the map (O = I + P_start + P_end) and, optionally, zero channels after the existing ones: " +
                "the original ResNet's shortcut that doubles the channels without weights."),
            ReLU = new("ReLU", "ReLU(z) = max(0, z): negative values become 0, positive ones pass. Cheap, and its gradient does not vanish for z > 0; the default choice."),
            LeakyReLU = new("Leaky ReLU", "LeakyReLU(z) = max(eps*z, z) with a small slope eps (0.01 by default) below 0, so a unit never stops learning entirely."),
            ELU = new("ELU", "ELU(z) = z for z > 0, alpha*(e^z - 1) otherwise (alpha = 1 by default): smooth, and its negative outputs push the mean towards 0."),
            Sigmoid = new("Sigmoid", "sigmoid(z) = 1 / (1 + e^-z) maps every value into (0, 1): a probability for one yes/no output, or a gate."),
            Tanh = new("Tanh", "tanh(z) = (e^z - e^-z) / (e^z + e^-z) maps every value into (-1, 1), centred on 0."),
            Softmax = new("Softmax",
                "softmax turns a vector of scores into probabilities: p_i = e^(x_i) / sum_j e^(x_j), computed as e^(x_i - max) / " +
                "sum_j e^(x_j - max) so it cannot overflow. The curve shows p_1 for two scores (z, 0)."),
            ReLU6 = new("ReLU6", "ReLU6(z) = min(max(0, z), 6): ReLU capped at 6, which keeps values in a range low-precision arithmetic handles (MobileNet)."),
            HardSigmoid = new("Hard sigmoid", "hard_sigmoid(z) = max(0, min(1, z/6 + 1/2)): a piecewise-linear sigmoid that needs no exponential."),
            HardSwish = new("Hard swish", "hard_swish(z) = z * hard_sigmoid(z): the cheap version of SiLU used by MobileNetV3."),
            SiLU = new("SiLU (swish)", "SiLU(z) = z * sigmoid(z): smooth, slightly negative below 0, close to ReLU for large z."),
            ReceptiveField = new("Receptive field",
                "The receptive field of a unit is the patch of the input it depends on. Layer by layer, R_k = R_(k-1) + (F_k - 1)*J_(k-1), " +
                "where J, the jump, is the product of the strides before the layer (S_0 = 1): in total R_k = 1 + sum_j (F_j - 1) * " +
                "prod_(i<j) S_i. Two 3x3 stride-1 convolutions see 3, then 5 cells. Pooling counts with its own F and S; activations " +
                "change nothing; after a flatten or global pooling a unit sees the whole input. A merge sees the largest of its paths'."),
            ParametersAndMacs = new("Parameters and multiply-accumulates",
                "Parameters are the learned numbers: (F*F*C/G + 1)*K for a convolution, (N_in + 1)*N_out for a dense layer, 0 for " +
                "pooling and activations. Multiply-accumulates (MACs) measure the work of one sample: a convolution does F*F*C/G of " +
                "them for each of its K filters at each output position; a dense layer N_in*N_out."),
            Memory = new("Peak activation memory",
                "The largest total size of the tensors one sample needs at the same time while it runs: a tensor lives from the layer " +
                "that computes it to the last one that reads it (a residual keeps x until its sum); activations work in place. The " +
                "weights are not counted."),
            Blocks = new("Blocks",
                "A [Block] type is a reusable sequence of layers without an input shape of its own: it is checked with the shape it " +
                "receives wherever it is used, and its layers are named after the use (layer1.0.conv1)."),
            Residual = new("Residual connection",
                "A residual adds the input back: y = B(x) + S(x), S the identity unless a shortcut is given (ResNet applies ReLU to the " +
                "sum). Both sides must have exactly the same shape; a block that halves the map or changes the channels needs a " +
                "projection shortcut, a 1x1 convolution with the block's stride and K filters. It lets very deep networks train."),
            Concat = new("Concatenation of branches",
                "Several branches read the same x and their outputs are joined along the channels: the spatial sizes must agree, the " +
                "channels add up (an Inception module: 64 + 128 + 32 = 224 channels)."),
            Multiply = new("Gating (Multiply)",
                "y = x * G(x): a gate computed from x scales it, one factor per channel (a vector [C], broadcast: squeeze-and-excitation) " +
                "or one per value (the same shape as x)."),
        };
    }
}

#!/usr/bin/env python3
"""Writes docs/diagnostics/zh-Hans/CNNxxxx.md from the zh-Hans resources (title, description, message) and the
English page's example, so the Chinese pages say exactly what the analyzer says. Run after editing the resources."""
import html, os, re
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
res = open(os.path.join(root, 'src/Shared/Resources/Strings.zh-Hans.resx'), encoding='utf-8').read()
zh = {k: html.unescape(v) for k, v in re.findall(r'<data name="([^"]+)" xml:space="preserve"><value>(.*?)</value>', res, re.S)}
severity = {'Error': '错误', 'Warning': '警告', 'Info': '信息'}
fixes = {  # code-action titles as the Chinese IDE shows them (resources Fix_*), with the English title in brackets
    'CNN0001': '代码修复“为 \'Net\' 添加 \'partial\'”（英文界面：Add \'partial\' to \'Net\'）会给类型加上 partial 修饰符（可对整个文档或项目“全部修复”）。',
    'CNN0006': '代码修复“使用 1”（Use 1）会把无效值改为最近的合法值（例如步幅 0 改为 1，Epsilon 改为 1e-5f）。',
    'CNN0008': '代码修复提供两种改法：“保留 Stride，删除 Strides”与“保留 Strides，删除 Stride”（Padding/Pads、Dilation/Dilations 同理）。',
    'CNN0019': '代码修复“删除 \'Net\' 的 \'static\'”（Remove \'static\' from \'Net\'）会从该类型的每个 partial 声明中删除 static 或 abstract。',
    'CNN0009': '代码修复“使用填充 F - 1”（Use padding ...）会把填充改为卷积核允许的最大值 F - 1。',
    'CNN0011': '代码修复提供三种改法：“使用 Padding.Same”（Use Padding.Same）、使公式整除的填充“使用填充 Pads = { ... }”，以及最接近的能整除的步幅“使用步幅 S”。',
    'CNN0012': '当 Dense 接在特征图之后时，代码修复“插入 [Flatten]”（Insert [Flatten]）会在它之前插入 [Flatten]。',
    'CNN0013': '代码修复“将 Expect 更新为推断出的形状 { ... }”（Update Expect to the inferred shape）会把 Expect 改为推断出的形状。',
    'CNN0021': '代码修复“添加投影捷径 [Conv(K, 1, Stride = S, Bias = false), BatchNorm]”（Add a projection shortcut）会在使用它的类型之后写出这个 [Block]，并在 Residual 上设置 Shortcut = typeof(...)。',
    'CNN0023': '代码修复“使用 Groups = g”（Use Groups = g）会改用能同时整除 C 和 K 的最接近的组数。',
    'CNN0026': '代码修复“为 \'X\' 标记 [Block]”（Mark \'X\' [Block]）会在声明该类型的文件中给它加上 [Block]。',
    'CNN0027': '代码修复“删除 [ConvNet]”（把它用作块）或“删除 [Block]”（让它成为网络）。',
}
for name in sorted(os.listdir(os.path.join(root, 'docs/diagnostics'))):
    m = re.match(r'(CNN\d{4})\.md$', name)
    if not m: continue
    rid = m.group(1)
    en = open(os.path.join(root, 'docs/diagnostics', name), encoding='utf-8').read()
    sev = re.search(r'Severity: \*\*(\w+)\*\*', en).group(1)
    example = re.search(r'## Example\n\n(.*?)\n## ', en, re.S)
    out = [f'# {rid}: {zh[rid + "_Title"]}', '', f'严重性：**{severity[sev]}** · 类别：CnnGen · [English](../{rid}.md)', '',
           '## 含义', '', zh[rid + '_Description'], '', '消息（{0}、{1}…… 处填入你的层名和数值）：', '', '```text', zh[rid + '_Message'], '```', '']
    if example:
        out += ['## 示例', '', '注释中是英文界面下的消息；在中文界面下（Visual Studio 中文语言包，或 `dotnet build -p:PreferredUILang=zh-Hans`），同一诊断按上面的中文格式显示。', '', example.group(1).strip(), '']
    how = {
        'CNN0001': '给该类型（以及包含它的每个类型）加上 partial。',
        'CNN0019': '把类型声明为非 static、非 abstract 的 partial class 或 struct。',
        'CNN0020': '在项目文件（或 Directory.Build.props）中把该属性改为可接受的值，或删除它以使用默认值。',
        'CNN0028': '让声明与训练好的网络一致（`cnngen import model.onnx` 会打印模型的声明），或让 Weights 指向为该声明训练的文件；state_dict 的层名要与 PyTorch 模块名一致（Name = "features.0"）。下次构建时错误即消失。',
        'CNN0029': '把文件放到消息所示的路径，或改正路径（相对于项目目录，即 .csproj 所在的文件夹）。',
        'CNN0030': '重新下载或导出该文件；ONNX 模型以 .onnx 命名，用 safetensors 保存的 state_dict 以 .safetensors 命名（PyTorch 的 .pt/.pth 不被读取）。',
        'CNN0031': '加载模型及其外部数据后另存为单个文件：onnx.save(onnx.load("net.onnx"), "net-one-file.onnx", save_as_external_data=False)。',
        'CNN0032': '导出量化之前的浮点模型，或把张量转换为 float32 或 float16。',
        'CNN0033': '直接写出路径：Weights = "mnist-8.onnx"；用 <PackageReference Include="CnnGen" /> 引用 CnnGen（它带来构建目标），并且不要把 CnnGenEmbedWeights 设为 false。',
    }.get(rid, '按消息中给出的数值修改特性参数。')
    out += ['## 如何修复', '', how + (fixes.get(rid, '')), '',
            '另见：[全部诊断](README.md)、[用户指南（英文）](../../user-guide.md)。', '']
    open(os.path.join(root, 'docs/diagnostics/zh-Hans', name), 'w', encoding='utf-8').write('\n'.join(out))
rows = ['# CnnGen 诊断（简体中文）', '', '| 编号 | 严重性 | 标题 |', '|---|---|---|']
for name in sorted(os.listdir(os.path.join(root, 'docs/diagnostics/zh-Hans'))):
    m = re.match(r'(CNN\d{4})\.md$', name)
    if m:
        en = open(os.path.join(root, 'docs/diagnostics', name), encoding='utf-8').read()
        sev = re.search(r'Severity: \*\*(\w+)\*\*', en).group(1)
        rows.append(f'| [{m.group(1)}]({name}) | {severity[sev]} | {zh[m.group(1) + "_Title"]} |')
rows += ['', '## 块内的错误', '',
         '一个 `[Block]` 会被检查两次。它自身的、与形状无关的错误（参数超出范围、两层同名、引用的类型不是块、块最终引用到自己）只报告一次，'
         '位于块自己的特性上。它的层对传入形状的处理（卷积核大于输入、残差两侧形状不同、尺寸不能整除）取决于使用它的位置：'
         '在每个使用处报告，位于网络中使用该块的特性上，并用完整名称和所在块指明是哪一层'
         '（`Layer \'layer2.0.conv1\' (Conv in block Basic128Down)`）。块有错误的网络不会生成代码，但网络本身不报告额外的错误。']
open(os.path.join(root, 'docs/diagnostics/zh-Hans/README.md'), 'w', encoding='utf-8').write('\n'.join(rows) + '\n')

using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CnnGen.Shapes
{
    /// <summary>
    /// Writes a network declaration back as C# attributes on a partial class, and each block it uses as a [Block]
    /// class after it (what `cnngen import` prints).
    /// </summary>
    internal static class DeclarationWriter
    {
        public static string Write(NetworkDeclaration net, string? comment = null)
        {
            var sb = new StringBuilder();
            if (comment is not null) sb.Append("// ").Append(comment).Append('\n');
            sb.Append($"[ConvNet({I(net.InputShape)})]\n");
            Layers(sb, net, net.Layers);
            sb.Append($"public partial class {net.TypeName} {{ }}\n");
            foreach (BlockDeclaration block in net.Blocks)
            {
                if (block.Status != BlockStatus.Block) continue;
                sb.Append("\n[Block]\n");
                Layers(sb, net, block.Layers);
                sb.Append($"public partial class {block.DisplayName} {{ }}\n");
            }
            return sb.ToString();
        }

        private static string I(IEnumerable<int> v) => string.Join(", ", v);

        private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture) + "f";

        private static string TypeOf(NetworkDeclaration net, string key) => $"typeof({net.Block(key)?.DisplayName ?? key})";

        private static void Layers(StringBuilder sb, NetworkDeclaration net, IEnumerable<LayerDeclaration> layers)
        {
            foreach (LayerDeclaration l in layers)
            {
                var named = new List<string>();
                if (l.Name is { } name) named.Add($"Name = \"{name}\"");
                if (l.Stride is { } s) named.Add($"Stride = {s}");
                if (l.Strides is { } ss) named.Add($"Strides = new[] {{ {I(ss)} }}");
                if (l.Padding is { } p) named.Add($"Padding = Padding.{(PaddingMode)p}");
                if (l.Pads is { } pp && l.Kind != LayerKind.ZeroPad) named.Add($"Pads = new[] {{ {I(pp)} }}");
                if (l.Dilation is { } d) named.Add($"Dilation = {d}");
                if (l.Dilations is { } dd) named.Add($"Dilations = new[] {{ {I(dd)} }}");
                if (l.Groups is { } g && g != 1) named.Add($"Groups = {g}");
                if (l.Multiplier is { } m && m != 1) named.Add($"Multiplier = {m}");
                if (l.Channels is { } c && c != 0) named.Add($"Channels = {c}");
                if (l.Shortcut is { } shortcut) named.Add($"Shortcut = {TypeOf(net, shortcut)}");
                if (l.ReLU && l.Kind == LayerKind.Residual) named.Add("ReLU = true");
                if (l.Repeat is { } r && r != 1) named.Add($"Repeat = {r}");
                if (!l.Bias && l.Kind is LayerKind.Conv or LayerKind.DepthwiseConv or LayerKind.Dense) named.Add("Bias = false");
                if (l.CountIncludePad && l.Kind == LayerKind.AvgPool) named.Add("CountIncludePad = true");
                if (l.Expect is { } e) named.Add($"Expect = new[] {{ {I(e)} }}");
                string n = named.Count > 0 ? ", " + string.Join(", ", named) : "";
                string blocks = string.Join(", ", System.Linq.Enumerable.Select(l.Blocks, k => TypeOf(net, k)));
                sb.Append('[').Append(l.Kind switch
                {
                    LayerKind.Conv => $"Conv({l.Units}, {I(l.Kernel)}{n})",
                    LayerKind.DepthwiseConv => $"DepthwiseConv({I(l.Kernel)}{n})",
                    LayerKind.MaxPool or LayerKind.AvgPool => $"{l.Kind}({I(l.Kernel)}{n})",
                    LayerKind.Dense => $"Dense({l.Units}{n})",
                    LayerKind.BatchNorm => $"BatchNorm(Epsilon = {F(l.Epsilon)}{n})",
                    LayerKind.LeakyReLU or LayerKind.ELU or LayerKind.Dropout => $"{l.Kind}({F(l.Alpha)}{n})",
                    LayerKind.Upsample => $"Upsample({I(l.Scale)}{n})",
                    LayerKind.ZeroPad => $"ZeroPad({I(l.Pads ?? EquatableArray<int>.Empty)}{n})",
                    _ when LayerKinds.IsBlockUse(l.Kind) => $"{l.Kind}({blocks}{n})",
                    _ => named.Count > 0 ? $"{l.Kind}({string.Join(", ", named)})" : l.Kind.ToString(),
                }).Append("]\n");
            }
        }
    }
}

using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CnnGen.Shapes
{
    /// <summary>Writes a network declaration back as C# attributes on a partial class (what `cnngen import` prints).</summary>
    internal static class DeclarationWriter
    {
        public static string Write(NetworkDeclaration net, string? comment = null)
        {
            string I(IEnumerable<int> v) => string.Join(", ", v);
            string F(float v) => v.ToString("R", CultureInfo.InvariantCulture) + "f";
            var sb = new StringBuilder();
            if (comment is not null) sb.Append("// ").Append(comment).Append('\n');
            sb.Append($"[ConvNet({I(net.InputShape)})]\n");
            foreach (LayerDeclaration l in net.Layers)
            {
                var named = new List<string>();
                if (l.Name is { } name) named.Add($"Name = \"{name}\"");
                if (l.Stride is { } s) named.Add($"Stride = {s}");
                if (l.Strides is { } ss) named.Add($"Strides = new[] {{ {I(ss)} }}");
                if (l.Padding is { } p) named.Add($"Padding = Padding.{(PaddingMode)p}");
                if (l.Pads is { } pp) named.Add($"Pads = new[] {{ {I(pp)} }}");
                if (l.Dilation is { } d) named.Add($"Dilation = {d}");
                if (l.Dilations is { } dd) named.Add($"Dilations = new[] {{ {I(dd)} }}");
                if (!l.Bias && l.Kind is LayerKind.Conv or LayerKind.Dense) named.Add("Bias = false");
                if (l.CountIncludePad && l.Kind == LayerKind.AvgPool) named.Add("CountIncludePad = true");
                string n = named.Count > 0 ? ", " + string.Join(", ", named) : "";
                sb.Append('[').Append(l.Kind switch
                {
                    LayerKind.Conv => $"Conv({l.Units}, {I(l.Kernel)}{n})",
                    LayerKind.MaxPool or LayerKind.AvgPool => $"{l.Kind}({I(l.Kernel)}{n})",
                    LayerKind.Dense => $"Dense({l.Units}{n})",
                    LayerKind.BatchNorm => $"BatchNorm(Epsilon = {F(l.Epsilon)}{n})",
                    LayerKind.LeakyReLU or LayerKind.ELU => $"{l.Kind}({F(l.Alpha)}{n})",
                    _ => named.Count > 0 ? $"{l.Kind}({string.Join(", ", named)})" : l.Kind.ToString(),
                }).Append("]\n");
            }
            return sb.Append($"public partial class {net.TypeName} {{ }}\n").ToString();
        }
    }
}

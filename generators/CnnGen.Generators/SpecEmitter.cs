using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Generators
{
    /// <summary>
    /// Emits <c>Spec</c>: the network as the runtime's weight loaders check files against it, every layer with its sizes
    /// resolved. A block is written out where it is used, with the sizes of that use (a block used twice at different
    /// sizes is two block specs); layer names are relative to the use, so the full names are the network's.
    /// </summary>
    internal static class SpecEmitter
    {
        public static void Emit(SourceWriter w, NetworkModel model, NetworkAnalysis a)
        {
            w.Line();
            w.Line("/// <summary>The layers with every size resolved, as the weight loaders check them.</summary>");
            w.Line("public static global::CnnGen.NetworkSpec Spec => s_spec;");
            w.Line();
            w.Line($"private static readonly global::CnnGen.NetworkSpec s_spec = new global::CnnGen.NetworkSpec({SourceWriter.Literal(model.DisplayName)}, {Ints(a.InputShape)},");
            List<LayerInfo> top = a.Layers.Where(l => l.Parent < 0).ToList();
            for (int i = 0; i < top.Count; i++)
                Write(w, a, top[i], "", i == top.Count - 1 ? ");" : ",", 1);
        }

        private static string Ints(IEnumerable<int> values) => "new[] { " + string.Join(", ", values) + " }";

        private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture) + "f";

        private static string B(bool v) => v ? "true" : "false";

        private const string Spec = "global::CnnGen.LayerSpec.";

        /// <summary>Writes the spec of row <paramref name="l"/>, named relative to <paramref name="prefix"/>.</summary>
        private static void Write(SourceWriter w, NetworkAnalysis a, LayerInfo l, string prefix, string end, int depth)
        {
            string indent = new string(' ', 4 * depth);
            string n = SourceWriter.Literal(l.Name.Substring(prefix.Length));
            if (!l.IsBlockUse)
            {
                w.Line(indent + Spec + Layer(l, n) + end);
                return;
            }
            int parts = l.Kind switch { LayerKind.Residual => 2, LayerKind.Concat => l.BlockNames.Count, _ => 1 };
            w.Line(indent + Spec + l.Kind + "(" + n + ",");
            for (int b = 0; b < parts; b++)
            {
                List<LayerInfo> rows = a.Layers.Where(r => r.Parent == l.Index && r.Branch == b).ToList();
                string after = b == parts - 1 ? (l.Kind == LayerKind.Residual ? ", " + B(l.ReLU) + ")" : ")") + end : ",";
                if (rows.Count == 0)
                {
                    bool identityShortcut = l.Kind == LayerKind.Residual && b == 1;
                    w.Line(indent + "    " + (identityShortcut ? "null" : "global::CnnGen.BlockSpec.Identity") + after);
                    continue;
                }
                w.Line(indent + "    new global::CnnGen.BlockSpec(" + SourceWriter.Literal(l.BlockNames[b]) + ",");
                for (int r = 0; r < rows.Count; r++)
                    Write(w, a, rows[r], l.Name + ".", r == rows.Count - 1 ? ")" + after : ",", depth + 2);
            }
        }

        private static string Layer(LayerInfo l, string n)
        {
            string pads = Ints(l.PadsBegin.Concat(l.PadsEnd));
            return l.Kind switch
            {
                LayerKind.Conv => $"Conv({n}, {l.OutputShape[0]}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads}, {Ints(l.Dilations)}, {B(l.Bias)}{(l.Groups > 1 ? ", " + l.Groups : "")})",
                LayerKind.DepthwiseConv => $"DepthwiseConv({n}, {l.OutputShape[0] / l.InputShape[0]}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads}, {Ints(l.Dilations)}, {B(l.Bias)})",
                LayerKind.MaxPool => $"MaxPool({n}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads})",
                LayerKind.AvgPool => $"AvgPool({n}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads}, {B(l.CountIncludePad)})",
                LayerKind.Dense => $"Dense({n}, {l.OutputShape[0]}, {B(l.Bias)})",
                LayerKind.BatchNorm => $"BatchNorm({n}, {F(l.Epsilon)})",
                LayerKind.LeakyReLU or LayerKind.ELU or LayerKind.Dropout => $"{l.Kind}({n}, {F(l.Alpha)})",
                LayerKind.Upsample => $"Upsample({n}, {Ints(l.Scale)})",
                LayerKind.ZeroPad => $"ZeroPad({n}, {pads}, {l.Channels})",
                _ => $"{l.Kind}({n})",
            };
        }
    }
}

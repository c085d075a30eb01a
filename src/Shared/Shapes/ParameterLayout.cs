using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Shapes
{
    /// <summary>One tensor of a layer in the flat parameter array: PyTorch's state_dict suffix, its shape and where it sits.</summary>
    internal sealed record ParameterTensor(int Layer, string LayerName, string Suffix, EquatableArray<int> Shape, int Offset)
    {
        public int Length => (int)ShapeMath.Product(Shape);

        /// <summary>The state_dict key: layer name, a dot, the suffix (conv1.weight).</summary>
        public string Key => LayerName + "." + Suffix;
    }

    /// <summary>
    /// The order of the flat parameter array: layer by layer, each layer's weight then bias, in PyTorch/ONNX layouts
    /// (Conv [K, C/G, F...], Dense [N_out, N_in]); BatchNorm gives scale, bias, mean, variance (ONNX order), which
    /// PyTorch calls weight, bias, running_mean, running_var. Blocks are expanded where they are used, depth first in
    /// declaration order: a residual's block, then its shortcut; a concat's branches left to right.
    /// </summary>
    internal static class ParameterLayout
    {
        public static IReadOnlyList<ParameterTensor> Of(NetworkAnalysis analysis)
        {
            var tensors = new List<ParameterTensor>();
            int offset = 0;
            foreach (LayerInfo l in analysis.Layers)
            {
                if (l.IsBlockUse) continue; // its layers are rows of their own, depth first in declaration order
                foreach ((string suffix, int[] shape) in TensorsOf(l))
                {
                    var t = new ParameterTensor(l.Index, l.Name, suffix, new EquatableArray<int>(shape), offset);
                    tensors.Add(t);
                    offset += t.Length;
                }
            }
            return tensors;
        }

        public static IEnumerable<(string Suffix, int[] Shape)> TensorsOf(LayerInfo l)
        {
            switch (l.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.DepthwiseConv:
                    yield return ("weight", new[] { l.OutputShape[0], l.InputShape[0] / l.Groups }.Concat(l.Kernel).ToArray());
                    if (l.Bias) yield return ("bias", new[] { l.OutputShape[0] });
                    break;
                case LayerKind.Dense:
                    yield return ("weight", new[] { l.OutputShape[0], l.InputLength });
                    if (l.Bias) yield return ("bias", new[] { l.OutputShape[0] });
                    break;
                case LayerKind.BatchNorm:
                    foreach (string s in new[] { "weight", "bias", "running_mean", "running_var" })
                        yield return (s, new[] { l.InputShape[0] });
                    break;
            }
        }
    }
}

using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>Writes a declared network with given weights as an ONNX model (what a PyTorch export would hold).</summary>
    internal static class OnnxExport
    {
        public static byte[] Write(NetworkSpec spec, float[] parameters)
        {
            NetworkAnalysis a = spec.Analysis;
            var b = new OnnxBuilder(new long[] { -1 }.Concat(a.InputShape.Select(v => (long)v)).ToArray());
            var tensors = spec.Parameters.ToLookup(t => t.Layer);
            string Weight(ParameterTensor t) => b.Initializer(t.Shape.Select(v => (long)v).ToArray(), parameters.Skip(t.Offset).Take(t.Length).ToArray(), t.Key);
            long[] L(EquatableArray<int> v) => v.Select(x => (long)x).ToArray();
            foreach (LayerInfo l in a.Layers)
            {
                string[] weights = tensors[l.Index].Select(Weight).ToArray();
                long[] pads = l.PadsBegin.Concat(l.PadsEnd).Select(v => (long)v).ToArray();
                switch (l.Kind)
                {
                    case LayerKind.Conv:
                        b.Node("Conv", weights, OnnxBuilder.Attributes(("kernel_shape", L(l.Kernel)), ("strides", L(l.Strides)), ("pads", pads), ("dilations", L(l.Dilations))));
                        break;
                    case LayerKind.MaxPool:
                        b.Node("MaxPool", null, OnnxBuilder.Attributes(("kernel_shape", L(l.Kernel)), ("strides", L(l.Strides)), ("pads", pads)));
                        break;
                    case LayerKind.AvgPool:
                        b.Node("AveragePool", null, OnnxBuilder.Attributes(("kernel_shape", L(l.Kernel)), ("strides", L(l.Strides)), ("pads", pads), ("count_include_pad", l.CountIncludePad ? 1L : 0L)));
                        break;
                    case LayerKind.GlobalAvgPool:
                        b.Node("GlobalAveragePool").Node("Flatten");
                        break;
                    case LayerKind.GlobalMaxPool:
                        b.Node("GlobalMaxPool").Node("Flatten");
                        break;
                    case LayerKind.Flatten:
                        if (l.InputShape.Count > 1) b.Node("Flatten");
                        break;
                    case LayerKind.Dense:
                        b.Node("Gemm", weights, OnnxBuilder.Attributes(("transB", 1L)));
                        break;
                    case LayerKind.BatchNorm:
                        b.Node("BatchNormalization", weights, OnnxBuilder.Attributes(("epsilon", l.Epsilon)));
                        break;
                    case LayerKind.LeakyReLU:
                        b.Node("LeakyRelu", null, OnnxBuilder.Attributes(("alpha", l.Alpha)));
                        break;
                    case LayerKind.ELU:
                        b.Node("Elu", null, OnnxBuilder.Attributes(("alpha", l.Alpha)));
                        break;
                    case LayerKind.ReLU: b.Node("Relu"); break;
                    case LayerKind.Sigmoid: b.Node("Sigmoid"); break;
                    case LayerKind.Tanh: b.Node("Tanh"); break;
                    case LayerKind.Softmax: b.Node("Softmax", null, OnnxBuilder.Attributes(("axis", -1L))); break;
                }
            }
            return b.Build(new long[] { -1 }.Concat(a.OutputShape.Select(v => (long)v)).ToArray());
        }
    }
}

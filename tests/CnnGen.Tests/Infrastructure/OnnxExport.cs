using System.Collections.Generic;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>
    /// Writes a declared network with given weights as an ONNX model (what a PyTorch export would hold), branches and
    /// merges included: Add, Concat, Mul (a [C] gate reshaped to broadcast), grouped Conv, Clip for ReLU6, HardSigmoid,
    /// HardSwish, Sigmoid + Mul for SiLU, Resize for Upsample, Pad for ZeroPad, Dropout.
    /// </summary>
    internal static class OnnxExport
    {
        public static byte[] Write(NetworkSpec spec, float[] parameters)
        {
            NetworkAnalysis a = spec.Analysis;
            var b = new OnnxBuilder(new long[] { -1 }.Concat(a.InputShape.Select(v => (long)v)).ToArray()) { Opset = 14 };
            var tensors = spec.Parameters.ToLookup(t => t.Layer);
            var names = new Dictionary<int, string> { [0] = "input" };
            string Weight(ParameterTensor t) => b.Initializer(t.Shape.Select(v => (long)v).ToArray(), parameters.Skip(t.Offset).Take(t.Length).ToArray(), t.Key);
            long[] L(EquatableArray<int> v) => v.Select(x => (long)x).ToArray();
            foreach (LayerInfo l in a.Steps)
            {
                string x = names[l.Inputs[0]];
                string[] weights = tensors[l.Index].Select(Weight).ToArray();
                long[] pads = l.PadsBegin.Concat(l.PadsEnd).Select(v => (long)v).ToArray();
                string Node(string op, IEnumerable<string>? extra = null, System.Action<ProtoWriter>? attributes = null) =>
                    b.Add(op, new[] { x }.Concat(extra ?? weights).ToArray(), attributes);
                string y;
                switch (l.Kind)
                {
                    case LayerKind.Conv:
                    case LayerKind.DepthwiseConv:
                        y = Node("Conv", null, OnnxBuilder.Attributes(("kernel_shape", L(l.Kernel)), ("strides", L(l.Strides)), ("pads", pads), ("dilations", L(l.Dilations)), ("group", (long)l.Groups)));
                        break;
                    case LayerKind.MaxPool:
                        y = Node("MaxPool", null, OnnxBuilder.Attributes(("kernel_shape", L(l.Kernel)), ("strides", L(l.Strides)), ("pads", pads)));
                        break;
                    case LayerKind.AvgPool:
                        y = Node("AveragePool", null, OnnxBuilder.Attributes(("kernel_shape", L(l.Kernel)), ("strides", L(l.Strides)), ("pads", pads), ("count_include_pad", l.CountIncludePad ? 1L : 0L)));
                        break;
                    case LayerKind.GlobalAvgPool:
                    case LayerKind.GlobalMaxPool:
                        x = Node(l.Kind == LayerKind.GlobalAvgPool ? "GlobalAveragePool" : "GlobalMaxPool");
                        y = b.Add("Flatten", new[] { x });
                        break;
                    case LayerKind.Flatten:
                        y = l.InputShape.Count > 1 ? Node("Flatten") : x;
                        break;
                    case LayerKind.Dense:
                        y = Node("Gemm", null, OnnxBuilder.Attributes(("transB", 1L)));
                        break;
                    case LayerKind.BatchNorm:
                        y = Node("BatchNormalization", null, OnnxBuilder.Attributes(("epsilon", l.Epsilon)));
                        break;
                    case LayerKind.LeakyReLU:
                        y = Node("LeakyRelu", null, OnnxBuilder.Attributes(("alpha", l.Alpha)));
                        break;
                    case LayerKind.ELU:
                        y = Node("Elu", null, OnnxBuilder.Attributes(("alpha", l.Alpha)));
                        break;
                    case LayerKind.ReLU6:
                        y = Node("Clip", new[] { b.Initializer(new long[0], new[] { 0f }), b.Initializer(new long[0], new[] { 6f }) });
                        break;
                    case LayerKind.HardSigmoid:
                        y = Node("HardSigmoid", null, OnnxBuilder.Attributes(("alpha", 1f / 6f), ("beta", 0.5f)));
                        break;
                    case LayerKind.HardSwish:
                        y = Node("HardSwish");
                        break;
                    case LayerKind.SiLU:
                        y = b.Add("Mul", new[] { x, Node("Sigmoid") });
                        break;
                    case LayerKind.Dropout:
                        y = Node("Dropout");
                        break;
                    case LayerKind.Upsample:
                        y = Node("Resize", new[] { "", b.Initializer(new long[] { l.Scale.Count + 2 }, new[] { 1f, 1f }.Concat(l.Scale.Select(v => (float)v)).ToArray()) },
                            OnnxBuilder.Attributes(("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor")));
                        break;
                    case LayerKind.ZeroPad:
                        y = Node("Pad", new[] { b.IntInitializer(new long[] { 0, 0 }.Concat(l.PadsBegin.Select(v => (long)v)).Concat(new long[] { 0, l.Channels }).Concat(l.PadsEnd.Select(v => (long)v)).ToArray()) });
                        break;
                    case LayerKind.Residual:
                        y = b.Add("Add", new[] { names[l.Inputs[0]], names[l.Inputs[1]] });
                        if (l.ReLU) y = b.Add("Relu", new[] { y });
                        break;
                    case LayerKind.Concat:
                        y = b.Add("Concat", l.Inputs.Select(t => names[t]).ToArray(), OnnxBuilder.Attributes(("axis", 1L)));
                        break;
                    case LayerKind.Multiply:
                    {
                        string gate = names[l.Inputs[1]];
                        if (a.Tensors[l.Inputs[1]].Shape.Count == 1 && l.InputShape.Count > 1)
                            gate = b.Add("Reshape", new[] { gate, b.IntInitializer(new long[] { 0, l.InputShape[0] }.Concat(Enumerable.Repeat(1L, l.InputShape.Count - 1)).ToArray()) });
                        y = b.Add("Mul", new[] { x, gate });
                        break;
                    }
                    case LayerKind.ReLU: y = Node("Relu"); break;
                    case LayerKind.Sigmoid: y = Node("Sigmoid"); break;
                    case LayerKind.Tanh: y = Node("Tanh"); break;
                    case LayerKind.Softmax: y = Node("Softmax", null, OnnxBuilder.Attributes(("axis", -1L))); break;
                    default: throw new System.NotSupportedException(l.Kind.ToString());
                }
                names[l.Output] = y;
            }
            // The graph's output is the last value (Build names Current as the output).
            string output = names[a.OutputTensor];
            if (output == "input") output = b.Add("Identity", new[] { output });
            else if (b.Current != output) b.Add("Identity", new[] { output });
            return b.Build(new long[] { -1 }.Concat(a.OutputShape.Select(v => (long)v)).ToArray());
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>
    /// How torch.onnx.export (the TorchScript exporter, model in eval mode) wrote a model. The defaults are those of a
    /// plain export: opset 17, do_constant_folding=True (BatchNorm folded into the Conv before it, whose weight and
    /// new bias are named "onnx::Conv_N"), no Dropout node, dynamic batch.
    /// </summary>
    internal sealed record TorchExportOptions
    {
        public static readonly TorchExportOptions Default = new();

        /// <summary>Opset 7 and up. Below 11 Clip takes min and max as attributes, from 11 as inputs; below 12 Dropout
        /// takes ratio as an attribute, from 12 ratio and training_mode as inputs; from 14 BatchNormalization has
        /// training_mode = 0; from 10 MaxPool has ceil_mode = 0.</summary>
        public long Opset { get; init; } = 17;

        /// <summary>BatchNorm folded into the preceding Conv (do_constant_folding=True), or BatchNormalization nodes
        /// whose initializers carry the state_dict keys (do_constant_folding=False).</summary>
        public bool FoldBatchNorm { get; init; } = true;

        /// <summary>A Dropout node where the network has one (an eval export drops it).</summary>
        public bool KeepDropout { get; init; }

        /// <summary>Opset 11 and up: Clip's min and max as scalar initializers ("onnx::Clip_N") instead of the outputs
        /// of Constant nodes (what recent exporters write).</summary>
        public bool ClipBoundsAsInitializers { get; init; }

        /// <summary>The batch dimension: -1 is symbolic ("N", as with dynamic_axes), else fixed.</summary>
        public long Batch { get; init; } = -1;
    }

    /// <summary>One state_dict entry. num_batches_tracked is an int64 scalar in PyTorch: DType "I64", shape [], its
    /// value held as a float.</summary>
    internal sealed record StateTensor(string Name, long[] Shape, float[] Values, string DType = "F32")
    {
        /// <summary>A parameter (in model.parameters()), not a buffer (running_mean, running_var, num_batches_tracked).</summary>
        public bool IsParameter => DType == "F32"
            && !Name.EndsWith(".running_mean", StringComparison.Ordinal) && !Name.EndsWith(".running_var", StringComparison.Ordinal);
    }

    /// <summary>A network as torchvision defines it: its ONNX export and its state_dict (in state_dict order).</summary>
    internal sealed class TorchvisionModel
    {
        public TorchvisionModel(string name, byte[] onnx, IReadOnlyList<StateTensor> stateDict, int[] inputShape, int outputLength, TorchExportOptions options)
        {
            Name = name;
            Onnx = onnx;
            StateDict = stateDict;
            InputShape = inputShape;
            OutputLength = outputLength;
            Options = options;
        }

        public string Name { get; }

        public byte[] Onnx { get; }

        public IReadOnlyList<StateTensor> StateDict { get; }

        /// <summary>Per example, without the batch: [3, 224, 224] (CIFAR: [3, 32, 32]).</summary>
        public int[] InputShape { get; }

        public int InputLength => InputShape.Aggregate(1, (a, b) => a * b);

        /// <summary>Per example: 1000 classes (CIFAR: 10).</summary>
        public int OutputLength { get; }

        public TorchExportOptions Options { get; }

        public IEnumerable<StateTensor> Parameters => StateDict.Where(t => t.IsParameter);

        public long ParameterCount => Parameters.Sum(t => (long)t.Values.Length);

        /// <summary>The state_dict as torch's safetensors.torch.save_file writes it (num_batches_tracked as I64).</summary>
        public byte[] Safetensors() => SafetensorsWriter.Write(StateDict.Select(t => (t.Name, t.Shape, t.Values, t.DType)));

        /// <summary>Inputs of the scale of a normalized image batch: U(-1.5, 1.5).</summary>
        public float[] RandomInput(int seed, int batch = 1)
        {
            var r = new Random(seed);
            return Enumerable.Range(0, InputLength * batch).Select(_ => (float)(r.NextDouble() * 3 - 1.5)).ToArray();
        }
    }

    /// <summary>
    /// torchvision's ResNet-18 and MobileNetV2 (and a CIFAR ResNet-20 with torchvision's names) with random weights, as
    /// torch.onnx.export writes them and as state_dict holds them. Weights depend on the seed only, not on the options:
    /// two exports of one seed compute the same function.
    /// </summary>
    internal static class TorchvisionModels
    {
        private static readonly int[] ResNetWidths = { 64, 128, 256, 512 };

        /// <summary>MobileNetV2's inverted residual settings (expansion t, channels c, repeats n, first stride s).</summary>
        private static readonly (int T, int C, int N, int S)[] MobileNetV2Settings =
        {
            (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
        };

        /// <summary>torchvision.models.resnet18(): 3x224x224 in, 1000 out.</summary>
        public static TorchvisionModel ResNet18(int seed, TorchExportOptions? options = null)
        {
            options ??= TorchExportOptions.Default;
            var e = new Exporter(new long[] { 3, 224, 224 }, seed, options, firstFoldedName: 193);
            string x = e.Conv(Exporter.Input, "conv1", "bn1", 3, 64, 7, 2);
            x = e.Relu(x, "relu");
            x = e.MaxPool(x, "maxpool", 3, 2, 1);
            int channels = 64;
            for (int stage = 0; stage < 4; stage++)
            {
                for (int block = 0; block < 2; block++)
                {
                    x = e.BasicBlock(x, $"layer{stage + 1}.{block}", channels, ResNetWidths[stage], stage > 0 && block == 0 ? 2 : 1);
                    channels = ResNetWidths[stage];
                }
            }
            x = e.GlobalAveragePool(x, "avgpool");
            x = e.Flatten(x);
            e.Linear(x, "fc", 512, 1000);
            return e.Finish("resnet18", new[] { 3, 224, 224 }, 1000);
        }

        /// <summary>
        /// A CIFAR ResNet-20 named like torchvision's ResNet: conv1 (3x3, 16), bn1, relu, layer1..layer3 of 3 BasicBlocks
        /// (16, 32, 64 channels; the first block of layer2 and layer3 has stride 2 and a downsample 1x1 Conv + BatchNorm),
        /// avgpool, fc (64 -> 10). 3x32x32 in.
        /// </summary>
        public static TorchvisionModel CifarResNet20(int seed, TorchExportOptions? options = null)
        {
            options ??= TorchExportOptions.Default;
            var e = new Exporter(new long[] { 3, 32, 32 }, seed, options, firstFoldedName: 129);
            string x = e.Conv(Exporter.Input, "conv1", "bn1", 3, 16, 3, 1);
            x = e.Relu(x, "relu");
            int channels = 16;
            for (int stage = 0; stage < 3; stage++)
            {
                int width = 16 << stage;
                for (int block = 0; block < 3; block++)
                {
                    x = e.BasicBlock(x, $"layer{stage + 1}.{block}", channels, width, stage > 0 && block == 0 ? 2 : 1);
                    channels = width;
                }
            }
            x = e.GlobalAveragePool(x, "avgpool");
            x = e.Flatten(x);
            e.Linear(x, "fc", 64, 10);
            return e.Finish("cifar_resnet20", new[] { 3, 32, 32 }, 10);
        }

        /// <summary>torchvision.models.mobilenet_v2() (width 1.0): 3x224x224 in, 1000 out.</summary>
        public static TorchvisionModel MobileNetV2(int seed, TorchExportOptions? options = null)
        {
            options ??= TorchExportOptions.Default;
            var e = new Exporter(new long[] { 3, 224, 224 }, seed, options, firstFoldedName: 317);
            string x = e.ConvNormActivation(Exporter.Input, "features.0", 3, 32, 3, 2);
            int channels = 32, index = 1;
            foreach (var (t, c, n, s) in MobileNetV2Settings)
            {
                for (int i = 0; i < n; i++)
                {
                    x = e.InvertedResidual(x, $"features.{index++}", channels, c, i == 0 ? s : 1, t);
                    channels = c;
                }
            }
            x = e.ConvNormActivation(x, "features.18", 320, 1280, 1, 1);
            // forward() calls nn.functional.adaptive_avg_pool2d(x, (1, 1)) and torch.flatten(x, 1) at the top level.
            x = e.GlobalAveragePool(x, "");
            x = e.Flatten(x);
            x = e.Dropout(x, "classifier.0", 0.2f);
            e.Linear(x, "classifier.1", 1280, 1000);
            return e.Finish("mobilenet_v2", new[] { 3, 224, 224 }, 1000);
        }

        /// <summary>
        /// Writes modules in forward order (the state_dict order for these networks) and names nodes as the exporter
        /// does: the scope of module "layer1.0.conv1" is "/layer1/layer1.0/conv1" (each level by its name from the last
        /// non-numeric atom on), a module's second call gets "_1" ("relu_1"), a repeated op in one scope gets "_1"
        /// ("Constant_1"); a node's output is its name + "_output_0"; the network's output is "output".
        /// </summary>
        private sealed class Exporter
        {
            public const string Input = "input";
            private const float Epsilon = 1e-5f;
            private readonly OnnxBuilder _b;
            private readonly Random _r;
            private readonly TorchExportOptions _o;
            private readonly List<StateTensor> _state = new();
            private readonly Dictionary<string, int> _calls = new();
            private readonly Dictionary<string, int> _names = new();
            private int _numbered;

            public Exporter(long[] inputShape, int seed, TorchExportOptions options, int firstFoldedName)
            {
                if (options.Opset < 7) throw new ArgumentOutOfRangeException(nameof(options), "opset 7 and up");
                _o = options;
                _r = new Random(seed);
                _b = new OnnxBuilder(new[] { options.Batch }.Concat(inputShape).ToArray()) { Opset = options.Opset };
                _numbered = firstFoldedName;
            }

            public TorchvisionModel Finish(string name, int[] inputShape, int classes) =>
                new(name, _b.Build(new[] { _o.Batch, classes }), _state, inputShape, classes, _o);

            // ---- weights ----

            private float[] Uniform(int n, double low, double high)
            {
                var v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float)(low + (high - low) * _r.NextDouble());
                return v;
            }

            private float[] Add(string key, long[] shape, float[] values)
            {
                _state.Add(new StateTensor(key, shape, values));
                return values;
            }

            /// <summary>U(-a, a) with a = sqrt(3 / fan_in): unit variance in, unit variance out.</summary>
            private float[] Weight(string key, long[] shape)
            {
                long fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
                double a = Math.Sqrt(3.0 / fanIn);
                return Add(key, shape, Uniform((int)shape.Aggregate(1L, (p, d) => p * d), -a, a));
            }

            private (float[] Gamma, float[] Beta, float[] Mean, float[] Var) BatchNormState(string bn, int channels)
            {
                long[] shape = { channels };
                var result = (Add(bn + ".weight", shape, Uniform(channels, 0.5, 1.5)), Add(bn + ".bias", shape, Uniform(channels, -0.1, 0.1)),
                    Add(bn + ".running_mean", shape, Uniform(channels, -0.1, 0.1)), Add(bn + ".running_var", shape, Uniform(channels, 0.5, 1.5)));
                _state.Add(new StateTensor(bn + ".num_batches_tracked", Array.Empty<long>(), new float[] { 100 }, "I64"));
                return result;
            }

            // ---- names ----

            /// <summary>The scope of one call of a module ("" for the top level).</summary>
            private string Scope(string module)
            {
                if (module.Length == 0) return "";
                // Every module on the path is a level: layer1 -> layer1.0 -> conv1.
                List<string> levels = Levels(module.Split('.'));
                int call = _calls.TryGetValue(module, out int c) ? c : 0;
                _calls[module] = call + 1;
                if (call > 0) levels[^1] += "_" + call;
                return "/" + string.Join("/", levels);
            }

            private static bool IsNumber(string atom) => atom.Length > 0 && atom.All(char.IsDigit);

            /// <summary>Each prefix of the module path is a module; its level name starts at its last non-numeric atom.</summary>
            private static List<string> Levels(string[] atoms)
            {
                var levels = new List<string>();
                for (int end = 1; end <= atoms.Length; end++)
                {
                    int start = end - 1;
                    while (start > 0 && IsNumber(atoms[start])) start--;
                    levels.Add(string.Join(".", atoms[start..end]));
                }
                return levels;
            }

            private string Node(string op, string scope, string[] inputs, Action<ProtoWriter>? attributes = null, string? output = null)
            {
                string name = scope + "/" + op;
                int n = _names.TryGetValue(name, out int k) ? k : 0;
                _names[name] = n + 1;
                if (n > 0) name += "_" + n;
                return _b.Add(op, inputs, attributes, name, output ?? name + "_output_0");
            }

            private string Constant(string scope, ProtoWriter value) => Node("Constant", scope, Array.Empty<string>(), OnnxBuilder.Attributes(("value", value)));

            private static ProtoWriter Scalar(float v) => OnnxBuilder.Tensor("", Array.Empty<long>(), new[] { v });

            // ---- layers ----

            /// <summary>Conv2d(bias=False) with padding (k - 1) / 2, then BatchNorm2d if bn is given.</summary>
            public string Conv(string x, string conv, string? bn, int cin, int cout, int k, int stride, int groups = 1)
            {
                long[] shape = { cout, cin / groups, k, k };
                float[] w = Weight(conv + ".weight", shape);
                var norm = bn is null ? default : BatchNormState(bn, cout);
                long p = (k - 1) / 2;
                var attributes = OnnxBuilder.Attributes(("dilations", new long[] { 1, 1 }), ("group", (long)groups), ("kernel_shape", new long[] { k, k }),
                    ("pads", new long[] { p, p, p, p }), ("strides", new long[] { stride, stride }));
                if (bn is not null && _o.FoldBatchNorm)
                {
                    // Eval-mode fold: W' = W * s[o], b' = (0 - mean) * s + beta, s = gamma / sqrt(var + eps).
                    var folded = new float[w.Length];
                    var bias = new float[cout];
                    int per = w.Length / cout;
                    for (int o = 0; o < cout; o++)
                    {
                        double s = norm.Gamma[o] / Math.Sqrt(norm.Var[o] + (double)Epsilon);
                        for (int i = 0; i < per; i++) folded[o * per + i] = (float)(w[o * per + i] * s);
                        bias[o] = (float)(norm.Beta[o] - norm.Mean[o] * s);
                    }
                    string wName = _b.Initializer(shape, folded, $"onnx::Conv_{_numbered}");
                    string bName = _b.Initializer(new long[] { cout }, bias, $"onnx::Conv_{_numbered + 1}");
                    _numbered += 3;
                    return Node("Conv", Scope(conv), new[] { x, wName, bName }, attributes);
                }
                x = Node("Conv", Scope(conv), new[] { x, _b.Initializer(shape, w, conv + ".weight") }, attributes);
                if (bn is null) return x;
                long[] c = { cout };
                string[] inputs =
                {
                    x, _b.Initializer(c, norm.Gamma, bn + ".weight"), _b.Initializer(c, norm.Beta, bn + ".bias"),
                    _b.Initializer(c, norm.Mean, bn + ".running_mean"), _b.Initializer(c, norm.Var, bn + ".running_var"),
                };
                var bnAttributes = _o.Opset >= 14
                    ? OnnxBuilder.Attributes(("epsilon", Epsilon), ("momentum", 0.9f), ("training_mode", 0L))
                    : OnnxBuilder.Attributes(("epsilon", Epsilon), ("momentum", 0.9f));
                return Node("BatchNormalization", Scope(bn), inputs, bnAttributes);
            }

            public string Relu(string x, string module) => Node("Relu", Scope(module), new[] { x });

            /// <summary>nn.ReLU6, exported as Clip(0, 6).</summary>
            public string Relu6(string x, string module)
            {
                string scope = Scope(module);
                if (_o.Opset < 11) return Node("Clip", scope, new[] { x }, OnnxBuilder.Attributes(("max", 6f), ("min", 0f)));
                string min, max;
                if (_o.ClipBoundsAsInitializers)
                {
                    min = _b.Initializer(Array.Empty<long>(), new[] { 0f }, $"onnx::Clip_{_numbered++}");
                    max = _b.Initializer(Array.Empty<long>(), new[] { 6f }, $"onnx::Clip_{_numbered++}");
                }
                else
                {
                    min = Constant(scope, Scalar(0f));
                    max = Constant(scope, Scalar(6f));
                }
                return Node("Clip", scope, new[] { x, min, max });
            }

            public string MaxPool(string x, string module, int k, int stride, int pad)
            {
                var attributes = new List<(string, object)>
                {
                    ("kernel_shape", new long[] { k, k }), ("pads", new long[] { pad, pad, pad, pad }), ("strides", new long[] { stride, stride }),
                };
                if (_o.Opset >= 10) attributes.Insert(0, ("ceil_mode", 0L));
                return Node("MaxPool", Scope(module), new[] { x }, OnnxBuilder.Attributes(attributes.ToArray()));
            }

            /// <summary>AdaptiveAvgPool2d(1) (module "" for the functional form in forward()).</summary>
            public string GlobalAveragePool(string x, string module) => Node("GlobalAveragePool", Scope(module), new[] { x });

            /// <summary>torch.flatten(x, 1) in forward().</summary>
            public string Flatten(string x) => Node("Flatten", "", new[] { x }, OnnxBuilder.Attributes(("axis", 1L)));

            /// <summary>nn.Dropout(p) in eval mode: no node unless the options keep one.</summary>
            public string Dropout(string x, string module, float p)
            {
                if (!_o.KeepDropout) return x;
                string scope = Scope(module);
                if (_o.Opset < 12) return Node("Dropout", scope, new[] { x }, OnnxBuilder.Attributes(("ratio", p)));
                string ratio = Constant(scope, Scalar(p));
                string training = Constant(scope, OnnxBuilder.Tensor("", Array.Empty<long>(), 9, new byte[] { 0 }));
                return Node("Dropout", scope, new[] { x, ratio, training });
            }

            /// <summary>nn.Linear as the exporter writes it for a 2-D input: Gemm(alpha 1, beta 1, transB 1); the network's output.</summary>
            public string Linear(string x, string module, int inFeatures, int outFeatures)
            {
                float[] w = Weight(module + ".weight", new long[] { outFeatures, inFeatures });
                float[] b = Add(module + ".bias", new long[] { outFeatures }, Uniform(outFeatures, -0.05, 0.05));
                string[] inputs =
                {
                    x, _b.Initializer(new long[] { outFeatures, inFeatures }, w, module + ".weight"),
                    _b.Initializer(new long[] { outFeatures }, b, module + ".bias"),
                };
                return Node("Gemm", Scope(module), inputs, OnnxBuilder.Attributes(("alpha", 1f), ("beta", 1f), ("transB", 1L)), output: "output");
            }

            /// <summary>torchvision's BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + identity), one ReLU module called twice.</summary>
            public string BasicBlock(string x, string block, int cin, int cout, int stride)
            {
                string y = Conv(x, block + ".conv1", block + ".bn1", cin, cout, 3, stride);
                y = Relu(y, block + ".relu");
                y = Conv(y, block + ".conv2", block + ".bn2", cout, cout, 3, 1);
                string identity = stride != 1 || cin != cout ? Conv(x, block + ".downsample.0", block + ".downsample.1", cin, cout, 1, stride) : x;
                y = Node("Add", Scope(block), new[] { y, identity });
                return Relu(y, block + ".relu");
            }

            /// <summary>Conv2dNormActivation with ReLU6: module.0 Conv2d (no bias), module.1 BatchNorm2d, module.2 ReLU6.</summary>
            public string ConvNormActivation(string x, string module, int cin, int cout, int k, int stride, int groups = 1) =>
                Relu6(Conv(x, module + ".0", module + ".1", cin, cout, k, stride, groups), module + ".2");

            /// <summary>MobileNetV2's InvertedResidual: [1x1 expand] -> 3x3 depthwise -> 1x1 linear projection + BN, x + that if shapes allow.</summary>
            public string InvertedResidual(string x, string block, int inp, int oup, int stride, int expand)
            {
                int hidden = inp * expand, layer = 0;
                string y = x;
                if (expand != 1) y = ConvNormActivation(y, $"{block}.conv.{layer++}", inp, hidden, 1, 1);
                y = ConvNormActivation(y, $"{block}.conv.{layer++}", hidden, hidden, 3, stride, hidden);
                y = Conv(y, $"{block}.conv.{layer}", $"{block}.conv.{layer + 1}", hidden, oup, 1, 1);
                // forward(): return x + self.conv(x)
                return stride == 1 && inp == oup ? Node("Add", Scope(block), new[] { x, y }) : y;
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Torchvision;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace CnnGen.Tests.Tool
{
    /// <summary>
    /// `cnngen import` of branching models: torchvision's ResNet-18 and MobileNetV2 and a CIFAR ResNet-20 (BatchNorm
    /// folded and kept) come out as [Block] types used by Residual attributes, identical blocks once; the printed
    /// declaration compiles, loads the same .onnx (and, with torchvision's names, the state_dict) and computes what the
    /// hand-written declarations of TorchvisionNetworks.cs compute. Concat with an identity branch, squeeze-and-excitation
    /// gates, SiLU/HardSwish written as a Mul, nested blocks; and what has no attribute, listed.
    /// </summary>
    public class CnnGenImportBlocksTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("cnngen-import-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private string Save(byte[] bytes, string name)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        private static (int Code, string Out, string Err) Import(string path, string name)
        {
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter { NewLine = "\n" };
            int code = global::CnnGen.Tool.Program.Run(new[] { "import", path, "--name", name }, output, error);
            return (code, output.ToString(), error.ToString());
        }

        private static int BlockCount(string declaration) => Regex.Matches(declaration, @"^\[Block\]$", RegexOptions.Multiline).Count;

        /// <summary>How many residual blocks run: each [Residual] attribute Repeat times.</summary>
        private static int ResidualCount(string declaration) => Regex.Matches(declaration, @"^\[Residual\(.*?(Repeat = (\d+))?\)\]$", RegexOptions.Multiline)
            .Sum(m => m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 1);

        private static float[] Run(IConvNet net, float[] input, int batch)
        {
            var output = new float[net.OutputLength * batch];
            net.Forward(input, output, batch);
            return output;
        }

        /// <summary>1e-5 of the largest output plus 1e-4 of each, as the ONNX Runtime comparisons.</summary>
        private static void AssertClose(float[] expected, float[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            float scale = Math.Max(1f, expected.Max(MathF.Abs));
            for (int i = 0; i < expected.Length; i++)
                if (!(Math.Abs(actual[i] - expected[i]) <= 1e-5f * scale + 1e-4f * Math.Abs(expected[i])))
                    Assert.Fail($"{what}: output {i} is {actual[i]}, expected {expected[i]} (largest output {scale})");
        }

        private static float[] RunOrt(byte[] onnx, float[] input, int[] shape)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(onnx, options);
            var tensor = new DenseTensor<float>(input, shape);
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor) });
            return results.Single().AsEnumerable<float>().ToArray();
        }

        public static IEnumerable<object[]> Exports() => new[]
        {
            new object[] { "resnet18", false }, new object[] { "resnet18", true },
            new object[] { "mobilenet_v2", false }, new object[] { "mobilenet_v2", true },
            new object[] { "cifar_resnet20", false }, new object[] { "cifar_resnet20", true },
        };

        /// <summary>
        /// The block types each model imports to, and the residual blocks that run: ResNet-18 7 BasicBlock bodies for its
        /// 8 residuals (layer1's two are one type, used with Repeat = 2; the others differ in width or stride) and 3
        /// downsample shortcuts; MobileNetV2 one block per width for its 10 inverted residuals with a sum (the 7 without a
        /// sum stay plain layers); ResNet-20 5 bodies for 9 residuals and 2 shortcuts.
        /// </summary>
        private static (int Blocks, int Residuals) Expected(string name) => name switch
        {
            "resnet18" => (10, 8),
            "mobilenet_v2" => (5, 10),
            _ => (7, 9),
        };

        [Theory]
        [MemberData(nameof(Exports))]
        public void Torchvision_models_import_to_blocks_that_load_the_file_and_compute_what_the_handwritten_declarations_do(string name, bool keepBatchNorm)
        {
            var options = new TorchExportOptions { FoldBatchNorm = !keepBatchNorm };
            TorchvisionModel model = name switch
            {
                "resnet18" => TorchvisionModels.ResNet18(18, options),
                "mobilenet_v2" => TorchvisionModels.MobileNetV2(2, options),
                _ => TorchvisionModels.CifarResNet20(20, options),
            };
            string onnx = Save(model.Onnx, name + ".onnx");
            var (code, output, error) = Import(onnx, "Imported");
            Assert.True(code == 0, error);
            Assert.DoesNotContain("note:", error);
            (int blocks, int residuals) = Expected(name);
            Assert.Equal(blocks, BlockCount(output));
            Assert.Equal(residuals, ResidualCount(output));
            if (name == "resnet18")
            {
                // 8 BasicBlocks, 7 body types: no block is written twice.
                Assert.Equal(7, Regex.Matches(output, @"^public partial class Basic\d+(Down)? \{ \}$", RegexOptions.Multiline).Count);
                Assert.Equal(3, Regex.Matches(output, @"^public partial class Downsample\d+ \{ \}$", RegexOptions.Multiline).Count);
                Assert.Contains(keepBatchNorm ? "[Residual(typeof(Basic64), Name = \"layer1\", ReLU = true, Repeat = 2)]\n" : "[Residual(typeof(Basic64), ReLU = true, Repeat = 2)]\n", output);
                Assert.Contains(keepBatchNorm
                    ? "[Residual(typeof(Basic128Down), Name = \"layer2.0\", Shortcut = typeof(Downsample128), ReLU = true)]\n"
                    : "[Residual(typeof(Basic128Down), Shortcut = typeof(Downsample128), ReLU = true)]\n", output);
                Assert.Contains(keepBatchNorm
                    ? "[Block]\n[Conv(128, 1, Name = \"downsample.0\", Stride = 2, Bias = false)]\n[BatchNorm(Epsilon = 1E-05f, Name = \"downsample.1\")]\npublic partial class Downsample128 { }\n"
                    : "[Block]\n[Conv(128, 1, Stride = 2)]\npublic partial class Downsample128 { }\n", output);
            }
            if (name == "mobilenet_v2" && keepBatchNorm)
            {
                Assert.Contains("[Residual(typeof(Inverted32), Name = \"features.5\")]\n[Residual(typeof(Inverted32), Name = \"features.6\")]\n", output);
                Assert.Contains("[DepthwiseConv(3, Name = \"conv.1.0\", Pads = new[] { 1, 1, 1, 1 }, Bias = false)]\n", output);
            }

            Type imported = InMemoryNetworks.Compile(output).GetType("Imported", throwOnError: true)!;
            const int batch = 2;
            float[] input = model.RandomInput(5, batch);
            IConvNet Handwritten(string path) => name switch
            {
                "resnet18" => ResNet18.Load(path),
                "mobilenet_v2" => MobileNetV2.Load(path),
                _ => CifarResNet20.Load(path),
            };
            float[] expected = Run(Handwritten(onnx), input, batch);
            AssertClose(expected, Run(InMemoryNetworks.Load(imported, onnx), input, batch), $"{name} imported, from its .onnx");
            if (!keepBatchNorm) return;

            // torchvision's names: the state_dict's keys are the imported declaration's parameters, and it loads by name.
            NetworkSpec spec = InMemoryNetworks.Spec(imported);
            NetworkSpec handwritten = name switch { "resnet18" => ResNet18.Spec, "mobilenet_v2" => MobileNetV2.Spec, _ => CifarResNet20.Spec };
            Assert.Equal(handwritten.ParameterNames, spec.ParameterNames);
            string safetensors = Save(model.Safetensors(), name + ".safetensors");
            AssertClose(expected, Run(InMemoryNetworks.Load(imported, safetensors), input, batch), $"{name} imported, from its state_dict");
        }

        /// <summary>
        /// A graph as a PyTorch export writes it: SiLU as Sigmoid + Mul, an Inception-style Concat of x itself, a 1x1
        /// branch and a branch with a residual inside, a squeeze-and-excitation gate of 1x1 convolutions on the pooled
        /// [N, C, 1, 1] with HardSigmoid (Mul(gate, x), gate first), a ResNet block, a gate of Gemm on the flattened [N, C]
        /// unsqueezed to [N, C, 1, 1], HardSwish as HardSigmoid + Mul, the classifier.
        /// </summary>
        private static byte[] BranchingGraph(Random r)
        {
            var b = new OnnxBuilder(new long[] { 1, 4, 8, 8 });
            string W(params long[] shape) => b.Initializer(shape, Enumerable.Range(0, (int)shape.Aggregate(1L, (p, d) => p * d)).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray());
            Action<ProtoWriter> Conv(long k) => OnnxBuilder.Attributes(("kernel_shape", new[] { k, k }), ("pads", Enumerable.Repeat((k - 1) / 2, 4).ToArray()));
            string c1 = b.Add("Conv", new[] { "input", W(8, 4, 3, 3), W(8) }, Conv(3));
            string a = b.Add("Mul", new[] { c1, b.Add("Sigmoid", new[] { c1 }) });
            string b1 = b.Add("Conv", new[] { a, W(4, 8, 1, 1), W(4) }, Conv(1));
            string p = b.Add("MaxPool", new[] { a }, OnnxBuilder.Attributes(("kernel_shape", new long[] { 3, 3 }), ("pads", new long[] { 1, 1, 1, 1 }), ("strides", new long[] { 1, 1 })));
            string q = b.Add("Conv", new[] { p, W(8, 8, 3, 3), W(8) }, Conv(3));
            string b2 = b.Add("Conv", new[] { b.Add("Add", new[] { q, p }), W(4, 8, 1, 1), W(4) }, Conv(1));
            string cat = b.Add("Concat", new[] { a, b1, b2 }, OnnxBuilder.Attributes(("axis", 1L)));
            string g = b.Add("GlobalAveragePool", new[] { cat });
            g = b.Add("Relu", new[] { b.Add("Conv", new[] { g, W(4, 16, 1, 1), W(4) }, Conv(1)) });
            g = b.Add("HardSigmoid", new[] { b.Add("Conv", new[] { g, W(16, 4, 1, 1), W(16) }, Conv(1)) }, OnnxBuilder.Attributes(("alpha", 1f / 6f), ("beta", 0.5f)));
            string se = b.Add("Mul", new[] { g, cat });
            string y = b.Add("Relu", new[] { b.Add("Conv", new[] { se, W(16, 16, 3, 3), W(16) }, Conv(3)) });
            y = b.Add("Conv", new[] { y, W(16, 16, 3, 3), W(16) }, Conv(3));
            y = b.Add("Relu", new[] { b.Add("Add", new[] { y, se }) });
            // A gate computed on the flattened [N, C] and unsqueezed to [N, C, 1, 1].
            string v = b.Add("Flatten", new[] { b.Add("GlobalAveragePool", new[] { y }) }, OnnxBuilder.Attributes(("axis", 1L)));
            v = b.Add("Sigmoid", new[] { b.Add("Gemm", new[] { v, W(16, 16), W(16) }, OnnxBuilder.Attributes(("transB", 1L))) });
            y = b.Add("Mul", new[] { y, b.Add("Unsqueeze", new[] { v, b.IntInitializer(new long[] { 2, 3 }) }) });
            y = b.Add("Mul", new[] { b.Add("HardSigmoid", new[] { y }, OnnxBuilder.Attributes(("alpha", 1f / 6f), ("beta", 0.5f))), y }); // hardswish
            y = b.Add("Flatten", new[] { b.Add("GlobalAveragePool", new[] { y }) }, OnnxBuilder.Attributes(("axis", 1L)));
            b.Add("Gemm", new[] { y, W(3, 16), W(3) }, OnnxBuilder.Attributes(("transB", 1L)));
            return b.Build(new long[] { 1, 3 });
        }

        [Fact]
        public void A_concat_with_x_itself_a_gate_and_nested_blocks_import_and_agree_with_ONNX_Runtime()
        {
            byte[] model = BranchingGraph(new Random(3));
            string path = Save(model, "branching.onnx");
            var (code, output, error) = Import(path, "Branching");
            Assert.True(code == 0, error);
            Assert.Contains("""
                [ConvNet(4, 8, 8)]
                [Conv(8, 3, Pads = new[] { 1, 1, 1, 1 })]
                [SiLU]
                [Concat(typeof(Identity), typeof(Branch4), typeof(Branch4_2))]
                [Multiply(typeof(SqueezeExcite16))]
                [Residual(typeof(Basic16), ReLU = true)]
                [Multiply(typeof(SqueezeExcite16_2))]
                [HardSwish]
                [GlobalAvgPool]
                [Dense(3)]
                public partial class Branching { }

                [Block]
                [Conv(4, 1)]
                public partial class Branch4 { }

                [Block]
                [MaxPool(3, Stride = 1, Pads = new[] { 1, 1, 1, 1 })]
                [Residual(typeof(Residual8))]
                [Conv(4, 1)]
                public partial class Branch4_2 { }

                [Block]
                [Conv(8, 3, Pads = new[] { 1, 1, 1, 1 })]
                public partial class Residual8 { }

                [Block]
                [GlobalAvgPool]
                [Dense(4)]
                [ReLU]
                [Dense(16)]
                [HardSigmoid]
                public partial class SqueezeExcite16 { }

                [Block]
                [Conv(16, 3, Pads = new[] { 1, 1, 1, 1 })]
                [ReLU]
                [Conv(16, 3, Pads = new[] { 1, 1, 1, 1 })]
                public partial class Basic16 { }

                [Block]
                [GlobalAvgPool]
                [Dense(16)]
                [Sigmoid]
                public partial class SqueezeExcite16_2 { }
                """.Replace("\r\n", "\n"), output);

            IConvNet net = InMemoryNetworks.Load(InMemoryNetworks.Compile(output).GetType("Branching", throwOnError: true)!, path);
            var r = new Random(9);
            float[] input = Enumerable.Range(0, 4 * 8 * 8).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
            AssertClose(RunOrt(model, input, new[] { 1, 4, 8, 8 }), Run(net, input, 1), "the imported branching graph");
        }

        /// <summary>Identical branches are one block used twice; blocks declared in CnnGen round-trip through ONNX.</summary>
        [Fact]
        public void A_declared_network_with_blocks_round_trips_through_its_ONNX_export()
        {
            const string declared = """
                using CnnGen;
                namespace Export;
                [ConvNet(3, 16, 16)]
                [Conv(8, 3, Padding = Padding.Same, Name = "stem"), BatchNorm, HardSwish]
                [Concat(typeof(Pointwise), typeof(Pointwise), typeof(Identity))]
                [Multiply(typeof(Excite))]
                [Residual(typeof(Body), Shortcut = typeof(Project), ReLU = true, Name = "stage")]
                [Upsample(2), ZeroPad(1, Channels = 4)]
                [Conv(4, 3, Groups = 4, Stride = 2), DepthwiseConv(3, Multiplier = 2)]
                [GlobalAvgPool, Dense(5, Name = "head")]
                public partial class Net { }

                [Block] [Conv(8, 1, Bias = false), BatchNorm, ReLU6] public partial class Pointwise { }
                [Block] [GlobalAvgPool, Dense(6), SiLU, Dense(24), Sigmoid] public partial class Excite { }
                [Block] [Conv(16, 3, Stride = 2, Padding = Padding.Same), ReLU, Conv(16, 3, Padding = Padding.Same)] public partial class Body { }
                [Block] [Conv(16, 1, Stride = 2, Name = "proj")] public partial class Project { }
                """;
            Type source = InMemoryNetworks.Compile(declared).GetType("Export.Net", throwOnError: true)!;
            NetworkSpec spec = InMemoryNetworks.Spec(source);
            var random = new Random(11);
            float[] parameters = Forward.RandomArchitectures.Parameters(spec, random);
            string onnx = Save(OnnxExport.Write(spec, parameters), "net.onnx");
            string safetensors = Save(SafetensorsWriter.Write(spec.Parameters.Select(t =>
                (t.Key, t.Shape.Select(v => (long)v).ToArray(), parameters.Skip(t.Offset).Take(t.Length).ToArray()))), "net.safetensors");

            var (code, output, error) = Import(onnx, "Imported");
            Assert.True(code == 0, error);
            Assert.Contains("[Concat(typeof(Branch8), typeof(Branch8), typeof(Identity))]\n", output); // one block type, used twice
            Assert.Contains("[Multiply(typeof(SqueezeExcite24))]\n", output);
            Assert.Contains("[Residual(typeof(Basic16Down), Name = \"stage\", Shortcut = typeof(Downsample16), ReLU = true)]\n", output);
            Assert.Contains("[Conv(16, 1, Name = \"proj\", Stride = 2)]\n", output);
            Assert.Contains("[Upsample(2)]\n[ZeroPad(1, Channels = 4)]\n[Conv(4, 3, Stride = 2, Groups = 4)]\n[DepthwiseConv(3, Multiplier = 2)]\n", output);
            Assert.Contains("[Dense(5, Name = \"head\")]\n", output);
            Assert.Equal(4, BlockCount(output));

            Type imported = InMemoryNetworks.Compile(output).GetType("Imported", throwOnError: true)!;
            Assert.Equal(spec.ParameterNames, InMemoryNetworks.Spec(imported).ParameterNames);
            float[] input = Forward.RandomArchitectures.Inputs(spec.InputLength, random);
            float[] expected = Run(InMemoryNetworks.Create(source, parameters), input, 1);
            AssertClose(expected, Run(InMemoryNetworks.Load(imported, onnx), input, 1), "imported from the .onnx");
            AssertClose(expected, Run(InMemoryNetworks.Load(imported, safetensors), input, 1), "imported, from the safetensors");
        }

        [Fact]
        public void Merges_CnnGen_cannot_express_are_listed_with_exit_code_1()
        {
            var r = new Random(1);
            string W(OnnxBuilder b, params long[] shape) => b.Initializer(shape, Enumerable.Range(0, (int)shape.Aggregate(1L, (p, d) => p * d)).Select(_ => (float)r.NextDouble()).ToArray());
            Action<ProtoWriter> OneByOne = OnnxBuilder.Attributes(("kernel_shape", new long[] { 1, 1 }));

            // x - conv(x): a Sub of two branches.
            var sub = new OnnxBuilder(new long[] { 1, 2, 4, 4 });
            sub.Add("Sub", new[] { "input", sub.Add("Conv", new[] { "input", W(sub, 2, 2, 1, 1) }, OneByOne) }, name: "difference");
            // DenseNet-style: Concat(x, f(x), g(f(x))) reuses f in two branches; then conv(x) * relu(x), two computed factors.
            var dense = new OnnxBuilder(new long[] { 1, 2, 4, 4 });
            string f = dense.Add("Conv", new[] { "input", W(dense, 2, 2, 1, 1) }, OneByOne, name: "f");
            string g = dense.Add("Conv", new[] { f, W(dense, 2, 2, 1, 1) }, OneByOne, name: "g");
            string cat = dense.Add("Concat", new[] { "input", f, g }, OnnxBuilder.Attributes(("axis", 1L)), name: "dense_concat");
            dense.Add("Mul", new[] { dense.Add("Conv", new[] { cat, W(dense, 6, 6, 1, 1) }, OneByOne), dense.Add("Relu", new[] { cat }) }, name: "product");

            // x.view(x.size(0), -1): the Reshape's shape is computed from the data; and a Relu whose result nothing reads.
            var dynamic = new OnnxBuilder(new long[] { 1, 2, 4, 4 });
            string c = dynamic.Add("Conv", new[] { "input", W(dynamic, 2, 2, 1, 1) }, OneByOne);
            dynamic.Add("Relu", new[] { c }, name: "unused");
            string size = dynamic.Add("Gather", new[] { dynamic.Add("Shape", new[] { c }, name: "shape"), dynamic.IntInitializer(new long[] { 0 }) }, OnnxBuilder.Attributes(("axis", 0L)));
            dynamic.Add("Reshape", new[] { c, dynamic.Add("Concat", new[] { size, dynamic.IntInitializer(new long[] { -1 }) }, OnnxBuilder.Attributes(("axis", 0L))) }, name: "view");

            foreach (var (model, messages) in new[]
                     {
                         (dynamic.Build(new long[] { 1, 32 }), new[]
                         {
                             "Relu node 'unused' (reading '" + c + "') does not lead to the model's output",
                             "  - Shape node 'shape' reads the shape of '" + c + "' while the model runs (for Reshape node 'view'); export with fixed shapes",
                         }),
                         (sub.Build(new long[] { 1, 2, 4, 4 }), new[] { "Sub node 'difference' joins 2 values computed from 'input'", "CnnGen joins branches with Add (Residual), Concat along the channels (Concat) and Mul of x by a gate (Multiply)" }),
                         (dense.Build(new long[] { 1, 6, 4, 4 }), new[]
                         {
                             "Concat node 'dense_concat' joins branches from 'input' that share Conv node 'f'",
                             "  - Mul node 'product' multiplies two values computed from",
                         }),
                     })
            {
                var (code, output, error) = Import(Save(model, "unexpressible.onnx"), "Net");
                Assert.Equal(1, code);
                Assert.Equal("", output);
                Assert.Contains("cannot be written as a CnnGen network:", error);
                Assert.Contains("  - " + messages[0], error);
                foreach (string m in messages) Assert.Contains(m, error);
            }
        }
    }
}

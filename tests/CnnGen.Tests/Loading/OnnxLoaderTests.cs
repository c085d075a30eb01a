using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Tests.Forward;
using CnnGen.Tests.Infrastructure;
using Xunit;
using static CnnGen.Tests.Infrastructure.OnnxBuilder;

namespace CnnGen.Tests.Loading
{
    public class OnnxLoaderTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("cnngen-onnx-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static float[] Random(int n, int seed)
        {
            var r = new Random(seed);
            return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        }

        private static float[] Transpose(float[] w, int rows, int cols)
        {
            var t = new float[w.Length];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j];
            return t;
        }

        private string Save(byte[] model, string name = "model.onnx")
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, model);
            return path;
        }

        /// <summary>LeNet-5 exported the ways exporters do: Conv with B, Conv + Add, Gemm transB, MatMul + Add, Gemm with [K, N].</summary>
        private static (byte[] Model, float[] Flat) LeNet5Onnx(Action<OnnxBuilder, string>? tamper = null)
        {
            float[] flat = Random((int)LeNet5.ParameterCount, 7);
            Func<string, float[]> slice = key =>
            {
                int i = LeNet5.Spec.ParameterNames.ToList().IndexOf(key);
                int[] lengths = { 150, 6, 2400, 16, 48000, 120, 10080, 84, 840, 10 };
                return flat.Skip(lengths.Take(i).Sum()).Take(lengths[i]).ToArray();
            };
            var b = new OnnxBuilder(new long[] { -1, 1, 28, 28 });
            b.Node("Conv", new[] { b.Initializer(new long[] { 6, 1, 5, 5 }, slice("conv1.weight")), b.Initializer(new long[] { 6 }, slice("conv1.bias")) },
                Attributes(("kernel_shape", new long[] { 5, 5 }), ("auto_pad", "SAME_UPPER")));
            tamper?.Invoke(b, "conv1");
            b.Node("Relu").Node("MaxPool", null, Attributes(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })));
            b.Node("Conv", new[] { b.Initializer(new long[] { 16, 6, 5, 5 }, slice("conv2.weight")) }, Attributes(("pads", new long[] { 0, 0, 0, 0 })));
            b.Node("Add", new[] { b.Initializer(new long[] { 16, 1, 1 }, slice("conv2.bias")) });
            b.Node("Relu").Node("MaxPool", null, Attributes(("kernel_shape", new long[] { 2, 2 }), ("strides", new long[] { 2, 2 })));
            b.Node("Reshape", new[] { b.IntInitializer(new long[] { 0, -1 }) });
            b.Node("Dropout");
            b.Node("Gemm", new[] { b.Initializer(new long[] { 120, 400 }, slice("fc1.weight")), b.Initializer(new long[] { 120 }, slice("fc1.bias")) }, Attributes(("transB", 1L)));
            b.Node("Relu");
            b.Node("MatMul", new[] { b.Initializer(new long[] { 120, 84 }, Transpose(slice("fc2.weight"), 84, 120)) });
            b.Node("Add", new[] { b.Initializer(new long[] { 84 }, slice("fc2.bias")) });
            b.Node("Relu");
            b.Node("Gemm", new[] { b.Initializer(new long[] { 84, 10 }, Transpose(slice("fc3.weight"), 10, 84)), b.Initializer(new long[] { 1, 10 }, slice("fc3.bias")) });
            b.Node("Softmax", null, Attributes(("axis", 1L)));
            return (b.Build(new long[] { -1, 10 }), flat);
        }

        [Fact]
        public void LeNet5_from_ONNX_equals_the_flat_parameters()
        {
            (byte[] model, float[] flat) = LeNet5Onnx();
            LeNet5 loaded = LeNet5.Load(Save(model));
            var direct = new LeNet5(flat);
            float[] x = Random(784 * 3, 9);
            float[] a = new float[30], b = new float[30];
            loaded.Forward(x, a, 3);
            direct.Forward(x, b, 3);
            Assert.Equal(b, a);
            Assert.Equal(flat, WeightLoader.Load(Path.Combine(_dir, "model.onnx"), LeNet5.Spec));
        }

        [Fact]
        public void BatchNorm_after_a_conv_is_folded_when_not_declared_and_kept_when_declared()
        {
            // SmallNet declares features.1 as BatchNorm: map it. A copy without BatchNorm folds it into the conv.
            float[] w = Random(3 * 2 * 9, 1), bias = Random(3, 2), scale = Random(3, 3), shift = Random(3, 4), mean = Random(3, 5);
            float[] variance = Random(3, 6).Select(v => v + 1f).ToArray();
            float[] fcw = Random(4 * 3, 7), fcb = Random(4, 8);
            var b = new OnnxBuilder(new long[] { 1, 2, 6, 6 });
            b.Node("Conv", new[] { b.Initializer(new long[] { 3, 2, 3, 3 }, w), b.Initializer(new long[] { 3 }, bias) }, Attributes(("pads", new long[] { 1, 1, 1, 1 })));
            b.Node("BatchNormalization", new[] { b.Initializer(new long[] { 3 }, scale), b.Initializer(new long[] { 3 }, shift), b.Initializer(new long[] { 3 }, mean), b.Initializer(new long[] { 3 }, variance) });
            b.Node("Relu").Node("GlobalAveragePool").Node("Flatten");
            b.Node("Gemm", new[] { b.Initializer(new long[] { 4, 3 }, fcw), b.Initializer(new long[] { 4 }, fcb) }, Attributes(("transB", 1L)));
            string path = Save(b.Build(new long[] { 1, 4 }));

            var x = Random(72, 11);
            var declared = new float[4];
            SmallNet.Load(path).Forward(x, declared);
            var expected = new float[4];
            new SmallNet(w.Concat(bias).Concat(scale).Concat(shift).Concat(mean).Concat(variance).Concat(fcw).Concat(fcb).ToArray()).Forward(x, expected);
            Assert.Equal(expected, declared);

            var folded = new float[4];
            FoldedNet.Load(path).Forward(x, folded);
            for (int i = 0; i < 4; i++) Assert.InRange(folded[i], expected[i] - 1e-5f, expected[i] + 1e-5f);
        }

        public static IEnumerable<object[]> Mismatches() => new[]
        {
            new object[] { "kernel", "layer 'conv1' (Conv): declared weight [K, C, F...] = [6, 1, 5, 5], the model's 'w0' is [6, 1, 3, 3]" },
            new object[] { "stride", "layer 'conv1' (Conv): declared strides [1, 1], the model's Conv node|has strides [2, 2]" },
            new object[] { "pads", "layer 'conv1' (Conv): declared pads [2, 2, 2, 2] (begins, then ends), the model's Conv node|has pads [1, 1, 1, 1]" },
            new object[] { "extra", "layer 'relu1' is declared as ReLU, but the model has Sigmoid node" },
        };

        [Theory]
        [MemberData(nameof(Mismatches))]
        public void A_model_that_differs_from_the_declaration_names_the_layer_and_both_values(string change, string message)
        {
            var b = new OnnxBuilder(new long[] { 1, 1, 28, 28 });
            Action<ProtoWriter> attrs = change switch
            {
                "stride" => Attributes(("strides", new long[] { 2, 2 }), ("pads", new long[] { 2, 2, 2, 2 })),
                "pads" => Attributes(("pads", new long[] { 1, 1, 1, 1 })),
                _ => Attributes(("pads", new long[] { 2, 2, 2, 2 })),
            };
            int f = change == "kernel" ? 3 : 5;
            b.Node("Conv", new[] { b.Initializer(new long[] { 6, 1, f, f }, new float[6 * f * f]), b.Initializer(new long[] { 6 }, new float[6]) }, attrs);
            if (change == "extra") b.Node("Sigmoid");
            b.Node("Relu");
            var e = Assert.Throws<InvalidDataException>(() => LeNet5.Load(Save(b.Build(new long[] { 1, 6, 28, 28 }))));
            foreach (string part in message.Split('|')) Assert.Contains(part, e.Message);
            Assert.StartsWith("LeNet5: ", e.Message);
        }

        [Fact]
        public void A_model_that_ends_early_or_goes_on_says_so()
        {
            (byte[] model, _) = LeNet5Onnx();
            var e = Assert.Throws<InvalidDataException>(() => Mnist8.Load(Save(model)));
            Assert.Contains("Mnist8: ", e.Message);
            var b = new OnnxBuilder(new long[] { 1, 1, 28, 28 });
            b.Node("Conv", new[] { b.Initializer(new long[] { 6, 1, 5, 5 }, new float[150]), b.Initializer(new long[] { 6 }, new float[6]) }, Attributes(("pads", new long[] { 2, 2, 2, 2 })));
            e = Assert.Throws<InvalidDataException>(() => LeNet5.Load(Save(b.Build(new long[] { 1, 6, 28, 28 }), "short.onnx")));
            Assert.Contains("layer 'relu1' (ReLU) is declared, but the model ends before it", e.Message);
        }

        /// <summary>
        /// ONNX broadcasting right-aligns a constant's dimensions with the output's: after a convolution's [N, K, H, W]
        /// output, [K, 1, 1] and [1, K, 1, 1] are one value per filter, but [K] lines up with W. Folding that as a bias
        /// would give other outputs than ONNX Runtime: it is refused, naming the shape a bias has.
        /// </summary>
        [Theory]
        [InlineData(new long[] { 16, 1, 1 }, true)]
        [InlineData(new long[] { 1, 16, 1, 1 }, true)]
        [InlineData(new long[] { 16 }, false)]
        [InlineData(new long[] { 1, 16 }, false)]
        public void A_constant_after_a_convolution_is_its_bias_only_where_broadcasting_puts_it_on_the_channels(long[] shape, bool fits)
        {
            var b = new OnnxBuilder(new long[] { 1, 3, 16, 16 });
            b.Node("Conv", new[] { b.Initializer(new long[] { 16, 3, 1, 1 }, Random(48, 1)) });
            b.Node("Add", new[] { b.Initializer(shape, Random(16, 2)) });
            b.Node("Mul", new[] { b.Initializer(new long[] { 16, 1, 1 }, Random(16, 3)) });
            string path = Save(b.Build(new long[] { 1, 16, 16, 16 }));
            var spec = new NetworkSpec("BiasNet", new[] { 3, 16, 16 }, LayerSpec.Conv("conv", 16, new[] { 1, 1 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, new[] { 1, 1 }, bias: true));
            if (fits)
            {
                float[] flat = WeightLoader.Load(path, spec);
                float[] bias = Random(16, 2), scale = Random(16, 3);
                for (int k = 0; k < 16; k++) Assert.Equal(bias[k] * scale[k], flat[48 + k], 6);
                return;
            }
            var e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(path, spec));
            Assert.Contains($"layer 'conv': Add node", e.Message);
            Assert.Contains("ONNX broadcasting lines up with the output's last", e.Message);
            Assert.Contains("a per-filter bias has shape [16, 1, 1]", e.Message);
        }

        /// <summary>
        /// Dropout's training_mode (opset 12 on) is a BOOL tensor, one byte per value: true is refused (training drops
        /// values at random), false is the identity. ONNX's test_training_dropout* cases pass it so.
        /// </summary>
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Dropout_with_a_BOOL_training_mode_is_the_identity_only_when_false(bool training)
        {
            var b = new OnnxBuilder(new long[] { 1, 3, 4, 4 });
            string x = b.Node("Relu").Current;
            string ratio = b.Initializer(Array.Empty<long>(), new[] { 0.5f });
            string mode = b.Add("Constant", Array.Empty<string>(), Attributes(("value", Tensor("", Array.Empty<long>(), 9, new byte[] { training ? (byte)1 : (byte)0 }))));
            b.Node("Dropout", inputs: new[] { x, ratio, mode });
            string path = Save(b.Build(new long[] { 1, 3, 4, 4 }));
            var spec = new NetworkSpec("DropoutNet", new[] { 3, 4, 4 }, LayerSpec.ReLU("relu"), LayerSpec.Dropout("drop", 0.5f));
            if (!training)
            {
                Assert.Empty(WeightLoader.Load(path, spec));
                return;
            }
            var e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(path, spec));
            Assert.Contains("Dropout node", e.Message);
            Assert.Contains("training mode", e.Message);
        }

        [Fact]
        public void Unsupported_operators_are_named()
        {
            var b = new OnnxBuilder(new long[] { 1, 1, 28, 28 });
            b.Node("Conv", new[] { b.Initializer(new long[] { 6, 1, 5, 5 }, new float[150]) }, Attributes(("pads", new long[] { 2, 2, 2, 2 }), ("group", 1L)));
            b.Node("LRN", null, Attributes(("size", 3L)));
            var e = Assert.Throws<InvalidDataException>(() => LeNet5.Load(Save(b.Build(new long[] { 1, 6, 28, 28 }))));
            Assert.Contains("LRN", e.Message);
            Assert.Contains("cannot express", e.Message);
        }

        [Fact]
        public void Every_truncation_and_random_corruption_gives_InvalidDataException_only()
        {
            (byte[] model, _) = LeNet5Onnx();
            string path = Path.Combine(_dir, "broken.onnx");
            var random = new Random(5);
            int checkedCount = 0;
            var lengths = Enumerable.Range(0, 600).Concat(Enumerable.Range(0, 400).Select(_ => random.Next(model.Length)));
            foreach (int length in lengths)
            {
                File.WriteAllBytes(path, model.AsSpan(0, length).ToArray());
                AssertFailsCleanly(path);
                checkedCount++;
            }
            for (int i = 0; i < 1500; i++)
            {
                byte[] copy = (byte[])model.Clone();
                for (int k = 0; k < 1 + random.Next(4); k++) copy[random.Next(copy.Length)] = (byte)random.Next(256);
                File.WriteAllBytes(path, copy);
                try
                {
                    LeNet5.Load(path);
                }
                catch (InvalidDataException)
                {
                }
                checkedCount++;
            }
            Assert.Equal(2500, checkedCount);
        }

        private static void AssertFailsCleanly(string path)
        {
            var e = Assert.ThrowsAny<Exception>(() => LeNet5.Load(path));
            Assert.True(e is InvalidDataException, $"{e.GetType().Name}: {e.Message}");
        }

        [Fact]
        public void Hostile_tensors_are_refused_before_any_large_allocation()
        {
            var cases = new (long[] Dims, int Bytes, string Message)[]
            {
                (new long[] { 1_000_000_000_000 }, 8, "hold more than"),
                (new long[] { 6, 1, 5, 5 }, 8, "raw_data has 8 bytes, but its dims need 150 x 4 = 600"),
                (new long[] { -6, 1, 5, 5 }, 8, "dimension -6 is negative"),
                (new long[] { 65536, 65536 }, 16, "hold more than"),
            };
            foreach (var c in cases)
            {
                var tensor = new ProtoWriter().PackedInts(1, c.Dims).Varint(2, 1).String(8, "conv1.w").Bytes(9, new byte[c.Bytes]);
                var graph = new ProtoWriter().Message(1, new ProtoWriter().String(1, "input").String(1, "conv1.w").String(2, "y").String(4, "Conv")).Message(5, tensor);
                string path = Save(new ProtoWriter().Message(7, graph).ToArray(), "hostile.onnx");
                long before = GC.GetAllocatedBytesForCurrentThread();
                var e = Assert.Throws<InvalidDataException>(() => LeNet5.Load(path));
                Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "allocated more than the file justifies");
                Assert.Contains("conv1.w", e.Message);
                Assert.Contains(c.Message, e.Message);
            }
            string notOnnx = Save(System.Text.Encoding.UTF8.GetBytes("this is not a model"), "text.onnx");
            Assert.Throws<InvalidDataException>(() => LeNet5.Load(notOnnx));
            Assert.Throws<FileNotFoundException>(() => LeNet5.Load(Path.Combine(_dir, "missing.onnx")));
        }
    }
}

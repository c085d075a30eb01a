using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using CnnGen.Loading;
using CnnGen.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace CnnGen.Tests.Loading
{
    /// <summary>
    /// The torchvision model writers checked on their own (with ONNX Runtime and the state_dict's bookkeeping): every
    /// export form of one seed computes the same function, and the state_dicts have torchvision's keys and sizes.
    /// </summary>
    public class TorchvisionModelTests
    {
        private static TorchvisionModel Model(string name, int seed, TorchExportOptions? options = null) => name switch
        {
            "resnet18" => TorchvisionModels.ResNet18(seed, options),
            "mobilenet_v2" => TorchvisionModels.MobileNetV2(seed, options),
            "cifar_resnet20" => TorchvisionModels.CifarResNet20(seed, options),
            _ => throw new ArgumentException(name),
        };

        /// <summary>ONNX Runtime with its graph optimizations off, so it computes the graph as written (no Conv-BN fusion of its own).</summary>
        private static float[] RunOrt(TorchvisionModel model, float[] input, int batch)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            using var session = new InferenceSession(model.Onnx, options);
            var tensor = new DenseTensor<float>(input, new[] { batch }.Concat(model.InputShape).ToArray());
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor) });
            Assert.Equal("output", results.Single().Name);
            return results.Single().AsEnumerable<float>().ToArray();
        }

        private static void AssertClose(float[] expected, float[] actual, float relative, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            float scale = expected.Max(MathF.Abs);
            for (int i = 0; i < expected.Length; i++)
            {
                if (!(Math.Abs(expected[i] - actual[i]) <= relative * scale))
                    Assert.Fail($"{what}: output {i} is {actual[i]}, expected {expected[i]} (scale {scale})");
            }
        }

        private static OnnxModel Graph(TorchvisionModel model) => OnnxModel.Read(model.Onnx, model.Name);

        [Theory]
        [InlineData("resnet18", 1000)]
        [InlineData("mobilenet_v2", 1000)]
        [InlineData("cifar_resnet20", 10)]
        public void Each_model_runs_in_ONNX_Runtime_with_sane_outputs(string name, int classes)
        {
            TorchvisionModel model = Model(name, 1);
            Assert.Equal(classes, model.OutputLength);
            const int batch = 2;
            float[] output = RunOrt(model, model.RandomInput(10, batch), batch);
            Assert.Equal(batch * classes, output.Length);
            Assert.All(output, v => Assert.True(float.IsFinite(v)));
            // Activations neither vanish nor explode over the depth, and the two examples get different logits.
            float max = output.Max(MathF.Abs);
            Assert.InRange(max, 1e-2f, 1e3f);
            Assert.True(Enumerable.Range(0, classes).Max(i => Math.Abs(output[i] - output[classes + i])) > 1e-3f * max);
        }

        [Theory]
        [InlineData("resnet18")]
        [InlineData("mobilenet_v2")]
        [InlineData("cifar_resnet20")]
        public void Folded_and_kept_BatchNorm_exports_agree(string name)
        {
            TorchvisionModel folded = Model(name, 2), kept = Model(name, 2, new TorchExportOptions { FoldBatchNorm = false });
            OnnxModel f = Graph(folded), k = Graph(kept);
            Assert.DoesNotContain(f.Nodes, n => n.OpType == "BatchNormalization");
            Assert.Equal(k.Nodes.Count(n => n.OpType == "Conv"), k.Nodes.Count(n => n.OpType == "BatchNormalization"));
            Assert.All(f.Nodes.Where(n => n.OpType == "Conv"), n => Assert.Equal(3, n.Inputs.Count));
            Assert.All(k.Nodes.Where(n => n.OpType == "Conv"), n => Assert.Equal(2, n.Inputs.Count));

            float[] x = folded.RandomInput(20);
            AssertClose(RunOrt(kept, x, 1), RunOrt(folded, x, 1), 1e-4f, name + " folded vs kept");
        }

        [Fact]
        public void ReLU6_as_Clip_attributes_Clip_inputs_and_Clip_initializers_agree()
        {
            TorchvisionModel opset9 = TorchvisionModels.MobileNetV2(3, new TorchExportOptions { Opset = 9 });
            TorchvisionModel opset13 = TorchvisionModels.MobileNetV2(3, new TorchExportOptions { Opset = 13 });
            TorchvisionModel initializers = TorchvisionModels.MobileNetV2(3, new TorchExportOptions { ClipBoundsAsInitializers = true });

            // 35 ReLU6: features.0, one in features.1, two in each of features.2..17, features.18.
            List<OnnxNode> clips9 = Graph(opset9).Nodes.Where(n => n.OpType == "Clip").ToList();
            Assert.Equal(35, clips9.Count);
            Assert.All(clips9, n =>
            {
                Assert.Single(n.Inputs);
                Assert.Equal(0f, n.Float("min", float.NaN));
                Assert.Equal(6f, n.Float("max", float.NaN));
            });
            OnnxModel g13 = Graph(opset13);
            Assert.Equal(13, g13.Opset);
            List<OnnxNode> clips13 = g13.Nodes.Where(n => n.OpType == "Clip").ToList();
            Assert.Equal(35, clips13.Count);
            Assert.Equal(70, g13.Nodes.Count(n => n.OpType == "Constant"));
            OnnxNode first = clips13[0];
            Assert.Equal("/features/features.0/features.0.2/Clip", first.Name);
            Assert.Equal(new[] { "/features/features.0/features.0.0/Conv_output_0", "/features/features.0/features.0.2/Constant_output_0", "/features/features.0/features.0.2/Constant_1_output_0" }, first.Inputs);
            Assert.Equal(6f, g13.Nodes.Single(n => n.Outputs[0] == first.Inputs[2]).Attributes["value"].T!.Floats!.Single());
            OnnxModel gi = Graph(initializers);
            Assert.All(gi.Nodes.Where(n => n.OpType == "Clip"), n => Assert.Equal(new[] { 0f, 6f }, n.Inputs.Skip(1).Select(i => gi.Initializers[i].Floats!.Single())));
            Assert.DoesNotContain(gi.Nodes, n => n.OpType == "Constant");

            float[] x = opset9.RandomInput(30);
            float[] expected = RunOrt(opset9, x, 1);
            AssertClose(expected, RunOrt(opset13, x, 1), 1e-5f, "opset 9 vs 13");
            AssertClose(expected, RunOrt(initializers, x, 1), 1e-5f, "Constant nodes vs initializers");
        }

        [Theory]
        [InlineData(9)]
        [InlineData(17)]
        public void Dropout_present_and_absent_agree(long opset)
        {
            TorchvisionModel absent = TorchvisionModels.MobileNetV2(4, new TorchExportOptions { Opset = opset });
            TorchvisionModel present = TorchvisionModels.MobileNetV2(4, new TorchExportOptions { Opset = opset, KeepDropout = true });
            Assert.DoesNotContain(Graph(absent).Nodes, n => n.OpType == "Dropout");
            OnnxModel g = Graph(present);
            OnnxNode dropout = g.Nodes.Single(n => n.OpType == "Dropout");
            Assert.Equal("/classifier/classifier.0/Dropout", dropout.Name);
            Assert.Equal(dropout.Outputs[0], g.Nodes.Single(n => n.OpType == "Gemm").Inputs[0]);
            if (opset < 12)
            {
                Assert.Single(dropout.Inputs);
                Assert.Equal(0.2f, dropout.Float("ratio", 0));
            }
            else
            {
                Assert.Equal(3, dropout.Inputs.Count);
                OnnxTensor ratio = g.Nodes.Single(n => n.Outputs[0] == dropout.Inputs[1]).Attributes["value"].T!;
                OnnxTensor training = g.Nodes.Single(n => n.Outputs[0] == dropout.Inputs[2]).Attributes["value"].T!;
                Assert.Equal(0.2f, ratio.Floats!.Single());
                Assert.Equal(9, training.DataType); // BOOL false
                Assert.Empty(training.Dims);
            }

            float[] x = absent.RandomInput(40);
            AssertClose(RunOrt(absent, x, 1), RunOrt(present, x, 1), 0f, "Dropout present vs absent");
        }

        /// <summary>The opsets where an exported form changes (MaxPool ceil_mode at 10, Clip inputs at 11, Dropout inputs at
        /// 12, BatchNormalization training_mode at 14) and the newest ONNX Runtime takes: same function as the default export.</summary>
        [Theory]
        [InlineData(9)]
        [InlineData(11)]
        [InlineData(12)]
        [InlineData(14)]
        [InlineData(21)]
        public void Every_opset_form_agrees_with_the_default_export(long opset)
        {
            var options = new TorchExportOptions { Opset = opset, FoldBatchNorm = false, KeepDropout = true };
            foreach (string name in new[] { "resnet18", "mobilenet_v2" })
            {
                TorchvisionModel model = Model(name, 11, options);
                Assert.Equal(opset, Graph(model).Opset);
                float[] x = model.RandomInput(50);
                AssertClose(RunOrt(Model(name, 11), x, 1), RunOrt(model, x, 1), 1e-4f, $"{name} at opset {opset}");
            }
        }

        private static readonly string[] BatchNormKeys = { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" };

        /// <summary>torchvision's state_dict keys, written out from the architecture independently of the writer.</summary>
        private static List<string> ExpectedKeys(string name)
        {
            var keys = new List<string>();
            void Conv(string m) => keys.Add(m + ".weight");
            void Bn(string m) => keys.AddRange(BatchNormKeys.Select(k => m + "." + k));
            if (name == "mobilenet_v2")
            {
                Conv("features.0.0");
                Bn("features.0.1");
                for (int i = 1; i <= 17; i++)
                {
                    string p = $"features.{i}.conv.";
                    if (i == 1)
                    {
                        Conv(p + "0.0"); Bn(p + "0.1"); Conv(p + "1"); Bn(p + "2");
                    }
                    else
                    {
                        Conv(p + "0.0"); Bn(p + "0.1"); Conv(p + "1.0"); Bn(p + "1.1"); Conv(p + "2"); Bn(p + "3");
                    }
                }
                Conv("features.18.0");
                Bn("features.18.1");
                keys.AddRange(new[] { "classifier.1.weight", "classifier.1.bias" });
                return keys;
            }
            bool cifar = name == "cifar_resnet20";
            Conv("conv1");
            Bn("bn1");
            for (int layer = 1; layer <= (cifar ? 3 : 4); layer++)
            {
                for (int block = 0; block < (cifar ? 3 : 2); block++)
                {
                    string p = $"layer{layer}.{block}.";
                    Conv(p + "conv1"); Bn(p + "bn1"); Conv(p + "conv2"); Bn(p + "bn2");
                    if (layer > 1 && block == 0)
                    {
                        Conv(p + "downsample.0"); Bn(p + "downsample.1");
                    }
                }
            }
            keys.AddRange(new[] { "fc.weight", "fc.bias" });
            return keys;
        }

        [Theory]
        // entries with num_batches_tracked, entries without, parameter tensors, parameters
        [InlineData("resnet18", 122, 102, 62, 11_689_512L)]
        [InlineData("mobilenet_v2", 314, 262, 158, 3_504_872L)]
        [InlineData("cifar_resnet20", 128, 107, 65, 272_474L)]
        public void State_dict_has_torchvision_keys_order_and_sizes(string name, int entries, int withoutCounters, int parameterTensors, long parameters)
        {
            TorchvisionModel model = Model(name, 5);
            Assert.Equal(ExpectedKeys(name), model.StateDict.Select(t => t.Name));
            Assert.Equal(entries, model.StateDict.Count);
            Assert.Equal(withoutCounters, model.StateDict.Count(t => !t.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)));
            Assert.Equal(parameterTensors, model.Parameters.Count());
            Assert.Equal(parameters, model.ParameterCount);
            foreach (StateTensor t in model.StateDict)
            {
                Assert.Equal(t.Shape.Aggregate(1L, (a, b) => a * b), t.Values.Length);
                if (t.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                {
                    Assert.Equal("I64", t.DType);
                    Assert.Empty(t.Shape);
                }
                else
                {
                    Assert.Equal("F32", t.DType);
                }
            }
            Dictionary<string, long[]> shapes = model.StateDict.ToDictionary(t => t.Name, t => t.Shape);
            var expectedShapes = name switch
            {
                "resnet18" => new (string, long[])[]
                {
                    ("conv1.weight", new long[] { 64, 3, 7, 7 }), ("layer2.0.conv1.weight", new long[] { 128, 64, 3, 3 }),
                    ("layer2.0.downsample.0.weight", new long[] { 128, 64, 1, 1 }), ("layer4.1.bn2.running_var", new long[] { 512 }),
                    ("fc.weight", new long[] { 1000, 512 }), ("fc.bias", new long[] { 1000 }),
                },
                "mobilenet_v2" => new (string, long[])[]
                {
                    ("features.0.0.weight", new long[] { 32, 3, 3, 3 }), ("features.1.conv.0.0.weight", new long[] { 32, 1, 3, 3 }),
                    ("features.1.conv.1.weight", new long[] { 16, 32, 1, 1 }), ("features.2.conv.0.0.weight", new long[] { 96, 16, 1, 1 }),
                    ("features.2.conv.1.0.weight", new long[] { 96, 1, 3, 3 }), ("features.17.conv.2.weight", new long[] { 320, 960, 1, 1 }),
                    ("features.18.0.weight", new long[] { 1280, 320, 1, 1 }), ("classifier.1.weight", new long[] { 1000, 1280 }),
                },
                _ => new (string, long[])[]
                {
                    ("conv1.weight", new long[] { 16, 3, 3, 3 }), ("layer3.0.downsample.0.weight", new long[] { 64, 32, 1, 1 }),
                    ("layer3.2.conv2.weight", new long[] { 64, 64, 3, 3 }), ("fc.weight", new long[] { 10, 64 }),
                },
            };
            foreach (var (key, shape) in expectedShapes) Assert.Equal(shape, shapes[key]);
        }

        [Theory]
        [InlineData("resnet18")]
        [InlineData("mobilenet_v2")]
        public void Graphs_carry_the_exporters_names(string name)
        {
            TorchvisionModel folded = Model(name, 6), kept = Model(name, 6, new TorchExportOptions { FoldBatchNorm = false });
            OnnxModel f = Graph(folded), k = Graph(kept);
            Assert.Equal(17, f.Opset);
            Assert.Equal("input", f.Inputs.Single().Name);
            Assert.Equal("output", f.Outputs.Single().Name);
            Assert.Equal(f.Nodes.Select(n => n.Name), f.Nodes.Select(n => n.Name).Distinct());
            Assert.All(f.Nodes, n => Assert.Contains(n.Outputs.Single(), new[] { n.Name + "_output_0", "output" }));

            // Kept BatchNorm: every state_dict tensor but num_batches_tracked is an initializer of that name and value.
            var stateTensors = kept.StateDict.Where(t => t.DType == "F32").ToList();
            Assert.Equal(stateTensors.Select(t => t.Name).OrderBy(s => s, StringComparer.Ordinal), k.Initializers.Keys.OrderBy(s => s, StringComparer.Ordinal));
            foreach (StateTensor t in stateTensors)
            {
                Assert.Equal(t.Shape, k.Initializers[t.Name].Dims);
                Assert.Equal(t.Values, k.Initializers[t.Name].Floats);
            }
            // Folded: the Conv weights and biases are anonymous, the classifier keeps its names.
            Assert.All(f.Initializers.Keys, n => Assert.True(n.StartsWith("onnx::Conv_", StringComparison.Ordinal) || n.StartsWith(name == "resnet18" ? "fc." : "classifier.1.", StringComparison.Ordinal), n));

            string[] names = name == "resnet18"
                ? new[]
                {
                    "/conv1/Conv", "/relu/Relu", "/maxpool/MaxPool", "/layer1/layer1.0/conv1/Conv", "/layer1/layer1.0/relu/Relu",
                    "/layer1/layer1.0/conv2/Conv", "/layer1/layer1.0/Add", "/layer1/layer1.0/relu_1/Relu",
                    "/layer2/layer2.0/downsample/downsample.0/Conv", "/avgpool/GlobalAveragePool", "/Flatten", "/fc/Gemm",
                }
                : new[]
                {
                    "/features/features.0/features.0.0/Conv", "/features/features.0/features.0.2/Clip",
                    "/features/features.1/conv/conv.0/conv.0.0/Conv", "/features/features.1/conv/conv.1/Conv",
                    "/features/features.2/conv/conv.2/Conv", "/features/features.3/Add", "/GlobalAveragePool", "/Flatten",
                    "/classifier/classifier.1/Gemm",
                };
            foreach (string n in names) Assert.Contains(n, f.Nodes.Select(x => x.Name));
            Assert.Contains(name == "resnet18" ? "/layer1/layer1.0/bn1/BatchNormalization" : "/features/features.1/conv/conv.2/BatchNormalization", k.Nodes.Select(x => x.Name));

            if (name == "resnet18")
            {
                Assert.Equal(20, f.Nodes.Count(n => n.OpType == "Conv"));
                Assert.Equal(8, f.Nodes.Count(n => n.OpType == "Add"));
                // The exporter numbers folded tensors: conv1 gets onnx::Conv_193 and _194, layer1.0.conv1 onnx::Conv_196 and _197.
                Assert.Equal(new[] { "input", "onnx::Conv_193", "onnx::Conv_194" }, f.Nodes[0].Inputs);
                Assert.Equal("onnx::Conv_196", f.Nodes.Single(n => n.Name == "/layer1/layer1.0/conv1/Conv").Inputs[1]);
                // BasicBlock: out += identity, so the Add takes the block's branch first.
                OnnxNode add = f.Nodes.Single(n => n.Name == "/layer2/layer2.0/Add");
                Assert.Equal(new[] { "/layer2/layer2.0/conv2/Conv_output_0", "/layer2/layer2.0/downsample/downsample.0/Conv_output_0" }, add.Inputs);
                OnnxNode gemm = f.Nodes.Single(n => n.OpType == "Gemm");
                Assert.Equal(1, gemm.Int("transB", 0));
                Assert.Equal(1f, gemm.Float("alpha", 0));
                Assert.Equal(1f, gemm.Float("beta", 0));
                Assert.Equal(1, f.Nodes.Single(n => n.OpType == "Flatten").Int("axis", 0));
            }
            else
            {
                Assert.Equal(52, f.Nodes.Count(n => n.OpType == "Conv"));
                Assert.Equal(10, f.Nodes.Count(n => n.OpType == "Add"));
                OnnxNode depthwise = f.Nodes.Single(n => n.Name == "/features/features.2/conv/conv.1/conv.1.0/Conv");
                Assert.Equal(96, depthwise.Int("group", 1));
                Assert.Equal(new long[] { 2, 2 }, depthwise.Ints("strides"));
                // InvertedResidual: return x + self.conv(x), so the Add takes the block's input first.
                OnnxNode add = f.Nodes.Single(n => n.Name == "/features/features.3/Add");
                Assert.Equal(new[] { "/features/features.2/conv/conv.2/Conv_output_0", "/features/features.3/conv/conv.2/Conv_output_0" }, add.Inputs);
            }
        }

        [Theory]
        [InlineData("mobilenet_v2")]
        [InlineData("cifar_resnet20")]
        public void Safetensors_bytes_parse_back_to_the_state_dict(string name)
        {
            TorchvisionModel model = Model(name, 7);
            byte[] file = model.Safetensors();
            long headerLength = (long)BitConverter.ToUInt64(file, 0);
            using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, (int)headerLength));
            int dataStart = 8 + (int)headerLength;
            List<JsonProperty> entries = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToList();
            Assert.Equal(model.StateDict.Select(t => t.Name), entries.Select(p => p.Name));
            long end = 0;
            foreach (var (t, p) in model.StateDict.Zip(entries))
            {
                Assert.Equal(t.DType, p.Value.GetProperty("dtype").GetString());
                Assert.Equal(t.Shape, p.Value.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()));
                long[] offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(v => v.GetInt64()).ToArray();
                Assert.Equal(end, offsets[0]);
                end = offsets[1];
                int begin = dataStart + (int)offsets[0];
                if (t.DType == "I64")
                {
                    Assert.Equal(8, offsets[1] - offsets[0]);
                    Assert.Equal(100L, BitConverter.ToInt64(file, begin));
                }
                else
                {
                    Assert.Equal(4L * t.Values.Length, offsets[1] - offsets[0]);
                    var values = new float[t.Values.Length];
                    Buffer.BlockCopy(file, begin, values, 0, values.Length * 4);
                    Assert.Equal(t.Values, values);
                }
            }
            Assert.Equal(file.Length, dataStart + end);
        }

        [Fact]
        public void Weights_depend_on_the_seed_only()
        {
            TorchvisionModel a = TorchvisionModels.CifarResNet20(8), b = TorchvisionModels.CifarResNet20(8, new TorchExportOptions { FoldBatchNorm = false, Opset = 9 });
            TorchvisionModel c = TorchvisionModels.CifarResNet20(9);
            Assert.Equal(a.StateDict.SelectMany(t => t.Values), b.StateDict.SelectMany(t => t.Values));
            Assert.NotEqual(a.StateDict[0].Values, c.StateDict[0].Values);
            Assert.Equal(a.Onnx, TorchvisionModels.CifarResNet20(8).Onnx);
        }
    }
}

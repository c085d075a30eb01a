using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Torchvision;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace CnnGen.Tests.Loading
{
    /// <summary>
    /// torchvision's ResNet-18 and MobileNetV2 (and a CIFAR ResNet-20), as torch.onnx.export writes them with random
    /// weights (BatchNorm folded or kept, Clip and Dropout in each opset's form) and as their state_dict: the CnnGen
    /// declarations load every form, agree with ONNX Runtime on the same model, and load the state_dict by name.
    /// </summary>
    public class TorchvisionLoadTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("cnngen-torchvision-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private string Save(byte[] bytes, string name)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        private static float[] RunOrt(TorchvisionModel model, float[] input, int batch)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(model.Onnx, options);
            var tensor = new DenseTensor<float>(input, new[] { batch }.Concat(model.InputShape).ToArray());
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor) });
            return results.Single().AsEnumerable<float>().ToArray();
        }

        /// <summary>The tolerance of the other ONNX Runtime comparisons: 1e-5 of the largest output plus 1e-4 of each.</summary>
        private static void AssertClose(float[] expected, float[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            float scale = Math.Max(1f, expected.Max(MathF.Abs));
            for (int i = 0; i < expected.Length; i++)
                if (!(Math.Abs(actual[i] - expected[i]) <= 1e-5f * scale + 1e-4f * Math.Abs(expected[i])))
                    Assert.Fail($"{what}: output {i} is {actual[i]}, ONNX Runtime {expected[i]} (largest output {scale})");
        }

        private static float[] Run(IConvNet net, float[] input, int batch)
        {
            var output = new float[net.OutputLength * batch];
            net.Forward(input, output, batch);
            return output;
        }

        public static IEnumerable<object[]> Exports() => new[]
        {
            new object[] { "resnet18", "folded" },
            new object[] { "resnet18", "batchnorm" },
            new object[] { "mobilenet_v2", "folded" },
            new object[] { "mobilenet_v2", "batchnorm" },
            new object[] { "mobilenet_v2", "opset9-dropout" },
            new object[] { "mobilenet_v2", "clip-initializers-dropout" },
            new object[] { "cifar_resnet20", "folded" },
            new object[] { "cifar_resnet20", "batchnorm" },
        };

        private static TorchExportOptions Options(string form) => form switch
        {
            "folded" => TorchExportOptions.Default,
            "batchnorm" => new TorchExportOptions { FoldBatchNorm = false },
            "opset9-dropout" => new TorchExportOptions { Opset = 9, KeepDropout = true, FoldBatchNorm = false },
            _ => new TorchExportOptions { ClipBoundsAsInitializers = true, KeepDropout = true, Opset = 13 },
        };

        private static TorchvisionModel Model(string name, TorchExportOptions options) => name switch
        {
            "resnet18" => TorchvisionModels.ResNet18(18, options),
            "mobilenet_v2" => TorchvisionModels.MobileNetV2(2, options),
            _ => TorchvisionModels.CifarResNet20(20, options),
        };

        private static IConvNet Load(string name, string path) => name switch
        {
            "resnet18" => ResNet18.Load(path),
            "mobilenet_v2" => MobileNetV2.Load(path),
            _ => CifarResNet20.Load(path),
        };

        [Theory]
        [MemberData(nameof(Exports))]
        public void The_ONNX_export_loads_and_agrees_with_ONNX_Runtime(string name, string form)
        {
            TorchvisionModel model = Model(name, Options(form));
            IConvNet net = Load(name, Save(model.Onnx, $"{name}-{form}.onnx"));
            const int batch = 2;
            float[] input = model.RandomInput(7, batch);
            AssertClose(RunOrt(model, input, batch), Run(net, input, batch), $"{name} ({form})");
        }

        [Theory]
        [InlineData("resnet18")]
        [InlineData("mobilenet_v2")]
        [InlineData("cifar_resnet20")]
        public void The_state_dict_loads_by_name_and_computes_what_the_ONNX_export_does(string name)
        {
            TorchvisionModel kept = Model(name, new TorchExportOptions { FoldBatchNorm = false });
            string onnx = Save(kept.Onnx, name + ".onnx"), safetensors = Save(kept.Safetensors(), name + ".safetensors");
            NetworkSpec spec = name switch { "resnet18" => ResNet18.Spec, "mobilenet_v2" => MobileNetV2.Spec, _ => CifarResNet20.Spec };
            // The parameters in declaration order are the state_dict's (BatchNorm's running statistics included), num_batches_tracked left out.
            var entries = kept.StateDict.Where(t => !t.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
            Assert.Equal(entries.Select(t => t.Name), spec.ParameterNames);
            Assert.Equal(entries.Sum(t => (long)t.Values.Length), spec.ParameterCount);
            float[] fromOnnx = WeightLoader.Load(onnx, spec), fromState = WeightLoader.Load(safetensors, spec);
            Assert.Equal(fromOnnx, fromState);
            Assert.Equal(entries.SelectMany(t => t.Values), fromState);

            const int batch = 2;
            float[] input = kept.RandomInput(3, batch);
            AssertClose(RunOrt(kept, input, batch), Run(Load(name, safetensors), input, batch), name + " from its state_dict");
        }

        [Fact]
        public void A_model_of_another_network_or_a_changed_state_dict_is_refused_naming_the_layer()
        {
            TorchvisionModel mobile = TorchvisionModels.MobileNetV2(1);
            var e = Assert.Throws<InvalidDataException>(() => ResNet18.Load(Save(mobile.Onnx, "mobilenet.onnx")));
            Assert.StartsWith("ResNet18: ", e.Message);
            Assert.Contains("layer 'conv1'", e.Message);

            // ResNet-18's state_dict with layer3.1's first convolution of 128 filters instead of 256.
            TorchvisionModel resnet = TorchvisionModels.ResNet18(1);
            var changed = resnet.StateDict.Select(t => t.Name == "layer3.1.conv1.weight" ? t with { Shape = new long[] { 128, 256, 3, 3 }, Values = t.Values.Take(128 * 256 * 9).ToArray() } : t).ToList();
            string path = Save(SafetensorsWriter.Write(changed.Select(t => (t.Name, t.Shape, t.Values, t.DType))), "changed.safetensors");
            e = Assert.Throws<InvalidDataException>(() => ResNet18.Load(path));
            Assert.Contains("tensor 'layer3.1.conv1.weight'", e.Message);
            Assert.Contains("[128, 256, 3, 3]", e.Message);
            Assert.Contains("[256, 256, 3, 3]", e.Message);

            // The same change in the ONNX graph: the loader names the layer, the tensor and both shapes.
            var b = TorchvisionModels.CifarResNet20(1, new TorchExportOptions { FoldBatchNorm = false });
            e = Assert.Throws<InvalidDataException>(() => ResNet18.Load(Save(b.Onnx, "cifar.onnx")));
            Assert.Contains("the declared input is [3, 224, 224]", e.Message);
        }
    }
}

using System;
using System.IO;
using System.Linq;
using CnnGen.Tests.Infrastructure;

namespace CnnGen.Benchmarks
{
    /// <summary>One benchmark network: how to create it, its ONNX model (real for mnist-8, written here for the others).</summary>
    public sealed class Model
    {
        public required string Name { get; init; }
        public required NetworkSpec Spec { get; init; }
        public required IConvNet Network { get; init; }
        public required string OnnxPath { get; init; }
        public required bool FixedBatch { get; init; }

        public long Macs => Spec.Analysis.Macs;

        public static string Mnist8Folder()
        {
            for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, "..", "shared", "testdata", "mnist-8");
                if (File.Exists(Path.Combine(candidate, "model.onnx"))) return Path.GetFullPath(candidate);
            }
            throw new DirectoryNotFoundException("../shared/testdata/mnist-8 not found above " + AppContext.BaseDirectory);
        }

        public static Model Create(string name)
        {
            if (name == "mnist-8")
            {
                string path = Path.Combine(Mnist8Folder(), "model.onnx");
                return new Model { Name = name, Spec = Mnist8.Spec, Network = Mnist8.Load(path), OnnxPath = path, FixedBatch = true };
            }
            if (name is "ResNet-18" or "MobileNetV2" or "CIFAR-ResNet-20")
            {
                // torchvision's graphs as PyTorch exports them (BatchNorm folded into the convolutions), random weights,
                // loaded from the .onnx file by the declarations in tests/CnnGen.Tests/Forward/TorchvisionNetworks.cs.
                (TorchvisionModel model, NetworkSpec tvSpec, Func<string, IConvNet> load) = name switch
                {
                    "ResNet-18" => (TorchvisionModels.ResNet18(1), CnnGen.Tests.Torchvision.ResNet18.Spec, (Func<string, IConvNet>)(p => CnnGen.Tests.Torchvision.ResNet18.Load(p))),
                    "MobileNetV2" => (TorchvisionModels.MobileNetV2(1), CnnGen.Tests.Torchvision.MobileNetV2.Spec, p => CnnGen.Tests.Torchvision.MobileNetV2.Load(p)),
                    _ => (TorchvisionModels.CifarResNet20(1), CnnGen.Tests.Torchvision.CifarResNet20.Spec, p => CnnGen.Tests.Torchvision.CifarResNet20.Load(p)),
                };
                string folder = Path.Combine(Path.GetTempPath(), "cnngen-benchmarks");
                Directory.CreateDirectory(folder);
                string file = Path.Combine(folder, name + ".onnx");
                File.WriteAllBytes(file, model.Onnx);
                return new Model { Name = name, Spec = tvSpec, Network = load(file), OnnxPath = file, FixedBatch = false };
            }
            (NetworkSpec spec, Func<float[], IConvNet> create) = name switch
            {
                "LeNet-5" => (LeNet5.Spec, p => LeNet5.Create(p)),
                "VGG-CIFAR" => (VggCifar.Spec, p => VggCifar.Create(p)),
                "Audio-1D" => (Audio1D.Spec, p => Audio1D.Create(p)),
                _ => ((NetworkSpec, Func<float[], IConvNet>))(Volume3D.Spec, p => Volume3D.Create(p)),
            };
            var random = new Random(42);
            float[] parameters = Enumerable.Range(0, (int)spec.ParameterCount).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2)).ToArray();
            string dir = Path.Combine(Path.GetTempPath(), "cnngen-benchmarks");
            Directory.CreateDirectory(dir);
            string onnx = Path.Combine(dir, name + ".onnx");
            File.WriteAllBytes(onnx, OnnxExport.Write(spec, parameters));
            return new Model { Name = name, Spec = spec, Network = create(parameters), OnnxPath = onnx, FixedBatch = false };
        }
    }
}

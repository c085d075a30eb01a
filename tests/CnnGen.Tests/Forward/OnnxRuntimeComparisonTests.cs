using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using CnnGen.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// The reference engine: random architectures written as ONNX models, run by ONNX Runtime and by CnnGen (weights
    /// loaded from the same file through the generated Load); and mnist-8 on the same inputs.
    /// </summary>
    public class OnnxRuntimeComparisonTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("cnngen-ort-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static float[] RunOrt(string model, float[] input, long[] shape)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(model, options);
            string name = session.InputMetadata.Keys.Single();
            var tensor = new DenseTensor<float>(input, shape.Select(v => (int)v).ToArray());
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(name, tensor) });
            return results.Single().AsEnumerable<float>().ToArray();
        }

        [Fact]
        public void Random_architectures_exported_to_ONNX_match_ONNX_Runtime()
        {
            var random = new Random(77);
            List<Architecture> architectures = RandomArchitectures.CreateMany(random, "O", 120);
            var source = new StringBuilder("using CnnGen;\nnamespace Ort;\n");
            foreach (Architecture a in architectures) source.Append(RandomArchitectures.Declare(a));
            Assembly assembly = InMemoryNetworks.Compile(source.ToString());
            foreach (Architecture a in architectures)
            {
                Type type = assembly.GetType("Ort." + a.Name, throwOnError: true)!;
                NetworkSpec spec = InMemoryNetworks.Spec(type);
                float[] parameters = RandomArchitectures.Parameters(spec, random);
                string path = Path.Combine(_dir, a.Name + ".onnx");
                File.WriteAllBytes(path, OnnxExport.Write(spec, parameters));

                IConvNet net = InMemoryNetworks.Load(type, path);
                const int batch = 3;
                float[] input = RandomArchitectures.Inputs(spec.InputLength * batch, random);
                var output = new float[spec.OutputLength * batch];
                net.Forward(input, output, batch);
                float[] expected = RunOrt(path, input, new long[] { batch }.Concat(spec.InputShape.Select(v => (long)v)).ToArray());
                Assert.Equal(expected.Length, output.Length);
                float scale = Math.Max(1f, expected.Max(MathF.Abs));
                for (int i = 0; i < output.Length; i++)
                {
                    if (!(Math.Abs(output[i] - expected[i]) <= 1e-5f * scale + 1e-4f * Math.Abs(expected[i])))
                        Assert.Fail($"{a.Name}, output {i}: CnnGen {output[i]}, ONNX Runtime {expected[i]}\n{RandomArchitectures.Declare(a)}\n{spec.Summary}");
                }
            }
        }

        [Fact]
        public void Mnist8_agrees_with_ONNX_Runtime_on_perturbed_digits()
        {
            string dir = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8"));
            string model = Path.Combine(dir, "model.onnx");
            Mnist8 net = Mnist8.Load(model);
            var random = new Random(8);
            var logits = new float[10];
            int compared = 0;
            for (int set = 0; set < 3; set++)
            {
                float[] digit = OnnxData.ReadTensor(Path.Combine(dir, $"test_data_set_{set}", "input_0.pb"), out _);
                for (int k = 0; k < 30; k++)
                {
                    // Shifted and noisy variants of the reference digits: new inputs the model has not been checked on.
                    int dx = random.Next(-3, 4), dy = random.Next(-3, 4);
                    var x = new float[784];
                    for (int i = 0; i < 28; i++)
                        for (int j = 0; j < 28; j++)
                        {
                            int si = i - dy, sj = j - dx;
                            float v = si is >= 0 and < 28 && sj is >= 0 and < 28 ? digit[si * 28 + sj] : 0f;
                            x[i * 28 + j] = Math.Clamp(v + (float)(random.NextDouble() * 60 - 30), 0f, 255f);
                        }
                    net.Forward(x, logits);
                    float[] expected = RunOrt(model, x, new long[] { 1, 1, 28, 28 });
                    float tolerance = 1e-4f * expected.Max(MathF.Abs);
                    for (int i = 0; i < 10; i++) Assert.InRange(logits[i], expected[i] - tolerance, expected[i] + tolerance);
                    Assert.Equal(Array.IndexOf(expected, expected.Max()), Array.IndexOf(logits, logits.Max()));
                    compared++;
                }
            }
            Assert.Equal(90, compared);
        }
    }
}

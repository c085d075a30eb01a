using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CnnGen.Tests.Weights
{
    /// <summary>Default: the weights the build embedded, read from the assembly in place, shared, giving mnist-8's reference outputs.</summary>
    public class EmbeddedWeightsTests
    {
        private static string Mnist8Dir => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8"));

        [Fact]
        public void Default_gives_the_reference_outputs_of_mnist8()
        {
            EmbeddedMnist8 net = EmbeddedMnist8.Default;
            EmbeddedMnist8 loaded = EmbeddedMnist8.Load(Path.Combine(Mnist8Dir, "model.onnx"));
            for (int set = 0; set < 3; set++)
            {
                string dir = Path.Combine(Mnist8Dir, $"test_data_set_{set}");
                float[] input = OnnxData.ReadTensor(Path.Combine(dir, "input_0.pb"), out _);
                float[] expected = OnnxData.ReadTensor(Path.Combine(dir, "output_0.pb"), out _);
                var logits = new float[EmbeddedMnist8.OutputLength];
                net.Forward(input, logits);
                float scale = expected.Max(MathF.Abs);
                Assert.True(logits.Zip(expected, (a, b) => MathF.Abs(a - b)).Max() <= 1e-4f * scale, $"set {set}: [{string.Join(", ", logits)}]");
                // The same weights as the file loaded at run time: the same outputs, bit for bit.
                var fromFile = new float[EmbeddedMnist8.OutputLength];
                loaded.Forward(input, fromFile);
                Assert.Equal(fromFile, logits);
            }
        }

        [Fact]
        public void Default_is_created_once_and_shared_by_every_thread()
        {
            EmbeddedMnist8[] seen = new EmbeddedMnist8[16];
            Parallel.For(0, seen.Length, i => seen[i] = EmbeddedMnist8.Default);
            Assert.All(seen, n => Assert.Same(EmbeddedMnist8.Default, n));
        }

        [Fact]
        public void The_model_is_embedded_as_is_and_read_where_it_lies()
        {
            Assembly assembly = typeof(EmbeddedMnist8).Assembly;
            string name = Assert.Single(assembly.GetManifestResourceNames(), n => n.StartsWith("CnnGen.Weights.", StringComparison.Ordinal));
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            // The runtime maps resources with the assembly's image: Default's loader reads them through this pointer, no copy.
            UnmanagedMemoryStream mapped = Assert.IsAssignableFrom<UnmanagedMemoryStream>(stream);
            byte[] file = File.ReadAllBytes(Path.Combine(Mnist8Dir, "model.onnx"));
            Assert.Equal(file.Length, mapped.Length);
            var embedded = new byte[file.Length];
            mapped.ReadExactly(embedded);
            Assert.Equal(file, embedded);
        }

        [Fact]
        public void A_missing_resource_says_what_embeds_it()
        {
            var e = Assert.Throws<InvalidOperationException>(() =>
                WeightLoader.LoadEmbedded(typeof(EmbeddedMnist8).Assembly, "CnnGen.Weights.0000000000000000", "other.onnx", EmbeddedMnist8.Spec));
            Assert.Contains("has no embedded weights 'CnnGen.Weights.0000000000000000' for Weights = \"other.onnx\"", e.Message);
            Assert.Contains("CnnGen's build targets embed the file", e.Message);
        }

        private static readonly NetworkSpec Tiny = new("Tiny", new[] { 1, 4, 4 },
            LayerSpec.Conv("conv1", 2, new[] { 3, 3 }, new[] { 1, 1 }, new[] { 0, 0, 0, 0 }, new[] { 1, 1 }, true),
            LayerSpec.Flatten("flatten1"),
            LayerSpec.Dense("fc1", 3, true));

        /// <summary>An assembly holding <paramref name="resource"/> as the build embeds weights, loaded from its bytes.</summary>
        private static Assembly WithResource(string name, byte[] resource)
        {
            CSharpCompilation c = Compilations.Create("public static class Holder { }");
            using var pe = new MemoryStream();
            var emitted = c.Emit(pe, manifestResources: new[] { new ResourceDescription(name, () => new MemoryStream(resource), isPublic: true) });
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            return Assembly.Load(pe.ToArray());
        }

        [Fact]
        public void Embedded_safetensors_and_onnx_load_as_their_files_do()
        {
            var random = new Random(7);
            float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            byte[] state = SafetensorsWriter.Write(new (string, long[], float[])[]
            {
                ("conv1.weight", new long[] { 2, 1, 3, 3 }, Values(18)), ("conv1.bias", new long[] { 2 }, Values(2)),
                ("fc1.weight", new long[] { 3, 8 }, Values(24)), ("fc1.bias", new long[] { 3 }, Values(3)),
            });
            string dir = Directory.CreateTempSubdirectory("cnngen-embedded-").FullName;
            try
            {
                string file = Path.Combine(dir, "tiny.safetensors");
                File.WriteAllBytes(file, state);
                float[] embedded = WeightLoader.LoadEmbedded(WithResource("CnnGen.Weights.tiny", state), "CnnGen.Weights.tiny", "tiny.safetensors", Tiny);
                Assert.Equal(WeightLoader.Load(file, Tiny), embedded);

                byte[] onnx = File.ReadAllBytes(Path.Combine(Mnist8Dir, "model.onnx"));
                float[] fromOnnx = WeightLoader.LoadEmbedded(WithResource("CnnGen.Weights.m", onnx), "CnnGen.Weights.m", "mnist-8.onnx", EmbeddedMnist8.Spec);
                Assert.Equal(WeightLoader.Load(Path.Combine(Mnist8Dir, "model.onnx"), EmbeddedMnist8.Spec), fromOnnx);

                // The embedded file is checked as a file is (the build reports this first, as CNN0028).
                var e = Assert.Throws<InvalidDataException>(() => WeightLoader.LoadEmbedded(WithResource("CnnGen.Weights.tiny", state), "CnnGen.Weights.tiny", "tiny.safetensors", EmbeddedMnist8.Spec));
                Assert.Contains("embedded tiny.safetensors", e.Message);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}

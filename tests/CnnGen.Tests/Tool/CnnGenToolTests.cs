using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Tool
{
    /// <summary>`cnngen import` / `cnngen summary` on mnist-8 and on models it cannot express, plus help and exit codes.</summary>
    public class CnnGenToolTests
    {
        private static string Mnist8Dir => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8"));
        private static string Mnist8 => Path.Combine(Mnist8Dir, "model.onnx");

        private static (int Code, string Out, string Err) Run(params string[] args)
        {
            var output = new StringWriter { NewLine = "\n" };
            var error = new StringWriter { NewLine = "\n" };
            int code = global::CnnGen.Tool.Program.Run(args, output, error);
            return (code, output.ToString(), error.ToString());
        }

        /// <summary>Runs <paramref name="command"/> on a model written to a temporary file (deleted afterwards).</summary>
        private static (int Code, string Out, string Err) RunOn(byte[] model, string command)
        {
            string path = Path.Combine(Path.GetTempPath(), "cnngen-model-" + Guid.NewGuid().ToString("N") + ".onnx");
            File.WriteAllBytes(path, model);
            try
            {
                return Run(command, path);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void Import_writes_mnist8_as_attributes_that_load_its_weights_and_reproduce_its_outputs()
        {
            var (code, output, error) = Run("import", Mnist8);
            Assert.Equal(0, code);
            Assert.Contains("""
                [ConvNet(1, 28, 28)]
                [Conv(8, 5, Padding = Padding.Same)]
                [ReLU]
                [MaxPool(2)]
                [Conv(16, 5, Padding = Padding.Same)]
                [ReLU]
                [MaxPool(3)]
                [Flatten]
                [Dense(10)]
                public partial class Mnist8 { }
                """.Replace("\r\n", "\n"), output);
            Assert.Contains("warning CNN0011: Layer 'pool2' (MaxPool)", error); // the analyzer's warning, on standard error

            // The printed declaration compiles, loads the model's weights and gives the reference outputs.
            Assembly assembly = InMemoryNetworks.Compile(output);
            Type type = assembly.GetType("Mnist8", throwOnError: true)!;
            IConvNet net = InMemoryNetworks.Load(type, Mnist8);
            float[] input = OnnxData.ReadTensor(Path.Combine(Mnist8Dir, "test_data_set_0", "input_0.pb"), out _);
            float[] expected = OnnxData.ReadTensor(Path.Combine(Mnist8Dir, "test_data_set_0", "output_0.pb"), out _);
            var actual = new float[10];
            net.Forward(input, actual);
            for (int i = 0; i < 10; i++) Assert.InRange(actual[i], expected[i] - 1e-3f * Math.Max(1, Math.Abs(expected[i])), expected[i] + 1e-3f * Math.Max(1, Math.Abs(expected[i])));
        }

        [Fact]
        public void Summary_prints_the_layer_table_and_the_pool_warning()
        {
            var (code, output, _) = Run("summary", Mnist8, "--lang", "en");
            Assert.Equal(0, code);
            Assert.Contains("Mnist8: 1x28x28 -> 10, 5,994 parameters, 786,560 multiply-accumulates per sample", output);
            Assert.Contains("receptive field", output);
            Assert.Contains("warning CNN0011: Layer 'pool2' (MaxPool): along H and W, (I - F + P_start + P_end) / S = (14 - 3 + 0 + 0) / 3 = 11 / 3 is not an integer", output);
        }

        [Fact]
        public void Diagnostics_are_in_the_UI_language_or_the_one_asked_for()
        {
            const string chinese = "warning CNN0011: 层 'pool2' (MaxPool)：沿 H 和 W 方向，(I - F + P_start + P_end) / S = (14 - 3 + 0 + 0) / 3 = 11 / 3 不是整数";
            Assert.Contains(chinese, Run("summary", Mnist8, "--lang", "zh-Hans").Out);
            Assert.Contains(chinese, Run("import", Mnist8, "--lang", "zh-CN").Err); // zh-CN falls back to zh-Hans

            CultureInfo saved = CultureInfo.CurrentUICulture;
            try
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-Hans");
                Assert.Contains(chinese, Run("summary", Mnist8).Out);
                Assert.Contains("warning CNN0011: Layer 'pool2'", Run("summary", Mnist8, "--lang", "en").Out);
            }
            finally
            {
                CultureInfo.CurrentUICulture = saved;
            }

            var (code, _, error) = Run("summary", Mnist8, "--lang", "klingon-xx");
            Assert.Equal(2, code);
            Assert.Contains("'klingon-xx' is not a language; use en or zh-Hans", error);
            Assert.Equal(2, Run("summary", Mnist8, "--lang").Code);
        }

        /// <summary>
        /// A PyTorch export keeps the state_dict's names on the weights ("features.0.weight"): the imported layers are
        /// named after those modules, so the one declaration loads both the .onnx and the .safetensors of the model.
        /// </summary>
        [Fact]
        public void Import_names_layers_after_the_PyTorch_modules_so_the_state_dict_loads_too()
        {
            const string exported = """
                using CnnGen;
                namespace Export;
                [ConvNet(3, 12, 12)]
                [Conv(8, 3, Name = "features.0"), ReLU]
                [BatchNorm(Name = "features.2")]
                [MaxPool(2)]
                [Conv(16, 3, Padding = Padding.Same)]
                [Flatten]
                [Dense(5, Name = "classifier")]
                public partial class Net { }
                """;
            Type source = InMemoryNetworks.Compile(exported).GetType("Export.Net", throwOnError: true)!;
            NetworkSpec spec = InMemoryNetworks.Spec(source);
            var random = new Random(5);
            float[] parameters = Forward.RandomArchitectures.Parameters(spec, random);
            string dir = Directory.CreateTempSubdirectory("cnngen-names-").FullName;
            try
            {
                string onnx = Path.Combine(dir, "net.onnx"), safetensors = Path.Combine(dir, "net.safetensors");
                File.WriteAllBytes(onnx, OnnxExport.Write(spec, parameters));
                File.WriteAllBytes(safetensors, SafetensorsWriter.Write(spec.Parameters.Select(t =>
                    (t.Key, t.Shape.Select(v => (long)v).ToArray(), parameters.Skip(t.Offset).Take(t.Length).ToArray()))));

                var (code, output, error) = Run("import", onnx, "--name", "Imported");
                Assert.True(code == 0, error);
                Assert.Contains("""
                    [ConvNet(3, 12, 12)]
                    [Conv(8, 3, Name = "features.0")]
                    [ReLU]
                    [BatchNorm(Epsilon = 1E-05f, Name = "features.2")]
                    [MaxPool(2)]
                    [Conv(16, 3, Pads = new[] { 1, 1, 1, 1 })]
                    [Flatten]
                    [Dense(5, Name = "classifier")]
                    public partial class Imported { }
                    """.Replace("\r\n", "\n"), output); // conv2 came from "conv2.weight": the default name, not repeated

                Type imported = InMemoryNetworks.Compile(output).GetType("Imported", throwOnError: true)!;
                float[] input = Forward.RandomArchitectures.Inputs(spec.InputLength, random);
                float[] Run1(IConvNet net) { var y = new float[spec.OutputLength]; net.Forward(input, y); return y; }
                float[] expected = Run1(InMemoryNetworks.Create(source, parameters));
                Assert.Equal(expected, Run1(InMemoryNetworks.Load(imported, onnx)));
                Assert.Equal(expected, Run1(InMemoryNetworks.Load(imported, safetensors)));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        [Fact]
        public void Module_names_that_would_clash_are_left_out_with_a_note()
        {
            // The first conv's weight says "conv2"; the second conv's weight has no module name, so it would be conv2 by default.
            var b = new OnnxBuilder(new long[] { 1, 1, 8, 8 });
            b.Node("Conv", new[] { b.Initializer(new long[] { 2, 1, 3, 3 }, new float[18], "conv2.weight") }, OnnxBuilder.Attributes(("kernel_shape", new long[] { 3, 3 })));
            b.Node("Conv", new[] { b.Initializer(new long[] { 2, 2, 1, 1 }, new float[4], "W7") }, OnnxBuilder.Attributes(("kernel_shape", new long[] { 1, 1 })));
            var (code, output, error) = RunOn(b.Build(new long[] { 1, 2, 6, 6 }), "import");
            Assert.Equal(0, code);
            Assert.Contains("[Conv(2, 3, Bias = false)]\n[Conv(2, 1, Bias = false)]\n", output);
            Assert.DoesNotContain("Name =", output);
            Assert.Contains("the weights' module names would name two layers alike; the layers keep CnnGen's default names", error);
        }

        [Fact]
        public void What_cannot_be_expressed_is_listed_with_exit_code_1()
        {
            var b = new OnnxBuilder(new long[] { 1, 1, 8, 8 });
            b.Node("Conv", new[] { b.Initializer(new long[] { 2, 1, 3, 3 }, new float[18]) }, OnnxBuilder.Attributes(("kernel_shape", new long[] { 3, 3 })));
            b.Node("Sin");
            var (code, output, error) = RunOn(b.Build(new long[] { 1, 2, 6, 6 }), "import");
            Assert.Equal(1, code);
            Assert.Equal("", output);
            Assert.Contains("cannot be written as a CnnGen network", error);
            Assert.Contains("the operator Sin has no CnnGen attribute", error);
        }

        [Fact]
        public void Bad_command_lines_and_files_get_clear_messages_and_exit_codes()
        {
            Assert.Equal(2, Run().Code);
            Assert.Equal(2, Run("frobnicate").Code);
            Assert.Contains("unknown command 'frobnicate'", Run("frobnicate").Err);
            Assert.Equal(2, Run("import").Code);
            Assert.Contains("give the model file", Run("import").Err);
            Assert.Equal(2, Run("import", Mnist8, "--name", "3D").Code);
            Assert.Equal(2, Run("summary", Mnist8, "--fast").Code);
            Assert.Equal(3, Run("summary", "/no/such/model.onnx").Code);
            string garbage = Path.Combine(Path.GetTempPath(), "cnngen-garbage-" + Guid.NewGuid().ToString("N") + ".onnx");
            File.WriteAllBytes(garbage, Enumerable.Range(0, 300).Select(i => (byte)(i * 37 + 11)).ToArray());
            try
            {
                var (code, _, error) = Run("import", garbage);
                Assert.Equal(3, code);
                Assert.Contains("is not a readable ONNX model", error);
            }
            finally
            {
                File.Delete(garbage);
            }
            foreach (string[] help in new[] { new[] { "--help" }, new[] { "import", "--help" }, new[] { "summary", "-h" } })
            {
                var (code, output, _) = Run(help);
                Assert.Equal(0, code);
                Assert.Contains("cnngen", output);
            }
            Assert.Equal("Mnist8", global::CnnGen.Tool.Program.ClassName(Mnist8));
            Assert.Equal("MyNet", global::CnnGen.Tool.Program.ClassName("/tmp/my_net.onnx"));
        }
    }
}

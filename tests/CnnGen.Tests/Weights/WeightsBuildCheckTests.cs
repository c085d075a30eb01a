using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using CnnGen.Build;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CnnGen.Tests.Weights
{
    /// <summary>An additional file in memory, as the build passes the descriptions of weights files.</summary>
    internal sealed class TextFile : AdditionalText
    {
        private readonly string _text;

        public TextFile(string path, string text)
        {
            Path = path;
            _text = text;
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(_text);
    }

    /// <summary>
    /// Weights = "..." checked at build time: the build's description of the file (made by the task's own code, from real
    /// files) against the declaration, each problem on the Weights argument with its own id.
    /// </summary>
    public class WeightsBuildCheckTests : IDisposable
    {
        private static string Mnist8File => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8", "model.onnx"));

        private readonly string _dir = Directory.CreateTempSubdirectory("cnngen-weights-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private const string Mnist8Layers = Mnist8Source.Layers;

        private static string Mnist8(string weights, string layers = Mnist8Layers) => "using CnnGen;\n" + Mnist8Source.Declaration(weights, layers);

        internal static TextFile Description(string key, string file) =>
            new("/obj/cnngen/" + key.GetHashCode().ToString("x", CultureInfo.InvariantCulture) + ".cnnweights", WeightsDescriber.Describe(key, file));

        private static Diagnostic[] Analyze(string source, params AdditionalText[] descriptions)
        {
            CSharpCompilation compilation = Compilations.Create(source);
            return compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new global::CnnGen.Analyzers.NetworkAnalyzer()),
                    new AnalyzerOptions(descriptions.ToImmutableArray()))
                .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
                .Where(d => d.Id.StartsWith("CNN", StringComparison.Ordinal)).ToArray();
        }

        /// <summary>The one diagnostic, which must be on the Weights argument; its message.</summary>
        private static string On_the_Weights_argument(string id, Diagnostic[] diagnostics, string weights)
        {
            Diagnostic d = Assert.Single(diagnostics);
            Assert.Equal(id, d.Id);
            Assert.Equal(DiagnosticSeverity.Error, d.Severity);
            Assert.Equal($"Weights = \"{weights}\"", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
            Assert.Equal(1, d.Location.GetLineSpan().StartLinePosition.Line); // the [ConvNet] line
            return d.GetMessage(CultureInfo.InvariantCulture);
        }

        [Fact]
        public void The_right_file_gives_no_diagnostic()
        {
            Assert.Empty(Analyze(Mnist8("model.onnx"), Description("model.onnx", Mnist8File)));
        }

        [Fact]
        public void A_file_that_does_not_match_is_CNN0028_naming_layer_tensor_and_both_shapes_and_a_fixed_declaration_clears_it()
        {
            TextFile description = Description("model.onnx", Mnist8File);
            string message = On_the_Weights_argument("CNN0028", Analyze(Mnist8("model.onnx", Mnist8Layers.Replace("[Conv(16, 5,", "[Conv(12, 5,")), description), "model.onnx");
            Assert.StartsWith("Weights = \"model.onnx\" does not match the declaration: Mnist8: layer 'conv2'", message);
            Assert.Contains("[12, 8, 5, 5]", message);
            Assert.Contains("[16, 8, 5, 5]", message);
            // The same description, the declaration fixed: nothing left.
            Assert.Empty(Analyze(Mnist8("model.onnx"), description));
        }

        [Fact]
        public void A_state_dict_that_does_not_match_names_the_layer_the_tensor_and_both_shapes()
        {
            string file = Path.Combine(_dir, "lenet.safetensors");
            var tensors = new List<(string, long[], float[])>
            {
                ("conv1.weight", new long[] { 8, 1, 5, 5 }, new float[200]), ("conv1.bias", new long[] { 8 }, new float[8]),
                ("conv2.weight", new long[] { 16, 8, 5, 5 }, new float[3200]), ("conv2.bias", new long[] { 16 }, new float[16]),
                ("fc1.weight", new long[] { 10, 255 }, new float[2550]), ("fc1.bias", new long[] { 10 }, new float[10]),
            };
            File.WriteAllBytes(file, SafetensorsWriter.Write(tensors));
            string message = On_the_Weights_argument("CNN0028", Analyze(Mnist8("lenet.safetensors"), Description("lenet.safetensors", file)), "lenet.safetensors");
            Assert.Equal("Weights = \"lenet.safetensors\" does not match the declaration: Mnist8: layer 'fc1': tensor 'fc1.weight' in 'lenet.safetensors' has shape [10, 255], but the declaration needs [10, 256]", message);

            // The file fixed (the build describes it again): the error is gone.
            tensors[4] = ("fc1.weight", new long[] { 10, 256 }, new float[2560]);
            File.WriteAllBytes(file, SafetensorsWriter.Write(tensors));
            Assert.Empty(Analyze(Mnist8("lenet.safetensors"), Description("lenet.safetensors", file)));
        }

        [Fact]
        public void A_missing_file_is_CNN0029()
        {
            string file = Path.Combine(_dir, "nowhere.onnx");
            string message = On_the_Weights_argument("CNN0029", Analyze(Mnist8("nowhere.onnx"), Description("nowhere.onnx", file)), "nowhere.onnx");
            Assert.Equal($"Weights = \"nowhere.onnx\": there is no file at '{file}' (the path is relative to the project directory)", message);
        }

        [Fact]
        public void A_truncated_or_foreign_file_is_CNN0030()
        {
            string file = Path.Combine(_dir, "cut.onnx");
            File.WriteAllBytes(file, File.ReadAllBytes(Mnist8File)[..5000]);
            string message = On_the_Weights_argument("CNN0030", Analyze(Mnist8("cut.onnx"), Description("cut.onnx", file)), "cut.onnx");
            Assert.StartsWith("Weights = \"cut.onnx\" cannot be read: ", message);
            Assert.Contains("truncated", message);

            string text = Path.Combine(_dir, "weights.bin");
            File.WriteAllText(text, "not a model");
            message = On_the_Weights_argument("CNN0030", Analyze(Mnist8("weights.bin"), Description("weights.bin", text)), "weights.bin");
            Assert.Contains("neither an .onnx model nor a .safetensors state_dict", message);
        }

        [Fact]
        public void External_ONNX_data_is_CNN0031()
        {
            var b = new OnnxBuilder(new long[] { 1, 1, 28, 28 });
            string w = b.Initializer(OnnxBuilder.Tensor("w", new long[] { 8, 1, 5, 5 }, 1, Array.Empty<byte>()).Varint(14, 1), "w");
            b.Node("Conv", new[] { w });
            string file = Path.Combine(_dir, "external.onnx");
            File.WriteAllBytes(file, b.Build(new long[] { 1, 8, 24, 24 }));
            string message = On_the_Weights_argument("CNN0031", Analyze(Mnist8("external.onnx"), Description("external.onnx", file)), "external.onnx");
            Assert.Contains("its data is stored outside the .onnx file (external data)", message);
        }

        [Fact]
        public void Weights_of_a_type_CnnGen_does_not_read_are_CNN0032()
        {
            var b = new OnnxBuilder(new long[] { 1, 1, 28, 28 });
            string w = b.Initializer(OnnxBuilder.Tensor("w", new long[] { 8, 1, 5, 5 }, 3, new byte[200]), "w"); // INT8
            b.Node("Conv", new[] { w });
            string file = Path.Combine(_dir, "int8.onnx");
            File.WriteAllBytes(file, b.Build(new long[] { 1, 8, 24, 24 }));
            string message = On_the_Weights_argument("CNN0032", Analyze(Mnist8("int8.onnx"), Description("int8.onnx", file)), "int8.onnx");
            Assert.Contains("initializer 'w' [8, 1, 5, 5] has data type INT8", message);

            string state = Path.Combine(_dir, "int.safetensors");
            File.WriteAllBytes(state, SafetensorsWriter.Write(new[] { ("conv1.weight", new long[] { 8, 1, 5, 5 }, new float[200]) }, "I32"));
            message = On_the_Weights_argument("CNN0032", Analyze(Mnist8("int.safetensors"), Description("int.safetensors", state)), "int.safetensors");
            Assert.Contains("tensor 'conv1.weight' has dtype I32", message);
        }

        [Fact]
        public void A_path_the_build_did_not_read_is_CNN0033()
        {
            string message = On_the_Weights_argument("CNN0033", Analyze(Mnist8("model.onnx")), "model.onnx");
            Assert.StartsWith("The build did not read Weights = \"model.onnx\": write the path as a string literal", message);
            // A description of another path does not count.
            Assert.Equal("CNN0033", Assert.Single(Analyze(Mnist8("model.onnx"), Description("other.onnx", Mnist8File))).Id);
        }

        [Fact]
        public void The_messages_are_translated()
        {
            Diagnostic d = Assert.Single(Analyze(Mnist8("nowhere.onnx"), Description("nowhere.onnx", Path.Combine(_dir, "nowhere.onnx"))));
            Assert.Contains("（该路径相对于项目目录）", d.GetMessage(new CultureInfo("zh-Hans")));
        }

        [Fact]
        public void A_network_with_architecture_errors_is_not_matched()
        {
            // Dense on a feature map (no Flatten): CNN0012 is reported, not a weights mismatch on top of it.
            Diagnostic[] diagnostics = Analyze(Mnist8("model.onnx", Mnist8Layers.Replace("[Flatten]\n", "")), Description("model.onnx", Mnist8File));
            Assert.Equal("CNN0012", Assert.Single(diagnostics).Id);
        }

        [Fact]
        public void A_large_model_is_described_in_a_few_kilobytes_and_checked_from_that()
        {
            // 4096 x 2048 floats: a 32 MB file. The compiler sees its description only.
            var b = new OnnxBuilder(new long[] { 1, 2048, 1, 1 });
            b.Node("Flatten");
            b.Node("Gemm", new[] { b.Initializer(new long[] { 4096, 2048 }, new float[4096 * 2048]), b.Initializer(new long[] { 4096 }, new float[4096]) },
                OnnxBuilder.Attributes(("transB", 1L)));
            string file = Path.Combine(_dir, "large.onnx");
            File.WriteAllBytes(file, b.Build(new long[] { 1, 4096 }));
            Assert.True(new FileInfo(file).Length > 32_000_000);
            TextFile description = Description("large.onnx", file);
            Assert.True(description.GetText().Length < 4096, $"{description.GetText().Length} characters");

            const string network = "using CnnGen;\n[ConvNet(2048, 1, 1, Weights = \"large.onnx\")]\n[Flatten, Dense(4096)]\npublic partial class Large { }\n";
            Assert.Empty(Analyze(network, description));
            string message = On_the_Weights_argument("CNN0028", Analyze(network.Replace("Dense(4096)", "Dense(4095)"), description), "large.onnx");
            Assert.Contains("fc1", message);
            Assert.Contains("4095", message);
        }

        [Fact]
        public void The_description_lists_the_tensors_and_the_outline_keeps_only_small_values()
        {
            string text = WeightsDescriber.Describe("model.onnx", Mnist8File);
            string[] lines = text.Split('\n');
            Assert.Equal("cnngen-weights 1", lines[0]);
            Assert.Contains("key: model.onnx", lines);
            Assert.Contains("format: onnx", lines);
            Assert.Contains($"size: {new FileInfo(Mnist8File).Length}", lines);
            string sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Mnist8File))).ToLowerInvariant();
            Assert.Contains($"sha256: {sha}", lines);
            global::CnnGen.Loading.OnnxModel model = global::CnnGen.Loading.OnnxModel.ReadFile(Mnist8File);
            foreach (var t in model.Initializers.Values)
            {
                string type = global::CnnGen.Loading.OnnxTensor.TypeName(t.DataType);
                Assert.Contains($"tensor: {t.Name}\t{type}\t{string.Join(",", t.Dims)}", lines);
            }

            // The outline: every initializer with its shape; values only where there are few (the rest read as zeros).
            byte[] outline = Convert.FromBase64String(lines.Single(l => l.StartsWith("outline: ", StringComparison.Ordinal))["outline: ".Length..]);
            Assert.True(outline.Length < new FileInfo(Mnist8File).Length / 4, $"outline of {outline.Length} bytes");
            global::CnnGen.Loading.OnnxModel read = global::CnnGen.Loading.OnnxModel.Read(outline, "outline", outline: true);
            Assert.Equal(model.Nodes.Select(n => n.OpType), read.Nodes.Select(n => n.OpType));
            foreach (var t in model.Initializers.Values)
            {
                var o = read.Initializers[t.Name];
                Assert.Equal(t.Dims, o.Dims);
                Assert.Equal(t.Count <= 64 ? t.Floats : t.Floats is null ? null : new float[t.Count], o.Floats);
                Assert.Equal(t.Count <= 64 ? t.Ints : t.Ints is null ? null : new long[t.Count], o.Ints);
            }
            // Outside the build's outline, the marker is nothing: a real file cannot make the loader invent zeros.
            Assert.Throws<InvalidDataException>(() => global::CnnGen.Loading.OnnxModel.Read(outline, "outline"));
        }
    }
}

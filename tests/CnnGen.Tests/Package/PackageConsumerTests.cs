using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Weights;
using Xunit;

namespace CnnGen.Tests.Package
{
    /// <summary>
    /// The packed CnnGen, consumed as a user would: a fresh console project, a folder feed, one PackageReference.
    /// </summary>
    [Collection(global::CnnGen.Tests.Aot.RepositoryBuilds.Name)]
    public class PackageConsumerTests
    {
        private const string Broken = """
            using CnnGen;

            [ConvNet(1, 13, 13)]
            [Conv(4, 4, Stride = 2)]
            [ReLU]
            [Conv(8, 3, Expect = new[] { 8, 4, 4 })]
            [Flatten]
            [Dense(10)]
            public partial class Broken { }

            public static class Program
            {
                public static void Main() => System.Console.WriteLine(Broken.OutputLength);
            }
            """;

        private const string Fixed = """
            using System;
            using System.Linq;
            using CnnGen;

            [ConvNet(1, 28, 28)]
            [Conv(6, 5, Padding = Padding.Same)]
            [ReLU]
            [MaxPool(2)]
            [Conv(16, 5)]
            [ReLU]
            [MaxPool(2)]
            [Flatten]
            [Dense(120), ReLU]
            [Dense(84), ReLU]
            [Dense(10), Softmax]
            public partial class LeNet5 { }

            [ConvNet(1, 28, 28)]
            [Conv(8, 5, Padding = Padding.Same), ReLU]
            [MaxPool(2)]
            [Conv(16, 5, Padding = Padding.Same), ReLU]
            #pragma warning disable CNN0011
            [MaxPool(3)]
            #pragma warning restore CNN0011
            [Flatten]
            [Dense(10)]
            public partial class Mnist8 { }

            public static class Program
            {
                public static void Main(string[] args)
                {
                    Console.WriteLine($"ParameterCount={LeNet5.ParameterCount}");
                    Console.WriteLine($"Input=[{string.Join(",", LeNet5.InputShape.ToArray())}] Output=[{string.Join(",", LeNet5.OutputShape.ToArray())}]");
                    Console.WriteLine(LeNet5.Summary);
                    var parameters = new float[LeNet5.ParameterCount];
                    for (int i = 0; i < parameters.Length; i++) parameters[i] = (i % 7 - 3) * 0.01f;
                    var net = new LeNet5(parameters);
                    var probabilities = new float[LeNet5.OutputLength * 2];
                    net.Forward(new float[LeNet5.InputLength * 2], probabilities, 2);
                    Console.WriteLine($"Sum={probabilities[0..10].Sum():F3}");
                    string mnist = System.IO.Path.Combine(args[0], "model.onnx");
                    var mnist8 = Mnist8.Load(mnist);
                    float[] digit = OnnxData.ReadTensor(System.IO.Path.Combine(args[0], "test_data_set_0", "input_0.pb"), out _);
                    var logits = new float[10];
                    mnist8.Forward(digit, logits);
                    Console.WriteLine($"Digit={Array.IndexOf(logits, logits.Max())}");
                }
            }
            """;

        /// <summary>An ONNX model of mnist-8's layers but 12 filters in conv2: a file that does not match the declaration.</summary>
        private static byte[] WrongModel()
        {
            var spec = new NetworkSpec("Wrong", new[] { 1, 28, 28 },
                LayerSpec.Conv("conv1", 8, new[] { 5, 5 }, new[] { 1, 1 }, new[] { 2, 2, 2, 2 }, new[] { 1, 1 }, true), LayerSpec.ReLU("relu1"),
                LayerSpec.MaxPool("pool1", new[] { 2, 2 }, new[] { 2, 2 }, new[] { 0, 0, 0, 0 }),
                LayerSpec.Conv("conv2", 12, new[] { 5, 5 }, new[] { 1, 1 }, new[] { 2, 2, 2, 2 }, new[] { 1, 1 }, true), LayerSpec.ReLU("relu2"),
                LayerSpec.MaxPool("pool2", new[] { 3, 3 }, new[] { 3, 3 }, new[] { 0, 0, 0, 0 }),
                LayerSpec.Flatten("flatten1"), LayerSpec.Dense("fc1", 10, true));
            return OnnxExport.Write(spec, new float[spec.ParameterCount]);
        }

        /// <summary>Runs the installed cnngen; standard output and error apart (import prints code on one, notes on the other).</summary>
        private static (int Code, string Out, string Err) Cnngen(string tools, string arguments)
        {
            var psi = new System.Diagnostics.ProcessStartInfo(Path.Combine(tools, "cnngen"), arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = System.Diagnostics.Process.Start(psi)!;
            System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }

        [Fact]
        public void Packed_package_gives_exact_diagnostics_then_a_working_LeNet5()
        {
            string work = Directory.CreateTempSubdirectory("cnngen-package-").FullName;
            try
            {
                string feed = Path.Combine(work, "feed");
                (int packCode, string packOutput) = Repo.Dotnet(Repo.Root, $"pack CnnGen.sln -c Release -o \"{feed}\" -p:ContinuousIntegrationBuild=true");
                Assert.True(packCode == 0, packOutput);
                Assert.Equal(new[] { "CnnGen.0.1.0.nupkg", "CnnGen.Tool.0.1.0.nupkg" }, Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray());
                string package = Path.Combine(feed, "CnnGen.0.1.0.nupkg");
                using (ZipArchive zip = ZipFile.OpenRead(package))
                {
                    string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
                    Assert.Contains("lib/net8.0/CnnGen.dll", entries);
                    Assert.Contains("lib/net10.0/CnnGen.dll", entries);
                    Assert.Contains("lib/net8.0/zh-Hans/CnnGen.resources.dll", entries);
                    Assert.Contains("analyzers/dotnet/cs/CnnGen.Generators.dll", entries);
                    Assert.Contains("analyzers/dotnet/cs/CnnGen.Analyzers.dll", entries);
                    Assert.Contains("analyzers/dotnet/cs/CnnGen.CodeFixes.dll", entries);
                    Assert.Contains("analyzers/dotnet/cs/zh-Hans/CnnGen.Analyzers.resources.dll", entries);
                    Assert.Contains("analyzers/dotnet/cs/zh-Hans/CnnGen.CodeFixes.resources.dll", entries);
                    Assert.Contains("README.md", entries);
                    Assert.Contains("build/CnnGen.props", entries);
                    Assert.Contains("buildTransitive/CnnGen.props", entries);
                    Assert.Contains("build/CnnGen.targets", entries);
                    Assert.Contains("buildTransitive/CnnGen.targets", entries);
                    Assert.Contains("tasks/net8.0/CnnGen.Build.dll", entries);
                }

                // A new user's project: dotnet new console, the folder feed, one PackageReference added by the CLI.
                string packages = Path.Combine(work, "packages");
                File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
                    <?xml version="1.0" encoding="utf-8"?>
                    <configuration>
                      <packageSources>
                        <clear />
                        <add key="local" value="{feed}" />
                      </packageSources>
                    </configuration>
                    """);
                (int newCode, string newOutput) = Repo.Dotnet(work, "new console -o app --framework net10.0", packages: packages);
                Assert.True(newCode == 0, newOutput);
                string app = Path.Combine(work, "app");
                (int addCode, string addOutput) = Repo.Dotnet(app, "add package CnnGen --version 0.1.0", packages: packages);
                Assert.True(addCode == 0, addOutput);

                File.WriteAllText(Path.Combine(app, "Program.cs"), Broken);
                (int brokenCode, string brokenOutput) = Repo.Dotnet(app, "build -nologo -clp:NoSummary", packages: packages);
                Assert.NotEqual(0, brokenCode);
                var diagnostics = Regex.Matches(brokenOutput, @"Program\.cs\((\d+),(\d+)\): (error|warning|info) (\w+): (.*?)(?: \((https://[^ ]*\.md)\))? \[[^\[\]]*\.csproj\]")
                    .Select(m => (Line: int.Parse(m.Groups[1].Value), Severity: m.Groups[3].Value, Id: m.Groups[4].Value, Message: m.Groups[5].Value))
                    .Distinct().ToList();
                Assert.Equal(new[] { (4, "warning", "CNN0011"), (6, "error", "CNN0013") }, diagnostics.Select(d => (d.Line, d.Severity, d.Id)).ToArray());
                Assert.Contains("(13 - 4 + 0 + 0) / 2 = 9 / 2 is not an integer; the output is floored to O = 5 and 1 input position(s)", diagnostics[0].Message);
                Assert.Equal("Layer 'conv2' (Conv): Expect = [8, 4, 4], but the output shape is [8, 3, 3]", diagnostics[1].Message);
                Assert.DoesNotContain("error CS", brokenOutput);
                Assert.EndsWith("/docs/diagnostics/CNN0013.md", Regex.Match(brokenOutput, @"CNN0013: .* \((https://[^ ]*)\)").Groups[1].Value);

                // The same build with a Chinese UI culture: the satellite assembly in the package gives the messages in zh-Hans.
                (int zhCode, string zhOutput) = Repo.Dotnet(app, "build -nologo -clp:NoSummary -p:PreferredUILang=zh-Hans", packages: packages);
                Assert.NotEqual(0, zhCode);
                Assert.Contains("不是整数；输出被向下取整为 O = 5", zhOutput);
                Assert.Contains("层 'conv2' (Conv)：Expect = [8, 4, 4]，但输出形状是 [8, 3, 3]", zhOutput);

                // Project-wide options from the project file: an invalid one is CNN0020 on each [ConvNet], then valid ones
                // are compiled into the generated code.
                File.WriteAllText(Path.Combine(app, "Program.cs"), Fixed);
                string csproj = Path.Combine(app, "app.csproj"), original = File.ReadAllText(csproj);
                File.WriteAllText(csproj, original.Replace("<PropertyGroup>", "<PropertyGroup>\n    <CnnGen_MaxThreads>all</CnnGen_MaxThreads>"));
                (int optionCode, string optionOutput) = Repo.Dotnet(app, "build -nologo -clp:NoSummary", packages: packages);
                Assert.NotEqual(0, optionCode);
                Assert.Equal(new[] { 5, 18 }, Regex.Matches(optionOutput, @"Program\.cs\((\d+),2\): error CNN0020: The MSBuild property CnnGen_MaxThreads is 'all', but it must be a whole number of at least 1")
                    .Select(m => int.Parse(m.Groups[1].Value)).Distinct().Order().ToArray()); // the [ConvNet] lines of LeNet5 and Mnist8
                Assert.DoesNotContain("error CS", optionOutput);
                File.WriteAllText(csproj, original.Replace("<PropertyGroup>",
                    "<PropertyGroup>\n    <CnnGen_MaxThreads>1</CnnGen_MaxThreads>\n    <CnnGen_Winograd>false</CnnGen_Winograd>\n    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>"));

                string mnistDir = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8"));
                (int runCode, string runOutput) = Repo.Dotnet(app, $"run -- \"{mnistDir}\"", packages: packages);
                Assert.True(runCode == 0, runOutput);
                Assert.Contains("ParameterCount=61706", runOutput);
                Assert.Contains("Input=[1,28,28] Output=[10]", runOutput);
                Assert.Contains("16x5x5", runOutput);
                Assert.Contains("Sum=1.000", runOutput);
                Assert.Contains("Digit=2", runOutput);
                Assert.DoesNotContain("warning", runOutput);
                string generated = File.ReadAllText(Directory.GetFiles(Path.Combine(app, "obj"), "LeNet5.g.cs", SearchOption.AllDirectories).Single());
                Assert.Matches(@"ScratchLength, workPerSample: \d+, maxThreads: 1\); // CnnGen_MaxThreads", generated);
                Assert.Contains("CnnGen_Winograd = false", generated);

                // Weights shipped inside the program. A model file that does not match the declaration: the build fails, the
                // error on the Weights argument (line 5), naming the layer, the tensor and both shapes.
                string weights = Path.Combine(app, "mnist-8.onnx");
                File.WriteAllBytes(weights, WrongModel());
                File.WriteAllText(Path.Combine(app, "Program.cs"), Mnist8Source.ShippedProgram);
                (int wrongCode, string wrongOutput) = Repo.Dotnet(app, "build -nologo -clp:NoSummary", packages: packages);
                Assert.NotEqual(0, wrongCode);
                Match wrong = Regex.Match(wrongOutput, @"Program\.cs\((\d+),(\d+)\): error (CNN\d+): (.*) \[[^\[\]]*\.csproj\]");
                Assert.True(wrong.Success, wrongOutput);
                Assert.Equal(("5", "21", "CNN0028"), (wrong.Groups[1].Value, wrong.Groups[2].Value, wrong.Groups[3].Value));
                Assert.Contains("layer 'conv2'", wrong.Groups[4].Value);
                Assert.Contains("[12, 8, 5, 5]", wrong.Groups[4].Value);
                Assert.Contains("[16, 8, 5, 5]", wrong.Groups[4].Value);
                Assert.DoesNotContain("error CS", wrongOutput);

                // The right file: the build passes; an unrelated edit builds again without reading the model again.
                File.Copy(Path.Combine(mnistDir, "model.onnx"), weights, overwrite: true);
                (int rightCode, string rightOutput) = Repo.Dotnet(app, "build -nologo -clp:NoSummary", packages: packages);
                Assert.True(rightCode == 0, rightOutput);
                File.AppendAllText(Path.Combine(app, "Program.cs"), "\n// an unrelated edit\n");
                (int againCode, string againOutput) = Repo.Dotnet(app, "build -nologo -v:d", packages: packages);
                Assert.True(againCode == 0, againOutput);
                Assert.Contains("Skipping target \"_CnnGenReadWeights\" because all output files are up-to-date", againOutput);

                // Shipped: the model file gone, the program runs from the weights inside it and gives the reference outputs.
                File.Delete(weights);
                (int shippedCode, string shippedOutput) = Repo.Dotnet(app, $"run --no-build -- \"{Mnist8Source.InputsOnly(work)}\"", packages: packages);
                Assert.True(shippedCode == 0, shippedOutput);
                Mnist8Source.AssertReferenceOutputs(shippedOutput);

                // The tool from the same feed: import mnist-8 as a user would.
                string tools = Path.Combine(work, "tools");
                (int toolCode, string toolOutput) = Repo.Dotnet(work, $"tool install CnnGen.Tool --version 0.1.0 --tool-path \"{tools}\"", packages: packages);
                Assert.True(toolCode == 0, toolOutput);
                string model = Path.Combine(mnistDir, "model.onnx");
                (int importCode, string imported, string notes) = Cnngen(tools, $"import \"{model}\"");
                Assert.Equal(0, importCode);
                Assert.Contains("[Conv(16, 5, Padding = Padding.Same)]", imported);
                Assert.Contains("public partial class Mnist8 { }", imported);
                Assert.Contains("warning CNN0011", notes);

                // The installed tool speaks Chinese too.
                (int summaryCode, string zhSummary, _) = Cnngen(tools, $"summary \"{model}\" --lang zh-Hans");
                Assert.Equal(0, summaryCode);
                Assert.Contains("warning CNN0011: 层 'pool2' (MaxPool)", zhSummary);
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            }
        }
    }
}

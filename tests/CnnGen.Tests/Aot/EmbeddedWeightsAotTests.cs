using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Aot
{
    /// <summary>
    /// Tests that build the repository's projects in a child dotnet (pack, publish): one at a time, so that two builds never
    /// write the same obj/ and bin/ folders at once.
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class RepositoryBuilds
    {
        public const string Name = "Builds of the repository's projects";
    }

    /// <summary>
    /// A program shipped as one NativeAOT binary: mnist-8 declared with Weights = "mnist-8.onnx", published with
    /// PublishAot (no trim or AOT warning), every model file deleted, run on the three reference digits from Default.
    /// </summary>
    [Collection(RepositoryBuilds.Name)]
    public class EmbeddedWeightsAotTests
    {
        private static string Mnist8Dir => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8"));

        private const string Program = """
            using System;
            using System.Globalization;
            using System.Linq;
            using CnnGen;

            [ConvNet(1, 28, 28, Weights = "mnist-8.onnx")]
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
                public static int Main(string[] args)
                {
                    var logits = new float[Mnist8.OutputLength];
                    for (int set = 0; set < 3; set++)
                    {
                        float[] input = OnnxData.ReadTensor(System.IO.Path.Combine(args[0], $"test_data_set_{set}", "input_0.pb"), out _);
                        Mnist8.Default.Forward(input, logits);
                        Console.WriteLine($"set{set}: " + string.Join(" ", logits.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                    }
                    Console.WriteLine($"vector bits: {CnnGenRuntime.VectorBits}");
                    return 0;
                }
            }
            """;

        [Fact]
        public void A_NativeAOT_binary_runs_mnist8_from_its_embedded_weights_with_no_model_file()
        {
            string work = Directory.CreateTempSubdirectory("cnngen-aot-").FullName;
            try
            {
                string app = Path.Combine(work, "app");
                Directory.CreateDirectory(app);
                string repo = Repo.Root;
                // The repository's projects as a package brings them: the runtime, the generator and analyzers, the build targets.
                File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <OutputType>Exe</OutputType>
                        <TargetFramework>net10.0</TargetFramework>
                        <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                        <PublishAot>true</PublishAot>
                        <Nullable>enable</Nullable>
                        <CnnGenTasksAssembly>{repo}/tasks/CnnGen.Build/bin/Release/net8.0/CnnGen.Build.dll</CnnGenTasksAssembly>
                        <CnnGenTaskFactory>TaskHostFactory</CnnGenTaskFactory>
                      </PropertyGroup>
                      <ItemGroup>
                        <ProjectReference Include="{repo}/src/CnnGen/CnnGen.csproj" />
                        <ProjectReference Include="{repo}/generators/CnnGen.Generators/CnnGen.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                        <ProjectReference Include="{repo}/analyzers/CnnGen.Analyzers/CnnGen.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                      </ItemGroup>
                      <Import Project="{repo}/src/CnnGen/build/CnnGen.targets" />
                    </Project>
                    """);
                File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
                File.Copy(Path.Combine(Mnist8Dir, "model.onnx"), Path.Combine(app, "mnist-8.onnx"));
                // The inputs only: the model is not beside the program.
                string data = Path.Combine(work, "data");
                for (int set = 0; set < 3; set++)
                {
                    Directory.CreateDirectory(Path.Combine(data, $"test_data_set_{set}"));
                    File.Copy(Path.Combine(Mnist8Dir, $"test_data_set_{set}", "input_0.pb"), Path.Combine(data, $"test_data_set_{set}", "input_0.pb"));
                }

                string output = Path.Combine(work, "out");
                (int code, string log) = Repo.Dotnet(app, $"publish -c Release -o \"{output}\" -nologo", timeoutSeconds: 900);
                Assert.True(code == 0, log);
                Assert.DoesNotMatch(new Regex(@"warning (IL|CS|CNN)\d+"), log);

                foreach (string model in Directory.GetFiles(work, "*", SearchOption.AllDirectories)
                             .Where(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)))
                    File.Delete(model);
                string binary = Path.Combine(output, "app");
                Assert.True(File.Exists(binary), string.Join(", ", Directory.GetFiles(output)));
                Assert.False(File.Exists(Path.Combine(output, "CnnGen.dll")), "a NativeAOT publish has no managed assemblies");

                var psi = new ProcessStartInfo(binary, $"\"{data}\"") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work };
                using Process process = Process.Start(psi)!;
                string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, stdout + stderr);
                for (int set = 0; set < 3; set++)
                {
                    float[] expected = OnnxData.ReadTensor(Path.Combine(Mnist8Dir, $"test_data_set_{set}", "output_0.pb"), out _);
                    string line = stdout.Split('\n').Single(l => l.StartsWith($"set{set}: ", StringComparison.Ordinal));
                    float[] logits = line[$"set{set}: ".Length..].Trim().Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                    float scale = expected.Max(MathF.Abs);
                    Assert.True(logits.Zip(expected, (a, b) => MathF.Abs(a - b)).Max() <= 1e-4f * scale, line);
                }
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            }
        }
    }
}

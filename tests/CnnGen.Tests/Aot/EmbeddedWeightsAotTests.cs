using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Weights;
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
                File.WriteAllText(Path.Combine(app, "Program.cs"), Mnist8Source.ShippedProgram);
                File.Copy(Path.Combine(Mnist8Source.Dir, "model.onnx"), Path.Combine(app, "mnist-8.onnx"));
                // The inputs only: the model is not beside the program.
                string data = Mnist8Source.InputsOnly(work);

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
                Mnist8Source.AssertReferenceOutputs(stdout);
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            }
        }
    }
}

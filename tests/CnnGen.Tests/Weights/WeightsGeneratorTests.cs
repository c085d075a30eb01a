using System;
using System.IO;
using System.Linq;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CnnGen.Tests.Weights
{
    /// <summary>The generated Default, and the incremental steps around the build's descriptions of weights files.</summary>
    public class WeightsGeneratorTests
    {
        private static string Mnist8File => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8", "model.onnx"));

        private static readonly string Source = "using CnnGen;\n" + Mnist8Source.Declaration("model.onnx") + """
            [ConvNet(1, 8, 8), Flatten, Dense(2)]
            public partial class Plain { }
            """;

        private static GeneratorDriver Driver(params AdditionalText[] descriptions) =>
            CSharpGeneratorDriver.Create(
                new[] { new global::CnnGen.Generators.NetworkGenerator().AsSourceGenerator() },
                additionalTexts: descriptions,
                parseOptions: Compilations.Parse,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        private static string Generated(GeneratorDriver driver, string hint) =>
            driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString();

        [Fact]
        public void Default_loads_the_embedded_resource_and_compiles()
        {
            CSharpCompilation compilation = Compilations.Create(Source);
            GeneratorDriver driver = Driver(WeightsBuildCheckTests.Description("model.onnx", Mnist8File))
                .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
            string code = Generated(driver, "Mnist8.g.cs");
            string resource = global::CnnGen.Build.WeightsDescriber.Describe("model.onnx", Mnist8File).Split('\n')
                .Single(l => l.StartsWith("resource: ", StringComparison.Ordinal))["resource: ".Length..];
            Assert.StartsWith("CnnGen.Weights.", resource);
            Assert.Contains("public static Mnist8 Default => s_default.Value;", code);
            Assert.Contains($"global::CnnGen.WeightLoader.LoadEmbedded(typeof(Mnist8).Assembly, \"{resource}\", \"model.onnx\", s_spec)", code);
            Assert.Contains("LazyThreadSafetyMode.ExecutionAndPublication", code);
            Assert.DoesNotContain("Default", Generated(driver, "Plain.g.cs"));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }

        [Fact]
        public void Without_a_readable_file_Default_only_throws()
        {
            foreach (AdditionalText[] descriptions in new[]
            {
                Array.Empty<AdditionalText>(),
                new AdditionalText[] { WeightsBuildCheckTests.Description("model.onnx", Path.Combine(Path.GetTempPath(), "no-such-dir", "model.onnx")) },
            })
            {
                CSharpCompilation compilation = Compilations.Create(Source);
                GeneratorDriver driver = Driver(descriptions).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
                Assert.Contains("public static Mnist8 Default => throw new global::System.InvalidOperationException(\"The weights 'model.onnx' of Mnist8 were not embedded: see the CnnGen build error on its Weights argument.\");",
                    Generated(driver, "Mnist8.g.cs"));
                Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            }
        }

        [Theory]
        [InlineData("docs/user-guide.md")]
        [InlineData("docs/zh-Hans/user-guide.md")]
        public async System.Threading.Tasks.Task The_guides_shipping_example_builds_without_a_warning(string guide)
        {
            string text = File.ReadAllText(Path.Combine(Repo.Root, guide)).Replace("\r\n", "\n");
            string code = System.Text.RegularExpressions.Regex.Matches(text, "```csharp\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
                .Select(m => m.Groups[1].Value).Single(c => c.Contains("Weights = \"mnist-8.onnx\"", StringComparison.Ordinal));
            CSharpCompilation program = Compilations.Create(code).WithOptions(new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
            AdditionalText description = WeightsBuildCheckTests.Description("mnist-8.onnx", Mnist8File);
            GeneratorDriver driver = Driver(description).RunGeneratorsAndUpdateCompilation(program, out Compilation output, out _);
            Assert.Contains("Default => s_default.Value", Generated(driver, "Mnist8.g.cs"));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            var analyzers = output.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(new global::CnnGen.Analyzers.NetworkAnalyzer()),
                new AnalyzerOptions(System.Collections.Immutable.ImmutableArray.Create(description)));
            Assert.Empty((await analyzers.GetAnalyzerDiagnosticsAsync()).Where(d => d.Severity >= DiagnosticSeverity.Warning));
        }

        [Fact]
        public void An_unrelated_edit_does_not_read_the_descriptions_again_and_a_new_description_regenerates()
        {
            CSharpCompilation compilation = Compilations.Create(Source, "public class Other { }");
            AdditionalText missing = WeightsBuildCheckTests.Description("model.onnx", Path.Combine(Path.GetTempPath(), "no-such-dir", "model.onnx"));
            GeneratorDriver driver = Driver(missing).RunGenerators(compilation);

            SyntaxTree other = compilation.SyntaxTrees.Last();
            CSharpCompilation edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("public class Other { int x; }", Compilations.Parse, other.FilePath));
            driver = driver.RunGenerators(edited);
            GeneratorRunResult run = driver.GetRunResult().Results.Single();
            var weightSteps = run.TrackedSteps[global::CnnGen.Generators.NetworkGenerator.WeightsStep];
            Assert.NotEmpty(weightSteps);
            Assert.All(weightSteps.SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
            Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step was {o.Reason}"));

            // The file appears: the build writes a new description; Mnist8 is generated again, with a working Default.
            driver = driver.ReplaceAdditionalText(missing, WeightsBuildCheckTests.Description("model.onnx", Mnist8File)).RunGenerators(edited);
            run = driver.GetRunResult().Results.Single();
            Assert.Contains(run.TrackedSteps[global::CnnGen.Generators.NetworkGenerator.WeightsStep].SelectMany(s => s.Outputs),
                o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
            Assert.Contains("public static Mnist8 Default => s_default.Value;", Generated(driver, "Mnist8.g.cs"));
        }
    }
}

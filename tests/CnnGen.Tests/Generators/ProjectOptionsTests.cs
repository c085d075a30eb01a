using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Xml.Linq;
using CnnGen.Kernels;
using CnnGen.Tests.Forward;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CnnGen.Tests.Generators
{
    /// <summary>The project-wide options: MSBuild properties CnnGen_MaxThreads and CnnGen_Winograd (build/CnnGen.props).</summary>
    public class ProjectOptionsTests
    {
        private const string Net = """
            using CnnGen;

            namespace Options;

            [ConvNet(64, 10, 10)]
            [Conv(16, 3, Padding = Padding.Same), ReLU]
            [GlobalAvgPool]
            [Dense(4)]
            public partial class Net { }
            """;

        private const string Second = """
            using CnnGen;

            namespace Options;

            [ConvNet(1, 8)]
            [Conv(2, 3)]
            public partial class Tiny { }
            """;

        private static Dictionary<string, string> Props(params (string Name, string Value)[] properties) =>
            properties.ToDictionary(p => p.Name, p => p.Value);

        private static string Generated(Dictionary<string, string> properties, out Compilation output)
        {
            (output, GeneratorDriverRunResult result) = Compilations.Generate(properties, Net);
            return result.GeneratedTrees.Single().GetText().ToString();
        }

        [Fact]
        public void Options_are_compiled_into_the_network_snapshot()
        {
            string code = Generated(Props(("CnnGen_MaxThreads", "2"), ("CnnGen_Winograd", "false")), out Compilation output);
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Assert.Empty(Compilations.Analyze(output, Props(("CnnGen_MaxThreads", "2"), ("CnnGen_Winograd", "false"))).Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Assert.Matches(@"ScratchLength, workPerSample: \d+, maxThreads: 2\); // CnnGen_MaxThreads", code);
            Assert.Contains("direct (CnnGen_Winograd = false)", code);
            Assert.Contains("/// and never more than 2 (the project's CnnGen_MaxThreads).", code);
            Snapshot.Verify("ProjectOptions", code);
        }

        [Theory]
        [InlineData(null, null)]
        [InlineData("", "")]
        [InlineData("  ", "true")]
        [InlineData(" 4 ", "True")]
        [InlineData("1", "FALSE")]
        public void Valid_or_unset_values_are_taken(string? threads, string? winograd)
        {
            var properties = new Dictionary<string, string>();
            if (threads is not null) properties["CnnGen_MaxThreads"] = threads;
            if (winograd is not null) properties["CnnGen_Winograd"] = winograd;
            string code = Generated(properties, out Compilation output);
            Assert.Empty(Compilations.Analyze(output, properties).Where(d => d.Severity >= DiagnosticSeverity.Warning));

            if (string.IsNullOrWhiteSpace(threads)) Assert.DoesNotContain("maxThreads:", code);
            else Assert.Contains($"maxThreads: {threads.Trim()});", code);
            bool direct = winograd is not null && winograd.Equals("false", StringComparison.OrdinalIgnoreCase);
            Assert.Equal(direct, code.Contains("CnnGen_Winograd = false", StringComparison.Ordinal));
            Assert.Equal(!direct, code.Contains("Conv.Winograd(", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("CnnGen_MaxThreads", "0", "it must be a whole number of at least 1, e.g. <CnnGen_MaxThreads>1</CnnGen_MaxThreads>")]
        [InlineData("CnnGen_MaxThreads", "-2", "it must be a whole number of at least 1")]
        [InlineData("CnnGen_MaxThreads", "all", "it must be a whole number of at least 1")]
        [InlineData("CnnGen_MaxThreads", "1.5", "it must be a whole number of at least 1")]
        [InlineData("CnnGen_MaxThreads", "99999999999", "it must be a whole number of at least 1")]
        [InlineData("CnnGen_Winograd", "yes", "it must be true or false, e.g. <CnnGen_Winograd>false</CnnGen_Winograd>")]
        [InlineData("CnnGen_Winograd", "0", "it must be true or false")]
        public void An_invalid_value_is_CNN0020_on_every_network_and_no_network_code_is_generated(string property, string value, string expected)
        {
            Dictionary<string, string> properties = Props((property, value));
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(properties, Net, Second);

            // The shell keeps usages compiling; it holds no network.
            Assert.All(result.GeneratedTrees, t => Assert.Contains("has build errors (CNN0020)", t.GetText().ToString(), StringComparison.Ordinal));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

            Diagnostic[] diagnostics = Compilations.Analyze(output, properties).ToArray();
            Assert.Equal(2, diagnostics.Length);
            Assert.All(diagnostics, d =>
            {
                Assert.Equal("CNN0020", d.Id);
                Assert.Equal(DiagnosticSeverity.Error, d.Severity);
                Assert.StartsWith("ConvNet(", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan), StringComparison.Ordinal);
                string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
                Assert.StartsWith($"The MSBuild property {property} is '{value}', but {expected}", message, StringComparison.Ordinal);
                Assert.Contains("or remove it for the default (", message, StringComparison.Ordinal);
            });
            Assert.Contains(diagnostics, d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).EndsWith("No code is generated for 'Tiny' until then", StringComparison.Ordinal));
        }

        [Fact]
        public void The_message_is_translated()
        {
            Dictionary<string, string> properties = Props(("CnnGen_Winograd", "ja"));
            (Compilation output, _) = Compilations.Generate(properties, Second);
            Diagnostic d = Assert.Single(Compilations.Analyze(output, properties));
            string message = d.GetMessage(new System.Globalization.CultureInfo("zh-Hans"));
            Assert.StartsWith("MSBuild 属性 CnnGen_Winograd 的值是 'ja'，但 它必须是 true 或 false", message, StringComparison.Ordinal);
            Assert.Contains("步幅为 1 的卷积使用 Winograd", message, StringComparison.Ordinal);
        }

        [Fact]
        public void Changing_an_option_regenerates_and_an_unrelated_edit_does_not()
        {
            CSharpCompilation compilation = Compilations.Create(Net, "public class Other { }");
            GeneratorDriver driver = Compilations.Driver(track: true, Props(("CnnGen_MaxThreads", "2"))).RunGenerators(compilation);

            SyntaxTree other = compilation.SyntaxTrees.Last();
            CSharpCompilation edited = compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("public class Other { int x; }", Compilations.Parse, other.FilePath));
            GeneratorRunResult run = driver.RunGenerators(edited).GetRunResult().Results.Single();
            Assert.All(run.TrackedSteps[global::CnnGen.Generators.NetworkGenerator.OptionsStep].SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"options step was {o.Reason}"));
            Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step was {o.Reason}"));

            driver = driver.RunGenerators(edited);
            var changed = (CSharpGeneratorDriver)driver.WithUpdatedAnalyzerConfigOptions(Compilations.BuildPropertiesProvider(Props(("CnnGen_MaxThreads", "3"))));
            run = changed.RunGenerators(edited).GetRunResult().Results.Single();
            Assert.Contains(run.TrackedSteps[global::CnnGen.Generators.NetworkGenerator.OptionsStep].SelectMany(s => s.Outputs),
                o => o.Reason == IncrementalStepRunReason.Modified);
            Assert.Contains("maxThreads: 3);", run.GeneratedSources.Single().SourceText.ToString());
        }

        [Fact]
        public void Package_props_make_every_option_visible_to_the_compiler()
        {
            string props = Path.Combine(Repo.Root, "src", "CnnGen", "build", "CnnGen.props");
            string[] visible = XDocument.Load(props).Descendants("CompilerVisibleProperty").Select(e => (string)e.Attribute("Include")!).ToArray();
            Assert.Equal(new[] { "CnnGen_MaxThreads", "CnnGen_Winograd" }, visible);
            string transitive = File.ReadAllText(Path.Combine(Repo.Root, "src", "CnnGen", "buildTransitive", "CnnGen.props"));
            Assert.Contains("../build/CnnGen.props", transitive, StringComparison.Ordinal);
            // Every option is documented for users.
            foreach (string guide in new[] { "docs/user-guide.md", "docs/zh-Hans/user-guide.md" })
            {
                string text = File.ReadAllText(Path.Combine(Repo.Root, guide));
                Assert.All(visible, p => Assert.Contains($"<{p}>", text, StringComparison.Ordinal));
            }
        }

        [Fact]
        public void Winograd_false_makes_the_convolution_sum_its_taps_directly()
        {
            const string source = """
                using CnnGen;
                [ConvNet(64, 10, 10), Conv(32, 3, Padding = Padding.Same)]
                public partial class Three { }
                """;
            string Generated(IReadOnlyDictionary<string, string>? properties) =>
                Compilations.Generate(properties, source).Result.GeneratedTrees.Single().GetText().ToString();
            string fast = Generated(null), direct = Generated(new Dictionary<string, string> { ["CnnGen_Winograd"] = "false" });
            Assert.Contains("Conv.Winograd(", fast, StringComparison.Ordinal);
            Assert.Contains("winograd: true", fast, StringComparison.Ordinal);
            Assert.DoesNotContain("Conv.Winograd(", direct, StringComparison.Ordinal);
            Assert.Contains("Conv.Direct(", direct, StringComparison.Ordinal);
        }
    }

    /// <summary>The project's CnnGen_MaxThreads bounds the threads below <see cref="CnnGenRuntime.MaxThreads"/>.</summary>
    [Collection(RuntimeSettings.Name)]
    public class ProjectMaxThreadsTests
    {
        /// <summary>
        /// Copies its input and records the threads it ran on. The threads take the parts of a batch as they come, so
        /// the calling thread could run them all before a worker wakes: each part waits (up to 2 s) until
        /// <see cref="Expected"/> threads have come, so every thread the bound allows takes one.
        /// </summary>
        private sealed class RecordingNetwork : INetworkBody
        {
            public readonly ConcurrentDictionary<int, int> Threads = new();
            public int Expected = 1;

            public void Run(ReadOnlySpan<float> input, Span<float> output, int count, Span<float> workspace, Span<float> scratch)
            {
                Threads[Environment.CurrentManagedThreadId] = 1;
                SpinWait.SpinUntil(() => Threads.Count >= Expected, 2000);
                input.CopyTo(output);
            }
        }

        [Theory]
        [InlineData(0, 3)]
        [InlineData(1, 1)]
        [InlineData(2, 2)]
        [InlineData(7, 3)]
        public void A_batch_runs_on_at_most_the_smaller_of_the_two_bounds(int projectMax, int expectedThreads)
        {
            int saved = CnnGenRuntime.MaxThreads;
            try
            {
                CnnGenRuntime.MaxThreads = 3;
                var network = new RecordingNetwork { Expected = expectedThreads };
                float[] input = Enumerable.Range(0, 8 * 30).Select(i => (float)i).ToArray();
                var output = new float[input.Length];
                Batch.Run(network, input, output, 30, 8, 8, 16, 16, maxThreads: projectMax);
                Assert.Equal(input, output);
                Assert.Equal(expectedThreads, network.Threads.Count);
            }
            finally
            {
                CnnGenRuntime.MaxThreads = saved;
            }
        }

        [Fact]
        public void A_negative_bound_is_refused()
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Batch.Run(new RecordingNetwork(), new float[8], new float[8], 1, 8, 8, 16, 16, maxThreads: -1));
            Assert.Contains("at least 1", e.Message, StringComparison.Ordinal);
        }
    }
}

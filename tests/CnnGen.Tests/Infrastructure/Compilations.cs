using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>Compiles test sources offline against the .NET 10 reference assemblies and the CnnGen runtime.</summary>
    internal static class Compilations
    {
        public static readonly MetadataReference CnnGenRuntime = MetadataReference.CreateFromFile(typeof(ConvNetAttribute).Assembly.Location);

        public static IEnumerable<MetadataReference> References =>
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>().Append(CnnGenRuntime);

        public static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

        public static CSharpCompilation Create(params string[] sources) =>
            CSharpCompilation.Create(
                "UserCode",
                sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, Parse, path: $"Source{i}.cs")),
                References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        /// <param name="track">Record the incremental steps (caching tests).</param>
        /// <param name="properties">MSBuild properties the compiler sees (CnnGen_MaxThreads = "2", ...), as build/CnnGen.props passes them.</param>
        public static GeneratorDriver Driver(bool track = false, IReadOnlyDictionary<string, string>? properties = null) =>
            CSharpGeneratorDriver.Create(
                new[] { new global::CnnGen.Generators.NetworkGenerator().AsSourceGenerator() },
                parseOptions: Parse,
                optionsProvider: new BuildProperties(properties),
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

        /// <summary>Runs the generator; returns the compilation with the generated files and the generator's run result.</summary>
        public static (Compilation Output, GeneratorDriverRunResult Result) Generate(params string[] sources) => Generate(null, sources);

        /// <summary>Runs the generator with the project's MSBuild <paramref name="properties"/>.</summary>
        public static (Compilation Output, GeneratorDriverRunResult Result) Generate(IReadOnlyDictionary<string, string>? properties, params string[] sources)
        {
            CSharpCompilation input = Create(sources);
            GeneratorDriver driver = Driver(properties: properties).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
            return (output, driver.GetRunResult());
        }

        /// <summary>The analyzer's diagnostics on the compilation (generated code included, as in a real build).</summary>
        public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, IReadOnlyDictionary<string, string>? properties = null) =>
            compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new global::CnnGen.Analyzers.NetworkAnalyzer()),
                    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new BuildProperties(properties)))
                .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

        /// <summary>An options provider holding the MSBuild <paramref name="properties"/> (WithUpdatedAnalyzerConfigOptions).</summary>
        public static AnalyzerConfigOptionsProvider BuildPropertiesProvider(IReadOnlyDictionary<string, string>? properties) => new BuildProperties(properties);

        /// <summary>Global options "build_property.NAME = value", as the SDK writes them for each CompilerVisibleProperty.</summary>
        private sealed class BuildProperties : AnalyzerConfigOptionsProvider
        {
            private readonly Options _global;

            public BuildProperties(IReadOnlyDictionary<string, string>? properties) =>
                _global = new Options((properties ?? new Dictionary<string, string>()).ToDictionary(p => "build_property." + p.Key, p => p.Value));

            public override AnalyzerConfigOptions GlobalOptions => _global;

            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.None;

            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.None;

            private sealed class Options : AnalyzerConfigOptions
            {
                public static readonly Options None = new(new Dictionary<string, string>());

                private readonly Dictionary<string, string> _values;

                public Options(Dictionary<string, string> values) => _values = values;

                public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                    _values.TryGetValue(key, out value);
            }
        }
    }
}

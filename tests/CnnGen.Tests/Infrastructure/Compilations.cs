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

        public static GeneratorDriver Driver(bool track = false) =>
            CSharpGeneratorDriver.Create(
                new[] { new global::CnnGen.Generators.NetworkGenerator().AsSourceGenerator() },
                parseOptions: Parse,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

        /// <summary>Runs the generator; returns the compilation with the generated files and the generator's run result.</summary>
        public static (Compilation Output, GeneratorDriverRunResult Result) Generate(params string[] sources)
        {
            CSharpCompilation input = Create(sources);
            GeneratorDriver driver = Driver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
            return (output, driver.GetRunResult());
        }

        /// <summary>The analyzer's diagnostics on the compilation (generated code included, as in a real build).</summary>
        public static ImmutableArray<Diagnostic> Analyze(Compilation compilation) =>
            compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new global::CnnGen.Analyzers.NetworkAnalyzer()))
                .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
    }
}

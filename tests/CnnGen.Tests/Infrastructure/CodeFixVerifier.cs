using System.Threading;
using System.Threading.Tasks;
using CnnGen.Analyzers;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>
    /// Code-fix tests: the analyzer finds the diagnostics in <c>sources</c>, the fix with <c>key</c> is applied one at a
    /// time and with Fix All (document, project and solution scopes, checked by the framework), and the result must be
    /// <c>fixedSources</c> with no diagnostics left but those listed in it.
    /// </summary>
    internal static class CodeFixVerifier<TFix> where TFix : CodeFixProvider, new()
    {
        public static Task VerifyAsync(string[] sources, string[] fixedSources, string? key = null, int? iterations = null)
        {
            var test = new CSharpCodeFixTest<NetworkAnalyzer, TFix, DefaultVerifier>
            {
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
                CodeActionEquivalenceKey = key,
            };
            for (int i = 0; i < sources.Length; i++) test.TestState.Sources.Add(($"Net{i}.cs", sources[i]));
            for (int i = 0; i < fixedSources.Length; i++) test.FixedState.Sources.Add(($"Net{i}.cs", fixedSources[i]));
            test.TestState.AdditionalReferences.AddRange(Compilations.References);
            test.FixedState.AdditionalReferences.AddRange(Compilations.References);
            if (iterations is { } n)
            {
                test.NumberOfIncrementalIterations = n;
                test.NumberOfFixAllInDocumentIterations = sources.Length; // one per document
                test.NumberOfFixAllIterations = 1;                        // project and solution: all at once
            }
            return test.RunAsync(CancellationToken.None);
        }

        public static Task VerifyAsync(string source, string fixedSource, string? key = null) =>
            VerifyAsync(new[] { source }, new[] { fixedSource }, key);
    }
}

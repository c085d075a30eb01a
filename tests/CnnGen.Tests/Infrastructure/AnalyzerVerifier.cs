using System.Threading;
using System.Threading.Tasks;
using CnnGen.Analyzers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>Analyzer tests with diagnostic markup ({|CNN0011:...|}), offline: reference assemblies from Basic.Reference.Assemblies.</summary>
    internal static class AnalyzerVerifier
    {
        public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
        {
            var test = new CSharpAnalyzerTest<NetworkAnalyzer, DefaultVerifier>
            {
                TestCode = source,
                ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            };
            test.TestState.AdditionalReferences.AddRange(Compilations.References);
            test.ExpectedDiagnostics.AddRange(expected);
            return test.RunAsync(CancellationToken.None);
        }

        public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, Descriptor(id).DefaultSeverity);

        private static Microsoft.CodeAnalysis.DiagnosticDescriptor Descriptor(string id) =>
            System.Linq.Enumerable.First(new NetworkAnalyzer().SupportedDiagnostics, d => d.Id == id);
    }
}

using System.Collections.Immutable;
using CnnGen.Declarations;
using CnnGen.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CnnGen.Analyzers
{
    /// <summary>
    /// Reports every problem of a declared network (SPEC.md's formulas with the user's numbers) on the attribute
    /// or argument that causes it. The generator reports nothing: it only emits code for networks without errors.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NetworkAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Descriptors.All;

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
        }

        private static void AnalyzeType(SymbolAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            DeclarationReadResult? read = DeclarationReader.Read(type, context.CancellationToken);
            if (read is null || read.HasCompilerErrors) return;

            foreach (StructuralProblem p in read.Problems)
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.For(p.Rule), p.Location, p.Args));
            if (read.ConvNet is null) return;

            NetworkAnalysis analysis = NetworkChecker.Analyze(read.Declaration);
            foreach (Finding f in analysis.Findings)
            {
                var args = new object[f.Args.Count];
                for (int i = 0; i < args.Length; i++) args[i] = f.Args[i];
                Location location = FindingLocator.Locate(read, f, type);
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.For(Rules.ById(f.RuleId)), location, args));
            }
        }
    }
}

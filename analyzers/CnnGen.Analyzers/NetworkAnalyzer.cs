using System.Collections.Immutable;
using System.Linq;
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
            context.RegisterCompilationStartAction(start =>
            {
                // The project's CnnGen_* options are the same for every type: read them once per compilation.
                ProjectOptions options = ProjectOptions.Read(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions);
                // So are the build's descriptions of the weights files that [ConvNet(Weights = ...)] names.
                WeightsChecker weights = WeightsChecker.Read(start.Options, start.CancellationToken);
                start.RegisterSymbolAction(symbol => AnalyzeType(symbol, options, weights), SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, ProjectOptions options, WeightsChecker weights)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (DeclarationReader.FirstNestedNetwork(type, context.CancellationToken) is { } network
                && DeclarationReader.NotPartial(type, network) is { } container)
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.For(container.Rule), container.Location, MessageArguments.From(container.Args)));

            DeclarationReadResult? read = DeclarationReader.Read(type, context.CancellationToken);
            if (read is null || read.HasCompilerErrors) return;

            // A containing type that is not partial was reported above, when that type was analysed.
            foreach (StructuralProblem p in read.Problems.Where(p => !p.OnContainingType))
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.For(p.Rule), p.Location, MessageArguments.From(p.Args)));
            if (read.IsBlock)
            {
                // A block is checked on its own for what needs no shape (arguments, names, the blocks it names); what its
                // layers make of a shape is reported where a network uses it.
                Report(context, read, type, NetworkChecker.AnalyzeBlock(read.Declaration, read.Key));
                return;
            }
            if (read.ConvNet is null) return;

            foreach (OptionProblem o in options.Problems)
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidProjectOption, DeclarationReader.LocationOf(read.ConvNet) ?? type.Locations[0],
                    MessageArguments.From(new[] { o.Property, o.Value, o.Expected, o.Default, type.Name })));

            NetworkAnalysis analysis = NetworkChecker.Analyze(read.Declaration);
            Report(context, read, type, analysis);
            weights.Check(context, read, type, analysis);
        }

        /// <summary>The findings located on the analysed type; those owned by a block it uses are reported when the block is analysed.</summary>
        private static void Report(SymbolAnalysisContext context, DeclarationReadResult read, INamedTypeSymbol type, NetworkAnalysis analysis)
        {
            foreach (Finding f in analysis.Findings.Where(f => f.Owner is null))
            {
                Location location = FindingLocator.Locate(read, f, type);
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.For(Rules.ById(f.RuleId)), location, FixProperties(f), MessageArguments.From(f.Args.ToArray())));
            }
        }

        /// <summary>The finding's fix data as diagnostic properties, for the code fixes (plus the argument it is about).</summary>
        private static ImmutableDictionary<string, string?> FixProperties(Finding finding)
        {
            if (finding.Fix.Count == 0) return ImmutableDictionary<string, string?>.Empty;
            var b = ImmutableDictionary.CreateBuilder<string, string?>();
            b["Target"] = finding.Target.ToString();
            foreach (string entry in finding.Fix)
            {
                int eq = entry.IndexOf('=');
                if (eq > 0) b[entry.Substring(0, eq)] = entry.Substring(eq + 1);
            }
            return b.ToImmutable();
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CnnGen.Declarations;
using CnnGen.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Generators
{
    /// <summary>The parse step: from the type carrying [ConvNet] to the equatable <see cref="NetworkModel"/>.</summary>
    internal static class ModelBuilder
    {
        public static NetworkModel? Build(INamedTypeSymbol type, SyntaxNode target, CancellationToken ct)
        {
            DeclarationReadResult? read = DeclarationReader.Read(type, ct);
            if (read?.ConvNet is null || !read.CanAddMembers) return null;

            // [ConvNet] twice (a compiler error) would reach here once per declaration: emit from the first only.
            if (read.ConvNet.ApplicationSyntaxReference?.GetSyntax(ct).Parent?.Parent is { } owner && owner != target) return null;

            NetworkAnalysis? analysis = null;
            string errors = read.HasCompilerErrors ? "compiler errors in its CnnGen attributes"
                : read.Problems.Length > 0 ? string.Join(", ", read.Problems.Select(p => p.Rule.Id).Distinct())
                : "";
            if (errors.Length == 0)
            {
                analysis = NetworkChecker.Analyze(read.Declaration);
                if (analysis.HasErrors)
                {
                    errors = string.Join(", ", analysis.Findings.Select(f => Rules.ById(f.RuleId))
                        .Where(r => r.Severity == RuleSeverity.Error).Select(r => r.Id).Distinct());
                    analysis = null;
                }
            }

            var containers = new List<TypeHeader>();
            for (INamedTypeSymbol? t = type.ContainingType; t is not null; t = t.ContainingType) containers.Insert(0, Header(t));
            string? ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            string display = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            string? weights = read.ConvNet.NamedArguments.FirstOrDefault(a => a.Key == "Weights").Value.Value as string;
            return new NetworkModel(HintName(type), ns, new EquatableArray<TypeHeader>(containers.ToArray()), Header(type), display, errors, analysis)
            {
                Weights = weights,
            };
        }

        private static TypeHeader Header(INamedTypeSymbol t)
        {
            string keyword = t.IsRecord ? (t.IsValueType ? "record struct" : "record") : t.IsValueType ? "struct" : t.TypeKind == TypeKind.Interface ? "interface" : "class";
            string name = t.TypeParameters.Length == 0 ? t.Name : t.Name + "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">";
            return new TypeHeader(keyword, name);
        }

        /// <summary>&lt;Namespace&gt;.&lt;Outer&gt;.&lt;Class&gt;.g.cs, with the arity of generic types (Net`1).</summary>
        private static string HintName(INamedTypeSymbol type)
        {
            var parts = new List<string>();
            for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType) parts.Insert(0, t.MetadataName);
            if (type.ContainingNamespace is { IsGlobalNamespace: false } ns) parts.Insert(0, ns.ToDisplayString());
            return string.Join(".", parts) + ".g.cs";
        }
    }
}

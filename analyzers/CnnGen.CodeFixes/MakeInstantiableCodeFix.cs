using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>CNN0019 (a static or abstract network type): "Remove 'static'" / "Remove 'abstract'", from every partial declaration.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeInstantiableCodeFix)), Shared]
    public sealed class MakeInstantiableCodeFix : SyntaxCodeFix<TypeDeclarationSyntax>
    {
        private static readonly SyntaxKind[] Removed = { SyntaxKind.StaticKeyword, SyntaxKind.AbstractKeyword };

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0019");

        protected override async Task Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, TypeDeclarationSyntax type)
        {
            SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (model?.GetDeclaredSymbol(type, context.CancellationToken) is not INamedTypeSymbol symbol) return;
            string[] modifiers = symbol.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<TypeDeclarationSyntax>()
                .SelectMany(d => d.Modifiers).Where(m => Removed.Contains(m.Kind())).Select(m => m.ValueText).Distinct().ToArray();
            if (modifiers.Length == 0) return;
            context.RegisterCodeFix(
                CodeAction.Create(FixTitles.Format("RemoveModifier", string.Join(" ", modifiers), symbol.Name),
                    token => Remove(context.Document.Project.Solution, symbol, token), "CNN0019.Instantiable"),
                diagnostic);
        }

        /// <summary>Removes 'static' and 'abstract' from each declaration of the type, in whichever document it is.</summary>
        private static async Task<Solution> Remove(Solution solution, INamedTypeSymbol type, CancellationToken token)
        {
            foreach (IGrouping<SyntaxTree, SyntaxReference> tree in type.DeclaringSyntaxReferences.GroupBy(r => r.SyntaxTree))
            {
                if (solution.GetDocument(tree.Key) is not { } document) continue;
                SyntaxNode root = await tree.Key.GetRootAsync(token).ConfigureAwait(false);
                List<TypeDeclarationSyntax> declarations = tree.Select(r => r.GetSyntax(token)).OfType<TypeDeclarationSyntax>().ToList();
                root = root.ReplaceNodes(declarations, (_, current) => WithoutModifiers(current));
                solution = solution.WithDocumentSyntaxRoot(document.Id, root);
            }
            return solution;
        }

        /// <summary>The declaration without 'static' / 'abstract'; a removed first modifier hands its indentation to the next token.</summary>
        private static TypeDeclarationSyntax WithoutModifiers(TypeDeclarationSyntax declaration)
        {
            SyntaxTriviaList leading = declaration.Modifiers.Count > 0 ? declaration.Modifiers[0].LeadingTrivia : default;
            var kept = declaration.Modifiers.Where(m => !Removed.Contains(m.Kind())).ToList();
            if (kept.Count == declaration.Modifiers.Count) return declaration;
            if (kept.Count > 0)
            {
                kept[0] = kept[0].WithLeadingTrivia(leading);
                return declaration.WithModifiers(SyntaxFactory.TokenList(kept));
            }
            return declaration.WithModifiers(default).WithKeyword(declaration.Keyword.WithLeadingTrivia(leading));
        }
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>CNN0001 (network type, or a type containing it, not partial): "Add 'partial'".</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
    public sealed class MakePartialCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0001");

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (root?.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type) continue;
                if (type.Modifiers.Any(SyntaxKind.PartialKeyword)) continue;
                // 'partial' goes last, right before 'class' / 'struct' / 'record'; with no modifiers it takes over the keyword's indentation.
                SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                TypeDeclarationSyntax updated = type.Modifiers.Count == 0
                    ? type.WithKeyword(type.Keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(type.Keyword.LeadingTrivia)))
                    : type.AddModifiers(partial);
                context.RegisterCodeFix(
                    CodeAction.Create(FixTitles.Format("AddPartial", type.Identifier.ValueText),
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, updated))), "CNN0001.Partial"),
                    diagnostic);
            }
        }
    }
}

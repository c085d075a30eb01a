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
    public sealed class MakePartialCodeFix : SyntaxCodeFix<TypeDeclarationSyntax>
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0001");

        protected override Task Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, TypeDeclarationSyntax type)
        {
            if (type.Modifiers.Any(SyntaxKind.PartialKeyword)) return Task.CompletedTask;
            // 'partial' goes last, right before 'class' / 'struct' / 'record'; with no modifiers it takes over the keyword's indentation.
            SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            TypeDeclarationSyntax updated = type.Modifiers.Count == 0
                ? type.WithKeyword(type.Keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(type.Keyword.LeadingTrivia)))
                : type.AddModifiers(partial);
            context.RegisterCodeFix(
                CodeAction.Create(FixTitles.Format("AddPartial", type.Identifier.ValueText),
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, updated))), "CNN0001.Partial"),
                diagnostic);
            return Task.CompletedTask;
        }
    }
}

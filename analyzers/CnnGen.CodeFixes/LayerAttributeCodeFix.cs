using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>A fix of one layer attribute (the diagnostic is on it or on one of its arguments).</summary>
    public abstract class LayerAttributeCodeFix : SyntaxCodeFix<AttributeSyntax>
    {
        protected sealed override Task Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, AttributeSyntax attribute)
        {
            Register(context, diagnostic, attribute);
            return Task.CompletedTask;
        }

        /// <summary>Offers the fixes of <paramref name="diagnostic"/> on <paramref name="attribute"/> (none when its data is missing).</summary>
        protected abstract void Register(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax attribute);

        /// <summary>An action that replaces <paramref name="old"/> with <paramref name="replacement"/> in the document.</summary>
        protected static void Offer(CodeFixContext context, Diagnostic diagnostic, string title, string key, SyntaxNode old, SyntaxNode replacement) =>
            context.RegisterCodeFix(CodeAction.Create(title, token => Replace(context.Document, old, replacement, token), key), diagnostic);

        private static async Task<Document> Replace(Document document, SyntaxNode old, SyntaxNode replacement, CancellationToken token)
        {
            SyntaxNode root = (await document.GetSyntaxRootAsync(token).ConfigureAwait(false))!;
            return document.WithSyntaxRoot(root.ReplaceNode(old, replacement));
        }
    }
}

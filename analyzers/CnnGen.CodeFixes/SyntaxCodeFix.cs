using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CnnGen.CodeFixes
{
    /// <summary>
    /// A fix of the <typeparamref name="TNode"/> a diagnostic is on (or inside): an attribute, a type declaration. Finds
    /// that node for each diagnostic and lets <see cref="Register"/> offer the actions; Fix All batches the actions with
    /// the same equivalence key.
    /// </summary>
    public abstract class SyntaxCodeFix<TNode> : CodeFixProvider where TNode : SyntaxNode
    {
        public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
                if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<TNode>() is { } node)
                    await Register(context, diagnostic, root, node).ConfigureAwait(false);
        }

        /// <summary>Offers the fixes of <paramref name="diagnostic"/> on <paramref name="node"/> in the document's <paramref name="root"/>.</summary>
        protected abstract Task Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, TNode node);
    }
}

using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>
    /// A fix of a type declaration (the diagnostic is on its name): finds the declaration of each diagnostic and lets
    /// <see cref="Register"/> offer its actions. Fix All batches the actions with the same equivalence key.
    /// </summary>
    public abstract class TypeDeclarationCodeFix : CodeFixProvider
    {
        public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
                if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type)
                    await Register(context, diagnostic, root, type).ConfigureAwait(false);
        }

        /// <summary>Offers the fixes of <paramref name="diagnostic"/> on <paramref name="type"/> in the document's <paramref name="root"/>.</summary>
        protected abstract Task Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, TypeDeclarationSyntax type);
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>
    /// CNN0011 (output size not an integer): "Use Padding.Same", "Use padding P" (the end pads that make
    /// I - F + P_start + P_end divisible by S) and "Use stride S" (the nearest stride that divides it).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NotDivisibleCodeFix)), Shared]
    public sealed class NotDivisibleCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0011");

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (AttributeEditor.Enclosing(root?.FindNode(diagnostic.Location.SourceSpan)) is not { } attribute) continue;
                if (FixData.Get(diagnostic, "Padding") == "Same")
                    Register(context, diagnostic, attribute, "Use Padding.Same", "CNN0011.Same", "Padding", "Padding.Same", "Pads");
                if (FixData.Get(diagnostic, "Pads") is { } pads)
                    Register(context, diagnostic, attribute, $"Use padding Pads = {{ {pads} }}", "CNN0011.Pads", "Pads", AttributeEditor.Array(FixData.Ints(pads)), "Padding");
                if (FixData.Get(diagnostic, "Stride") is { } stride)
                    Register(context, diagnostic, attribute, $"Use stride {stride}", "CNN0011.Stride", "Stride", stride, "Strides");
                if (FixData.Get(diagnostic, "Strides") is { } strides)
                    Register(context, diagnostic, attribute, $"Use strides {{ {strides} }}", "CNN0011.Stride", "Strides", AttributeEditor.Array(FixData.Ints(strides)), "Stride");
            }
        }

        private static void Register(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax attribute, string title, string key,
            string name, string value, string remove) =>
            context.RegisterCodeFix(
                CodeAction.Create(title, token => Replace(context.Document, attribute, AttributeEditor.SetNamed(attribute, name, value, remove), token), key),
                diagnostic);

        internal static async Task<Document> Replace(Document document, SyntaxNode old, SyntaxNode replacement, CancellationToken token)
        {
            SyntaxNode root = (await document.GetSyntaxRootAsync(token).ConfigureAwait(false))!;
            return document.WithSyntaxRoot(root.ReplaceNode(old, replacement));
        }
    }
}

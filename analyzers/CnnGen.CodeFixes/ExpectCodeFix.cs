using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CnnGen.CodeFixes
{
    /// <summary>CNN0013 (Expect differs from the inferred shape): "Update Expect to the inferred shape".</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExpectCodeFix)), Shared]
    public sealed class ExpectCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0013");

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (FixData.Get(diagnostic, "Expect") is not { } shape) continue;
                if (AttributeEditor.Enclosing(root?.FindNode(diagnostic.Location.SourceSpan)) is not { } attribute) continue;
                string value = AttributeEditor.Array(FixData.Ints(shape));
                context.RegisterCodeFix(
                    CodeAction.Create($"Update Expect to the inferred shape {{ {shape} }}",
                        token => NotDivisibleCodeFix.Replace(context.Document, attribute, AttributeEditor.SetNamed(attribute, "Expect", value), token),
                        "CNN0013.Expect"),
                    diagnostic);
            }
        }
    }
}

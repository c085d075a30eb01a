using System.Collections.Immutable;
using System.Linq;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>CNN0012 on a Dense layer that gets a feature map: "Insert [Flatten]" right before it.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertFlattenCodeFix)), Shared]
    public sealed class InsertFlattenCodeFix : LayerAttributeCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0012");

        protected override void Register(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax attribute)
        {
            if (FixData.Get(diagnostic, "InsertFlatten") != "true" || attribute.Parent is not AttributeListSyntax list) return;
            context.RegisterCodeFix(
                CodeAction.Create(FixTitles.Format("InsertFlatten"), token => Insert(context.Document, list, attribute, token), "CNN0012.Flatten"),
                diagnostic);
        }

        private static async Task<Document> Insert(Document document, AttributeListSyntax list, AttributeSyntax dense, CancellationToken token)
        {
            SyntaxNode root = (await document.GetSyntaxRootAsync(token).ConfigureAwait(false))!;
            AttributeSyntax flatten = SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Flatten"));
            SyntaxNode updated;
            if (list.Attributes.Count == 1)
            {
                // [Dense(10)] on its own line: a new line [Flatten] above it, with the same indentation.
                SyntaxTriviaList leading = list.GetLeadingTrivia();
                SyntaxTriviaList indent = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
                    ? SyntaxFactory.TriviaList(leading[leading.Count - 1]) : SyntaxFactory.TriviaList();
                SyntaxTrivia newLine = list.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { } eol && eol.IsKind(SyntaxKind.EndOfLineTrivia)
                    ? eol : SyntaxFactory.ElasticCarriageReturnLineFeed;
                AttributeListSyntax flattenList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(flatten))
                    .WithLeadingTrivia(indent)
                    .WithTrailingTrivia(newLine);
                updated = root.InsertNodesBefore(list, new[] { flattenList });
            }
            else
            {
                // [Conv(8, 3), Dense(10)]: Flatten goes into the same list, before Dense.
                updated = root.ReplaceNode(list, list.WithAttributes(list.Attributes.Insert(list.Attributes.IndexOf(dense), flatten)));
            }
            return document.WithSyntaxRoot(updated);
        }
    }
}

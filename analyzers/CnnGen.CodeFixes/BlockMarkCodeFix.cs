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
    /// <summary>
    /// CNN0026 on a plain type used as a block: "Mark 'X' [Block]" (in whichever document declares X). CNN0027 on a type
    /// marked both [Block] and [ConvNet]: "Remove [ConvNet]" (use it as a block) or "Remove [Block]" (make it a network).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockMarkCodeFix)), Shared]
    public sealed class BlockMarkCodeFix : SyntaxCodeFix<SyntaxNode>
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0026", "CNN0027");

        protected override async Task Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
        {
            if (diagnostic.Id == "CNN0027")
            {
                if (node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } both) return;
                foreach (string remove in new[] { "ConvNet", "Block" })
                {
                    if (Attribute(both, remove) is not { } found) continue;
                    context.RegisterCodeFix(CodeAction.Create(FixTitles.Format("RemoveAttribute", remove),
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(Remove(root, found))), "CNN0027.Remove" + remove), diagnostic);
                }
                return;
            }
            if (FixData.Get(diagnostic, "AddBlock") is null || node.DescendantNodesAndSelf().OfType<TypeOfExpressionSyntax>().FirstOrDefault() is not { } typeOf) return;
            SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (model?.GetTypeInfo(typeOf.Type, context.CancellationToken).Type is not INamedTypeSymbol { DeclaringSyntaxReferences.Length: > 0 } target) return;
            context.RegisterCodeFix(CodeAction.Create(FixTitles.Format("MarkBlock", target.Name),
                token => MarkBlock(context.Document.Project.Solution, target, token), "CNN0026.MarkBlock"), diagnostic);
        }

        private static AttributeSyntax? Attribute(TypeDeclarationSyntax type, string name) =>
            type.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a =>
            {
                string n = a.Name.ToString();
                n = n.Substring(n.LastIndexOf('.') + 1);
                return n == name || n == name + "Attribute";
            });

        /// <summary>Removes an attribute, and its list when it was the only one in it.</summary>
        private static SyntaxNode Remove(SyntaxNode root, AttributeSyntax attribute) =>
            attribute.Parent is AttributeListSyntax { Attributes.Count: 1 } list
                ? root.RemoveNode(list, SyntaxRemoveOptions.KeepLeadingTrivia)!
                : root.RemoveNode(attribute, SyntaxRemoveOptions.KeepNoTrivia)!;

        /// <summary>Adds [Block] to the first declaration of <paramref name="target"/>, in its own document.</summary>
        private static async Task<Solution> MarkBlock(Solution solution, INamedTypeSymbol target, CancellationToken token)
        {
            SyntaxReference reference = target.DeclaringSyntaxReferences[0];
            if (await reference.GetSyntaxAsync(token).ConfigureAwait(false) is not TypeDeclarationSyntax declaration) return solution;
            Document? document = solution.GetDocument(reference.SyntaxTree);
            if (document is null || await document.GetSyntaxRootAsync(token).ConfigureAwait(false) is not { } root) return solution;
            // [Block] on a line of its own, before the type's first attribute list (or its modifiers), in the file's line ends.
            SyntaxTrivia eol = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            if (eol == default) eol = SyntaxFactory.LineFeed;
            SyntaxTriviaList indent = declaration.AttributeLists.Count > 0 ? declaration.AttributeLists[0].GetLeadingTrivia() : declaration.GetLeadingTrivia();
            AttributeListSyntax block = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Block"))))
                .WithLeadingTrivia(indent).WithTrailingTrivia(eol);
            // The new list takes over the leading trivia (comments, blank lines); the old first list keeps its indentation.
            TypeDeclarationSyntax marked;
            if (declaration.AttributeLists.Count > 0)
            {
                AttributeListSyntax first = declaration.AttributeLists[0];
                var lists = declaration.AttributeLists.Replace(first, first.WithLeadingTrivia(indent.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault()));
                marked = declaration.WithAttributeLists(lists.Insert(0, block));
            }
            else marked = declaration.WithoutLeadingTrivia().WithAttributeLists(SyntaxFactory.SingletonList(block));
            return solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNode(declaration, marked));
        }
    }
}

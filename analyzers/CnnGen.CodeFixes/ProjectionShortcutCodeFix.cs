using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
    /// CNN0021 (a residual whose block changes the shape, with the identity shortcut): "Add a projection shortcut": a new
    /// [Block] type with a 1x1 convolution of the block's stride and K filters and a BatchNorm, right after the type that
    /// uses it, and <c>Shortcut = typeof(...)</c> on the residual.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ProjectionShortcutCodeFix)), Shared]
    public sealed class ProjectionShortcutCodeFix : SyntaxCodeFix<AttributeSyntax>
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0021");

        protected override async Task Register(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, AttributeSyntax attribute)
        {
            // "Projection=K;s" or "K;sH,sW": the filters, then the stride per spatial dimension.
            string[]? parts = FixData.Get(diagnostic, "Projection")?.Split(';');
            if (parts is not { Length: 2 } || attribute.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type) return;
            var strides = FixData.Ints(parts[1]);
            string stride = strides.All(s => s == 1) ? "" : strides.Distinct().Count() == 1 ? $", Stride = {strides[0]}" : $", Strides = {AttributeEditor.Array(strides)}";
            string conv = $"Conv({parts[0]}, 1{stride}, Bias = false)";
            SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            string name = UniqueName(model, type, $"Projection{parts[0]}" + (strides.All(s => s == 1) ? "" : "Stride" + string.Join("x", strides.Distinct())));
            context.RegisterCodeFix(
                CodeAction.Create(FixTitles.Format("AddProjection", $"[{conv}, BatchNorm]"),
                    token => Apply(context.Document, root, type, attribute, name, conv, token), "CNN0021.Projection"),
                diagnostic);
        }

        /// <summary>A type name not yet used where the new block goes.</summary>
        private static string UniqueName(SemanticModel? model, TypeDeclarationSyntax type, string name)
        {
            if (model is null) return name;
            var taken = model.LookupNamespacesAndTypes(type.SpanStart).Select(s => s.Name).ToImmutableHashSet();
            string candidate = name;
            for (int i = 2; taken.Contains(candidate); i++) candidate = name + i.ToString(CultureInfo.InvariantCulture);
            return candidate;
        }

        private static Task<Document> Apply(Document document, SyntaxNode root, TypeDeclarationSyntax type, AttributeSyntax attribute, string name, string conv,
            CancellationToken token)
        {
            var block = (ClassDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
                $"[Block]\n[{conv}, BatchNorm]\npublic partial class {name} {{ }}\n")!;
            AttributeSyntax updated = AttributeEditor.SetNamed(attribute, "Shortcut", $"typeof({name})");
            SyntaxNode edited = root.TrackNodes(type);
            edited = edited.ReplaceNode(edited.GetCurrentNode(type)!.DescendantNodes().OfType<AttributeSyntax>().First(a => a.IsEquivalentTo(attribute)), updated);
            TypeDeclarationSyntax current = edited.GetCurrentNode(type)!;
            // A blank line before the new block, in the file's own line ends, at the type's indentation.
            SyntaxTrivia eol = current.GetTrailingTrivia().Concat(root.DescendantTrivia()).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            if (eol == default) eol = SyntaxFactory.LineFeed;
            block = block.WithLeadingTrivia(eol, current.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
            edited = edited.InsertNodesAfter(current, new[] { block.WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation) });
            return Task.FromResult(document.WithSyntaxRoot(edited));
        }
    }
}

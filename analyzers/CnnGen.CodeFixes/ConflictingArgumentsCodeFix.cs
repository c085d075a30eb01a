using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>
    /// CNN0008 (Stride and Strides, Padding and Pads, or Dilation and Dilations together): "Keep Stride, remove
    /// Strides" and "Keep Strides, remove Stride".
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConflictingArgumentsCodeFix)), Shared]
    public sealed class ConflictingArgumentsCodeFix : LayerAttributeCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0008");

        protected override void Register(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax attribute)
        {
            string[]? pair = FixData.Get(diagnostic, "Conflict")?.Split(',');
            if (pair is not { Length: 2 }) return;
            string first = pair[0], second = pair[1];
            Offer(context, diagnostic, FixTitles.Format("KeepArgument", first, second), "CNN0008.KeepSingle", attribute, AttributeEditor.RemoveNamed(attribute, second));
            Offer(context, diagnostic, FixTitles.Format("KeepArgument", second, first), "CNN0008.KeepPerDimension", attribute, AttributeEditor.RemoveNamed(attribute, first));
        }
    }
}

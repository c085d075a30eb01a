using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>CNN0013 (Expect differs from the inferred shape): "Update Expect to the inferred shape".</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExpectCodeFix)), Shared]
    public sealed class ExpectCodeFix : LayerAttributeCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0013");

        protected override void Register(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax attribute)
        {
            if (FixData.Get(diagnostic, "Expect") is not { } shape) return;
            Offer(context, diagnostic, FixTitles.Format("UpdateExpect", shape), "CNN0013.Expect",
                attribute, AttributeEditor.SetNamed(attribute, "Expect", AttributeEditor.Array(FixData.Ints(shape))));
        }
    }
}

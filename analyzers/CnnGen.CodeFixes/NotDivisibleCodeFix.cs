using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>
    /// CNN0011 (output size not an integer): "Use Padding.Same", "Use padding P" (the end pads that make
    /// I - F + P_start + P_end divisible by S) and "Use stride S" (the nearest stride that divides it).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NotDivisibleCodeFix)), Shared]
    public sealed class NotDivisibleCodeFix : LayerAttributeCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0011");

        protected override void Register(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax attribute)
        {
            void Set(string title, string key, string name, string value, string remove) =>
                Offer(context, diagnostic, title, key, attribute, AttributeEditor.SetNamed(attribute, name, value, remove));

            if (FixData.Get(diagnostic, "Padding") == "Same")
                Set(FixTitles.Format("UsePaddingSame"), "CNN0011.Same", "Padding", "Padding.Same", "Pads");
            if (FixData.Get(diagnostic, "Pads") is { } pads)
                Set(FixTitles.Format("UsePads", pads), "CNN0011.Pads", "Pads", AttributeEditor.Array(FixData.Ints(pads)), "Padding");
            if (FixData.Get(diagnostic, "Stride") is { } stride)
                Set(FixTitles.Format("UseStride", stride), "CNN0011.Stride", "Stride", stride, "Strides");
            if (FixData.Get(diagnostic, "Strides") is { } strides)
                Set(FixTitles.Format("UseStrides", strides), "CNN0011.Stride", "Strides", AttributeEditor.Array(FixData.Ints(strides)), "Stride");
        }
    }
}

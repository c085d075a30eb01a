using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>
    /// CNN0006 (a value below its minimum, or a non-positive Epsilon), CNN0009 (padding as large as the kernel) and CNN0023
    /// (Groups that do not divide the channels): the one obvious correction, the nearest valid value ("Use 1", "Use 1e-5f",
    /// "Use padding 2", "Use Groups = 4").
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InvalidValueCodeFix)), Shared]
    public sealed class InvalidValueCodeFix : LayerAttributeCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("CNN0006", "CNN0009", "CNN0023");

        protected override void Register(CodeFixContext context, Diagnostic diagnostic, AttributeSyntax attribute)
        {
            if (FixData.Get(diagnostic, "Value") is not { } value || FixData.Get(diagnostic, "Target") is not { } target) return;
            if (Find(attribute, target, FixData.Int(diagnostic, "Index")) is not { } old) return;
            string title = diagnostic.Id switch
            {
                "CNN0009" => FixTitles.Format("UsePadding", value),
                "CNN0023" => FixTitles.Format("UseGroups", value),
                _ => FixTitles.Format("UseValue", value),
            };
            Offer(context, diagnostic, title, diagnostic.Id + ".Value", old, SyntaxFactory.ParseExpression(value).WithTriviaFrom(old));
        }

        /// <summary>The expression to replace: the argument of <paramref name="target"/>, or its element <paramref name="index"/>.</summary>
        private static ExpressionSyntax? Find(AttributeSyntax attribute, string target, int? index)
        {
            List<AttributeArgumentSyntax> positional = AttributeEditor.Positional(attribute);
            bool conv = attribute.Name.ToString() is "Conv" or "ConvAttribute" or "CnnGen.Conv" or "CnnGen.ConvAttribute";
            switch (target)
            {
                case "Units":
                    return positional.Count > 0 ? positional[0].Expression : null;
                case "Kernel":
                {
                    int first = conv ? 1 : 0;
                    if (positional.Count == first + 1 && AttributeEditor.Elements(positional[first].Expression) is { } array)
                        return array.Count > (index ?? 0) ? array[index ?? 0] : null; // Conv(8, new[] { 3, 0 })
                    int at = first + (index ?? 0);
                    return positional.Count > at ? positional[at].Expression : null;
                }
                default:
                {
                    if (AttributeEditor.Named(attribute, target) is not { } argument) return null;
                    if (index is not { } k) return argument.Expression;
                    return AttributeEditor.Elements(argument.Expression) is { } elements && elements.Count > k ? elements[k] : null;
                }
            }
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes
{
    /// <summary>Edits of one layer attribute's argument list that keep the user's formatting around them.</summary>
    internal static class AttributeEditor
    {
        public static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name) =>
            attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

        public static List<AttributeArgumentSyntax> Positional(AttributeSyntax attribute) =>
            attribute.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList() ?? new List<AttributeArgumentSyntax>();

        /// <summary>Sets <c>name = value</c> (replacing it when present, appending it otherwise) and removes the named arguments in <paramref name="remove"/>.</summary>
        public static AttributeSyntax SetNamed(AttributeSyntax attribute, string name, string value, params string[] remove)
        {
            ExpressionSyntax expression = SyntaxFactory.ParseExpression(value);
            AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
            var arguments = new List<AttributeArgumentSyntax>();
            bool replaced = false;
            foreach (AttributeArgumentSyntax a in list.Arguments)
            {
                string? n = a.NameEquals?.Name.Identifier.ValueText;
                if (n is not null && remove.Contains(n)) continue;
                if (n == name)
                {
                    arguments.Add(a.WithExpression(expression.WithTriviaFrom(a.Expression)));
                    replaced = true;
                }
                else
                {
                    arguments.Add(a);
                }
            }
            if (!replaced)
                arguments.Add(SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(name)), null, expression));
            return attribute.WithArgumentList(list.WithArguments(Separated(arguments)));
        }

        /// <summary>Removes the named argument <paramref name="name"/> (the list keeps its other arguments and their order).</summary>
        public static AttributeSyntax RemoveNamed(AttributeSyntax attribute, string name)
        {
            AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
            var arguments = list.Arguments.Where(a => a.NameEquals?.Name.Identifier.ValueText != name).ToList();
            return attribute.WithArgumentList(list.WithArguments(Separated(arguments)));
        }

        /// <summary><c>new[] { a, b, c }</c></summary>
        public static string Array(IEnumerable<int> values) => "new[] { " + string.Join(", ", values) + " }";

        /// <summary>The elements of an array argument: <c>new[] { .. }</c>, <c>new int[] { .. }</c> or <c>[ .. ]</c>.</summary>
        public static IReadOnlyList<ExpressionSyntax>? Elements(ExpressionSyntax expression) => expression switch
        {
            ImplicitArrayCreationExpressionSyntax a => a.Initializer.Expressions,
            ArrayCreationExpressionSyntax { Initializer: { } i } => i.Expressions,
            CollectionExpressionSyntax c when c.Elements.All(e => e is ExpressionElementSyntax) => c.Elements.Select(e => ((ExpressionElementSyntax)e).Expression).ToList(),
            _ => null,
        };

        private static SeparatedSyntaxList<AttributeArgumentSyntax> Separated(List<AttributeArgumentSyntax> arguments) =>
            SyntaxFactory.SeparatedList(arguments, Enumerable.Repeat(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space), System.Math.Max(0, arguments.Count - 1)));
    }
}

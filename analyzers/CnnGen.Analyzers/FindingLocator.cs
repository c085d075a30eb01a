using System.Linq;
using CnnGen.Declarations;
using CnnGen.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Analyzers
{
    /// <summary>Maps a finding to the attribute, or the attribute argument, that causes it.</summary>
    internal static class FindingLocator
    {
        public static Location Locate(DeclarationReadResult read, Finding finding, INamedTypeSymbol type)
        {
            AttributeData? attribute = finding.Layer == Finding.NetworkAttribute ? read.ConvNet
                : finding.Layer >= 0 && finding.Layer < read.LayerAttributes.Length ? read.LayerAttributes[finding.Layer]
                : null;
            if (attribute?.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax)
                return type.Locations.FirstOrDefault() ?? Location.None;
            return Argument(syntax, finding) ?? syntax.GetLocation();
        }

        private static Location? Argument(AttributeSyntax syntax, Finding finding)
        {
            if (syntax.ArgumentList is not { } list) return null;
            var positional = list.Arguments.Where(a => a.NameEquals is null).ToList();
            string name = syntax.Name.ToString();
            name = name.Substring(name.LastIndexOf('.') + 1);
            if (name.EndsWith("Attribute", System.StringComparison.Ordinal)) name = name.Substring(0, name.Length - "Attribute".Length);
            Location? Range(int first)
            {
                if (positional.Count <= first) return null;
                TextSpan span = TextSpan.FromBounds(positional[first].SpanStart, positional[positional.Count - 1].Span.End);
                return Location.Create(syntax.SyntaxTree, span);
            }
            switch (finding.Target)
            {
                case ArgumentTarget.Units:
                case ArgumentTarget.Alpha:
                    return positional.Count > 0 ? positional[0].GetLocation() : null;
                case ArgumentTarget.Kernel:
                    return Range(name == "Conv" ? 1 : 0);
                case ArgumentTarget.InputShape:
                case ArgumentTarget.Scale:
                    return Range(0);
                case ArgumentTarget.Pads when name == "ZeroPad":
                    return Range(0);
                case ArgumentTarget.Blocks:
                {
                    // One typeof per branch, or a branch of an array given as one argument.
                    int index = finding.Index >= 0 ? finding.Index : 0;
                    if (positional.Count == 1 && positional[0].Expression is ImplicitArrayCreationExpressionSyntax { Initializer: { } init } && init.Expressions.Count > index)
                        return init.Expressions[index].GetLocation();
                    return positional.Count > index ? positional[index].GetLocation() : null;
                }
                case ArgumentTarget.Attribute:
                    return null;
                default:
                {
                    string argument = finding.Target.ToString();
                    AttributeArgumentSyntax? named = list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == argument);
                    return named?.GetLocation();
                }
            }
        }
    }
}

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
            bool conv = syntax.Name.ToString().EndsWith("Conv", System.StringComparison.Ordinal)
                || syntax.Name.ToString().EndsWith("ConvAttribute", System.StringComparison.Ordinal);
            switch (finding.Target)
            {
                case ArgumentTarget.Units:
                case ArgumentTarget.Alpha:
                    return positional.Count > 0 ? positional[0].GetLocation() : null;
                case ArgumentTarget.Kernel:
                case ArgumentTarget.InputShape:
                {
                    int first = finding.Target == ArgumentTarget.Kernel && conv ? 1 : 0;
                    if (positional.Count <= first) return null;
                    TextSpan span = TextSpan.FromBounds(positional[first].SpanStart, positional[positional.Count - 1].Span.End);
                    return Location.Create(syntax.SyntaxTree, span);
                }
                case ArgumentTarget.Attribute:
                    return null;
                default:
                {
                    string name = finding.Target.ToString();
                    AttributeArgumentSyntax? named = list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
                    return named?.GetLocation();
                }
            }
        }
    }
}

using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace CnnGen.CodeFixes
{
    /// <summary>
    /// Reads what the analyzer put into a diagnostic's properties for its fix: "Key=Value" entries of the shared
    /// checker's finding ("Padding", "Pads", "Stride", "Strides", "Expect", "InsertFlatten", "Value", "Index"), plus
    /// "Target", the argument the finding is about.
    /// </summary>
    internal static class FixData
    {
        public static string? Get(Diagnostic diagnostic, string key) =>
            diagnostic.Properties.TryGetValue(key, out string? value) ? value : null;

        public static int? Int(Diagnostic diagnostic, string key) =>
            Get(diagnostic, key) is { } s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;

        public static ImmutableArray<int> Ints(string list)
        {
            var b = ImmutableArray.CreateBuilder<int>();
            foreach (string part in list.Split(','))
                if (int.TryParse(part.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) b.Add(v);
            return b.ToImmutable();
        }
    }
}

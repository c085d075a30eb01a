using System;
using System.Globalization;
using CnnGen.Shapes;

namespace CnnGen.Analyzers
{
    /// <summary>
    /// A diagnostic's message arguments: numbers, names and code stay strings; phrases (words, see
    /// <see cref="Strings.Phrase"/>) become <see cref="LocalizedPhrase"/>s, rendered in the culture the message is shown in.
    /// </summary>
    internal static class MessageArguments
    {
        public static object[] From(string[] args)
        {
            var result = new object[args.Length];
            for (int i = 0; i < args.Length; i++) result[i] = Strings.HasPhrase(args[i]) ? new LocalizedPhrase(args[i]) : args[i];
            return result;
        }

        /// <summary>Formats as the phrase in the culture Roslyn formats the message with (the UI culture when none is given).</summary>
        private sealed class LocalizedPhrase : IFormattable
        {
            private readonly string _encoded;

            public LocalizedPhrase(string encoded) => _encoded = encoded;

            public string ToString(string? format, IFormatProvider? formatProvider) =>
                Strings.Render(_encoded, formatProvider as CultureInfo ?? CultureInfo.InvariantCulture);

            public override string ToString() => ToString(null, null);

            public override bool Equals(object? obj) => obj is LocalizedPhrase p && p._encoded == _encoded;

            public override int GetHashCode() => _encoded.GetHashCode();
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Resources;
using System.Text;

namespace CnnGen.Shapes
{
    /// <summary>
    /// The text of every diagnostic: Strings.resx (English, neutral) and its translations (Strings.zh-Hans.resx, built
    /// into a satellite assembly beside the analyzers). Message arguments that are words rather than numbers or code are
    /// <see cref="Phrase">phrases</see>: a resource key and its arguments, encoded in the string, rendered in the culture
    /// the message is shown in.
    /// </summary>
    internal static class Strings
    {
        /// <summary>The manifest name every project that links the shared code embeds the resources under.</summary>
        public const string BaseName = "CnnGen.Shared.Strings";

        public static readonly ResourceManager ResourceManager = new(BaseName, typeof(Strings).Assembly);

        private const char Open = '\u0002', Close = '\u0003', Separator = '\u001F';

        /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/> (English when null or not translated).</summary>
        public static string Get(string key, CultureInfo? culture = null) =>
            ResourceManager.GetString(key, culture ?? CultureInfo.InvariantCulture)
            ?? throw new MissingManifestResourceException($"CnnGen resource '{key}' is missing from {BaseName}.");

        /// <summary>A localisable phrase: resource "Phrase_<paramref name="key"/>" with its arguments (which may be phrases too).</summary>
        public static string Phrase(string key, params object[] args)
        {
            var b = new StringBuilder().Append(Open).Append(key);
            foreach (object a in args) b.Append(Separator).Append(Convert.ToString(a, CultureInfo.InvariantCulture));
            return b.Append(Close).ToString();
        }

        /// <summary>Whether <paramref name="text"/> holds a phrase (so it needs <see cref="Render"/>).</summary>
        public static bool HasPhrase(string text) => text.IndexOf(Open) >= 0;

        /// <summary>Renders every phrase in <paramref name="text"/> in <paramref name="culture"/>.</summary>
        public static string Render(string text, CultureInfo? culture = null)
        {
            if (!HasPhrase(text)) return text;
            int at = 0;
            return RenderRun(text, ref at, culture, stopAtSeparator: false);
        }

        private static string RenderRun(string text, ref int at, CultureInfo? culture, bool stopAtSeparator)
        {
            var b = new StringBuilder();
            while (at < text.Length)
            {
                char c = text[at];
                if (stopAtSeparator && (c == Separator || c == Close)) break;
                if (c == Open)
                {
                    at++;
                    int keyEnd = at;
                    while (keyEnd < text.Length && text[keyEnd] != Separator && text[keyEnd] != Close) keyEnd++;
                    string key = text.Substring(at, keyEnd - at);
                    at = keyEnd;
                    var args = new List<object>();
                    while (at < text.Length && text[at] == Separator)
                    {
                        at++;
                        args.Add(RenderRun(text, ref at, culture, stopAtSeparator: true));
                    }
                    if (at < text.Length && text[at] == Close) at++;
                    b.Append(string.Format(culture ?? CultureInfo.InvariantCulture, Get("Phrase_" + key, culture), args.ToArray()));
                    continue;
                }
                b.Append(c);
                at++;
            }
            return b.ToString();
        }
    }
}

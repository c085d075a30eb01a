using System.Globalization;
using CnnGen.Shapes;

namespace CnnGen.CodeFixes
{
    /// <summary>
    /// Code-action titles (resources Fix_*, English and zh-Hans) in the UI culture of the process that shows them, the
    /// IDE's language. Equivalence keys stay culture-independent, so Fix All groups the same fixes in any language.
    /// </summary>
    internal static class FixTitles
    {
        public static string Format(string key, params object[] args)
        {
            // RS1035 is for diagnostics, which must follow the compiler's locale. Code actions are only shown by an IDE,
            // and the IDE process's UI culture is the language the user reads it in.
#pragma warning disable RS1035
            CultureInfo culture = CultureInfo.CurrentUICulture;
#pragma warning restore RS1035
            return string.Format(culture, Strings.Get("Fix_" + key, culture), args);
        }
    }
}

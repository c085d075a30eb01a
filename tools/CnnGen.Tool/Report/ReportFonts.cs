using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SkiaSharp;

namespace CnnGen.Tool.Report
{
    /// <summary>A font file CnnGen knows by name: the file, the face in a collection (.ttc), and what it is called.</summary>
    internal sealed record KnownFont(string File, int Face, string Family);

    /// <summary>
    /// The typefaces a report is written with: a text face, a bold face, a monospaced face for formulas, and the faces
    /// tried in turn for a character the first one lacks (Chinese text in an English report's names, symbols in a
    /// Chinese one). Found by file name in the folders given (--font-dir, CNNGEN_FONT_DIRS) and the system's font
    /// folders, so the report looks the same wherever the same fonts are installed.
    /// </summary>
    internal sealed class ReportFonts : IDisposable
    {
        /// <summary>The environment variable naming more font folders (separated as PATH is).</summary>
        public const string FontDirsVariable = "CNNGEN_FONT_DIRS";

        // Chinese faces, best first; in Noto Sans CJK and Source Han Sans collections face 2 is Simplified Chinese.
        private static readonly KnownFont[] ChineseFonts =
        {
            new("NotoSansCJK-Regular.ttc", 2, "Noto Sans CJK SC"),
            new("NotoSansCJKsc-Regular.otf", 0, "Noto Sans CJK SC"),
            new("NotoSansSC-Regular.otf", 0, "Noto Sans SC"),
            new("NotoSansSC-Regular.ttf", 0, "Noto Sans SC"),
            new("SourceHanSans-Regular.ttc", 2, "Source Han Sans SC"),
            new("SourceHanSansSC-Regular.otf", 0, "Source Han Sans SC"),
            new("SourceHanSansCN-Regular.otf", 0, "Source Han Sans CN"),
            new("wqy-zenhei.ttc", 0, "WenQuanYi Zen Hei"),
            new("wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),
            new("msyh.ttc", 0, "Microsoft YaHei"),
            new("msyh.ttf", 0, "Microsoft YaHei"),
            new("PingFang.ttc", 0, "PingFang SC"),
            new("Hiragino Sans GB.ttc", 0, "Hiragino Sans GB"),
            new("simhei.ttf", 0, "SimHei"),
            new("DroidSansFallbackFull.ttf", 0, "Droid Sans Fallback"),
            new("NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC"),
        };

        private static readonly KnownFont[] LatinFonts =
        {
            new("DejaVuSans.ttf", 0, "DejaVu Sans"),
            new("LiberationSans-Regular.ttf", 0, "Liberation Sans"),
            new("NotoSans-Regular.ttf", 0, "Noto Sans"),
            new("arial.ttf", 0, "Arial"),
            new("Arial.ttf", 0, "Arial"),
            new("Helvetica.ttc", 0, "Helvetica"),
            new("FreeSans.ttf", 0, "FreeSans"),
        };

        private static readonly KnownFont[] LatinBoldFonts =
        {
            new("DejaVuSans-Bold.ttf", 0, "DejaVu Sans Bold"),
            new("LiberationSans-Bold.ttf", 0, "Liberation Sans Bold"),
            new("NotoSans-Bold.ttf", 0, "Noto Sans Bold"),
            new("arialbd.ttf", 0, "Arial Bold"),
            new("Arial Bold.ttf", 0, "Arial Bold"),
            new("FreeSansBold.ttf", 0, "FreeSans Bold"),
        };

        private static readonly KnownFont[] MonoFonts =
        {
            new("DejaVuSansMono.ttf", 0, "DejaVu Sans Mono"),
            new("LiberationMono-Regular.ttf", 0, "Liberation Mono"),
            new("NotoSansMono-Regular.ttf", 0, "Noto Sans Mono"),
            new("consola.ttf", 0, "Consolas"),
            new("cour.ttf", 0, "Courier New"),
            new("Menlo.ttc", 0, "Menlo"),
            new("FreeMono.ttf", 0, "FreeMono"),
        };

        private ReportFonts(SKTypeface text, SKTypeface bold, bool fakeBold, SKTypeface mono, IReadOnlyList<SKTypeface> fallbacks, IReadOnlyList<string> names)
        {
            Text = text;
            Bold = bold;
            FakeBold = fakeBold;
            Mono = mono;
            Fallbacks = fallbacks;
            Names = names;
        }

        public SKTypeface Text { get; }
        public SKTypeface Bold { get; }

        /// <summary>No bold face of the text font: bold is drawn emboldened.</summary>
        public bool FakeBold { get; }

        public SKTypeface Mono { get; }

        /// <summary>Faces tried for a character the chosen face lacks, in order.</summary>
        public IReadOnlyList<SKTypeface> Fallbacks { get; }

        /// <summary>The file and face each typeface was loaded from (those the system's font manager found are not here).</summary>
        public IReadOnlyDictionary<SKTypeface, (string Path, int Face)> Sources { get; private init; } = new Dictionary<SKTypeface, (string, int)>();

        /// <summary>The fonts used, for the report's colophon: "DejaVu Sans (/usr/share/fonts/...)".</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>
        /// Finds the fonts for a report in <paramref name="chinese"/> or English; throws <see cref="FontNotFoundException"/>
        /// naming what to install when none fits.
        /// </summary>
        /// <param name="extraDirs">Folders searched first (--font-dir), then those of CNNGEN_FONT_DIRS.</param>
        /// <param name="systemFonts">Whether the system's font folders are searched too.</param>
        public static ReportFonts Find(IEnumerable<string> extraDirs, bool chinese, bool systemFonts)
        {
            var dirs = new List<string>(extraDirs);
            string? variable = Environment.GetEnvironmentVariable(FontDirsVariable);
            if (!string.IsNullOrWhiteSpace(variable))
                dirs.AddRange(variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (systemFonts) dirs.AddRange(SystemFontDirs());
            Dictionary<string, string> files = IndexFiles(dirs);

            var names = new List<string>();
            var sources = new Dictionary<SKTypeface, (string, int)>();
            SKTypeface? Load(KnownFont[] candidates, string sample)
            {
                foreach (KnownFont k in candidates)
                {
                    if (!files.TryGetValue(k.File.ToLowerInvariant(), out string? path)) continue;
                    SKTypeface? face = SKTypeface.FromFile(path, k.Face);
                    if (face is null) continue;
                    if (!Covers(face, sample)) { face.Dispose(); continue; }
                    names.Add($"{k.Family} ({Path.GetFileName(path)})");
                    sources[face] = (path, k.Face);
                    return face;
                }
                return null;
            }

            SKTypeface? cjk = Load(ChineseFonts, "卷积神经网络");
            if (cjk is null && systemFonts && SKFontManager.Default.MatchCharacter('卷') is { } matched && Covers(matched, "卷积神经网络"))
            {
                cjk = matched;
                names.Add(matched.FamilyName + " (found by the system's font manager)");
            }
            if (chinese && cjk is null)
                throw new FontNotFoundException(MissingChinese(dirs));

            SKTypeface? latin = Load(LatinFonts, "Convolution");
            SKTypeface? bold = Load(LatinBoldFonts, "Convolution");
            SKTypeface? mono = Load(MonoFonts, "O = (28 - 5)");
            if (latin is null && cjk is null)
                throw new FontNotFoundException(MissingLatin(dirs));

            // Chinese: the CJK face sets the text (its Latin letters match its Chinese ones), the Latin faces fill in
            // symbols it lacks. English: the Latin face, the CJK face for a Chinese name.
            SKTypeface text = chinese ? cjk! : latin ?? cjk!;
            SKTypeface boldFace = chinese ? cjk! : bold ?? text;
            bool fakeBold = chinese || bold is null;
            SKTypeface monoFace = mono ?? text;
            var fallbacks = new List<SKTypeface>();
            foreach (SKTypeface? f in new[] { latin, cjk, mono })
                if (f is not null && !fallbacks.Contains(f)) fallbacks.Add(f);
            return new ReportFonts(text, boldFace, fakeBold, monoFace, fallbacks, names) { Sources = sources };
        }

        /// <summary>Whether <paramref name="face"/> has a glyph for every character of <paramref name="sample"/>.</summary>
        public static bool Covers(SKTypeface face, string sample)
        {
            using var font = new SKFont(face, 12);
            return font.ContainsGlyphs(sample);
        }

        private static string MissingChinese(IReadOnlyList<string> dirs) =>
            "no font with Chinese characters was found, so the report cannot be written in Chinese. Looked for Noto Sans CJK, " +
            "Source Han Sans, WenQuanYi Zen Hei/Micro Hei, Microsoft YaHei, PingFang, SimHei and Droid Sans Fallback in " +
            string.Join(", ", dirs.DefaultIfEmpty("(no folder)")) + ". Install one, e.g. `sudo apt-get install fonts-noto-cjk` " +
            "(Debian, Ubuntu) or `fonts-wqy-zenhei`, `sudo dnf install google-noto-sans-cjk-fonts` (Fedora), " +
            "`brew install --cask font-noto-sans-cjk` (macOS), or put such a .ttf/.otf/.ttc file in a folder and name it " +
            "with --font-dir <folder> or " + FontDirsVariable + ".";

        private static string MissingLatin(IReadOnlyList<string> dirs) =>
            "no usable font was found. Looked for DejaVu Sans, Liberation Sans, Noto Sans, Arial, Helvetica and FreeSans in " +
            string.Join(", ", dirs.DefaultIfEmpty("(no folder)")) + ". Install one, e.g. `sudo apt-get install fonts-dejavu-core` " +
            "(Debian, Ubuntu), or put a .ttf file in a folder and name it with --font-dir <folder> or " + FontDirsVariable + ".";

        /// <summary>The font folders of Linux, macOS and Windows that exist here.</summary>
        private static IEnumerable<string> SystemFontDirs()
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            string windows = Environment.GetFolderPath(Environment.SpecialFolder.Windows);
            string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            var candidates = new List<string>
            {
                "/usr/share/fonts", "/usr/local/share/fonts", "/usr/X11R6/lib/X11/fonts",
                Path.Combine(home, ".fonts"), Path.Combine(home, ".local", "share", "fonts"),
                "/System/Library/Fonts", "/Library/Fonts", Path.Combine(home, "Library", "Fonts"),
            };
            if (windows.Length > 0) candidates.Add(Path.Combine(windows, "Fonts"));
            if (local.Length > 0) candidates.Add(Path.Combine(local, "Microsoft", "Windows", "Fonts"));
            string? dataDirs = Environment.GetEnvironmentVariable("XDG_DATA_DIRS");
            if (!string.IsNullOrEmpty(dataDirs))
                candidates.AddRange(dataDirs.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, "fonts")));
            return candidates.Where(d => d.Length > 0 && Directory.Exists(d)).Distinct();
        }

        /// <summary>Every font file under <paramref name="dirs"/> by lower-case file name (the first folder given wins).</summary>
        private static Dictionary<string, string> IndexFiles(IEnumerable<string> dirs)
        {
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
            foreach (string dir in dirs)
            {
                if (!Directory.Exists(dir)) continue;
                foreach (string path in Directory.EnumerateFiles(dir, "*", options))
                {
                    string ext = Path.GetExtension(path).ToLowerInvariant();
                    if (ext is ".ttf" or ".ttc" or ".otf")
                        files.TryAdd(Path.GetFileName(path).ToLowerInvariant(), path);
                }
            }
            return files;
        }

        public void Dispose()
        {
            foreach (SKTypeface f in new[] { Text, Bold, Mono }.Concat(Fallbacks).Distinct()) f.Dispose();
        }
    }

    /// <summary>No font fits the report's language; the message names what to install.</summary>
    internal sealed class FontNotFoundException : Exception
    {
        public FontNotFoundException(string message) : base(message) { }
    }
}

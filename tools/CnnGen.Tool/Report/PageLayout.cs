using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SkiaSharp;

namespace CnnGen.Tool.Report
{
    internal enum Face
    {
        Text,
        Bold,
        Mono,
    }

    /// <summary>How a run of text is drawn: face, size in points, colour.</summary>
    internal readonly record struct TextStyle(Face Face, float Size, SKColor Color)
    {
        public float LineHeight => Size * 1.38f;
    }

    /// <summary>Paper sizes in PDF points (1/72 inch).</summary>
    internal readonly record struct Paper(string Name, float Width, float Height)
    {
        public static readonly Paper A4 = new("a4", 595.28f, 841.89f);
        public static readonly Paper Letter = new("letter", 612f, 792f);
    }

    /// <summary>
    /// Measures and draws text with the report's fonts: each character in the first face that has it (the style's face,
    /// then the fallbacks), so a Chinese name in an English report, or a symbol a Chinese face lacks, still shows.
    /// </summary>
    internal sealed class TextPainter : IDisposable
    {
        private readonly ReportFonts _fonts;
        private readonly Dictionary<(SKTypeface, float, bool), SKFont> _cache = new();
        private readonly Dictionary<(SKTypeface, int), bool> _covers = new();
        private readonly Dictionary<SKTypeface, HashSet<ushort>> _used = new();
        private readonly Dictionary<SKTypeface, SKTypeface> _subsets = new();

        public TextPainter(ReportFonts fonts) => _fonts = fonts;

        /// <summary>
        /// From now on draws with fonts cut down to the glyphs drawn so far (<see cref="FontSubset"/>): the same glyph
        /// numbers and widths, a fraction of the size in the PDF. A font that cannot be cut stays whole.
        /// </summary>
        public void UseSubsets()
        {
            foreach ((SKTypeface face, HashSet<ushort> glyphs) in _used)
            {
                if (!_fonts.Sources.TryGetValue(face, out var source)) continue;
                byte[]? cut = FontSubset.Cut(File.ReadAllBytes(source.Path), source.Face, glyphs);
                if (cut is null) continue;
                SKTypeface? subset = SKTypeface.FromData(SKData.CreateCopy(cut));
                if (subset is null || subset.GlyphCount != face.GlyphCount)
                {
                    subset?.Dispose();
                    continue;
                }
                _subsets[face] = subset;
            }
        }

        private SKFont FontOf(SKTypeface face, float size, bool embolden)
        {
            if (!_cache.TryGetValue((face, size, embolden), out SKFont? font))
            {
                font = new SKFont(face, size) { Embolden = embolden, Subpixel = true, LinearMetrics = true };
                _cache[(face, size, embolden)] = font;
            }
            return font;
        }

        private SKTypeface Primary(Face face) => face switch
        {
            Face.Bold => _fonts.Bold,
            Face.Mono => _fonts.Mono,
            _ => _fonts.Text,
        };

        private bool Has(SKTypeface face, int codepoint)
        {
            if (!_covers.TryGetValue((face, codepoint), out bool has))
            {
                has = face.GetGlyph(codepoint) != 0;
                _covers[(face, codepoint)] = has;
            }
            return has;
        }

        /// <summary>The text split into runs that one font draws.</summary>
        public List<(string Text, SKFont Font)> Runs(string text, TextStyle style)
        {
            var runs = new List<(string, SKFont)>();
            SKTypeface primary = Primary(style.Face);
            bool embolden = style.Face == Face.Bold && _fonts.FakeBold;
            var current = new StringBuilder();
            SKFont? currentFont = null;
            foreach (Rune r in text.EnumerateRunes())
            {
                SKTypeface face = primary;
                if (!Rune.IsWhiteSpace(r) && !Has(primary, r.Value))
                    foreach (SKTypeface f in _fonts.Fallbacks)
                        if (Has(f, r.Value)) { face = f; break; }
                bool bold = style.Face == Face.Bold && (embolden || !ReferenceEquals(face, primary));
                SKFont font = FontOf(face, style.Size, bold);
                if (currentFont is not null && !ReferenceEquals(font, currentFont))
                {
                    runs.Add((current.ToString(), currentFont));
                    current.Clear();
                }
                currentFont = font;
                current.Append(r.ToString());
            }
            if (currentFont is not null && current.Length > 0) runs.Add((current.ToString(), currentFont));
            return runs;
        }

        public float Measure(string text, TextStyle style)
        {
            float width = 0;
            foreach ((string run, SKFont font) in Runs(text, style)) width += font.MeasureText(run);
            return width;
        }

        /// <summary>Draws <paramref name="text"/> with its baseline at <paramref name="baseline"/>; returns the width.</summary>
        public float Draw(SKCanvas canvas, string text, float x, float baseline, TextStyle style)
        {
            using var paint = new SKPaint { Color = style.Color, IsAntialias = true };
            float start = x;
            foreach ((string run, SKFont font) in Runs(text, style))
            {
                SKTypeface face = font.Typeface;
                if (!_used.TryGetValue(face, out HashSet<ushort>? glyphs)) _used[face] = glyphs = new HashSet<ushort>();
                glyphs.UnionWith(font.GetGlyphs(run));
                SKFont drawn = _subsets.TryGetValue(face, out SKTypeface? subset) ? FontOf(subset, font.Size, font.Embolden) : font;
                canvas.DrawText(run, x, baseline, drawn, paint);
                x += font.MeasureText(run);
            }
            return x - start;
        }

        /// <summary>
        /// Lines of at most <paramref name="width"/> points: breaks after spaces and between Chinese characters, a word
        /// longer than a line broken where it must be. Newlines in the text start new lines.
        /// </summary>
        public List<string> Wrap(string text, TextStyle style, float width)
        {
            var lines = new List<string>();
            foreach (string paragraph in text.Split('\n'))
            {
                var line = new StringBuilder();
                foreach (string piece in Pieces(paragraph))
                {
                    string candidate = line.ToString() + piece;
                    if (line.Length == 0 || Measure(candidate.TrimEnd(), style) <= width)
                    {
                        line.Append(piece);
                        if (Measure(line.ToString().TrimEnd(), style) > width) BreakLong(line, lines, style, width);
                        continue;
                    }
                    lines.Add(line.ToString().TrimEnd());
                    line.Clear().Append(piece.TrimStart());
                    if (Measure(line.ToString().TrimEnd(), style) > width) BreakLong(line, lines, style, width);
                }
                lines.Add(line.ToString().TrimEnd());
            }
            return lines;
        }

        /// <summary>Moves whole lines off the front of <paramref name="line"/> while it is too wide (a very long word).</summary>
        private void BreakLong(StringBuilder line, List<string> lines, TextStyle style, float width)
        {
            string s = line.ToString();
            while (Measure(s.TrimEnd(), style) > width)
            {
                int n = s.Length - 1;
                while (n > 1 && Measure(s.Substring(0, n), style) > width) n--;
                if (char.IsHighSurrogate(s[n - 1])) n--;
                lines.Add(s.Substring(0, n));
                s = s.Substring(n);
            }
            line.Clear().Append(s);
        }

        /// <summary>
        /// Where a line may break: after spaces, before and after each Chinese character or punctuation mark. An operator
        /// standing alone (the "-" of "P - P_start") goes with the word after it, so no line ends with it (a reader's
        /// tools take a "-" at the end of a line for a hyphen).
        /// </summary>
        private static IEnumerable<string> Pieces(string text)
        {
            string held = "";
            foreach (string piece in RawPieces(text))
            {
                string core = piece.Trim();
                if (core.Length > 0 && core.Length <= 2 && core.All(c => "-+=*/<>x".IndexOf(c) >= 0))
                {
                    held += piece;
                    continue;
                }
                yield return held + piece;
                held = "";
            }
            if (held.Length > 0) yield return held;
        }

        private static IEnumerable<string> RawPieces(string text)
        {
            var piece = new StringBuilder();
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (IsClosing(c))
                {
                    // Closing punctuation never starts a line.
                    piece.Append(c);
                    yield return piece.ToString();
                    piece.Clear();
                    continue;
                }
                if (IsCjk(c))
                {
                    if (piece.Length > 0 && !IsOpening(piece[piece.Length - 1])) { yield return piece.ToString(); piece.Clear(); }
                    piece.Append(c);
                    // Closing punctuation stays with the character before it.
                    while (i + 1 < text.Length && IsClosing(text[i + 1])) piece.Append(text[++i]);
                    yield return piece.ToString();
                    piece.Clear();
                    continue;
                }
                piece.Append(c);
                if (c == ' ' && (i + 1 >= text.Length || text[i + 1] != ' '))
                {
                    yield return piece.ToString();
                    piece.Clear();
                }
            }
            if (piece.Length > 0) yield return piece.ToString();
        }

        private static bool IsCjk(char c) => c >= '\u2E80' && c <= '\u9FFF' || c >= '\uF900' && c <= '\uFAFF' || c >= '\uFF00' && c <= '\uFFEF';

        private static bool IsClosing(char c) => "，。、；：！？）》」』】".IndexOf(c) >= 0;

        private static bool IsOpening(char c) => "（《「『【".IndexOf(c) >= 0;

        public void Dispose()
        {
            foreach (SKFont f in _cache.Values) f.Dispose();
            foreach (SKTypeface t in _subsets.Values) t.Dispose();
        }
    }

    /// <summary>
    /// A flowing document: text, tables and drawings placed top to bottom on pages of one paper size, a new page when
    /// the next piece does not fit. Pages are kept as drawing steps and written at the end, when their number is known.
    /// </summary>
    internal sealed class PageLayout
    {
        public const float Margin = 50f;
        private const float FooterSpace = 28f;

        private readonly List<List<Action<SKCanvas>>> _pages = new();
        private readonly List<string> _footers = new();
        private List<Action<SKCanvas>>? _page;
        private float _y;

        public PageLayout(Paper paper, TextPainter painter)
        {
            Paper = paper;
            Painter = painter;
        }

        public Paper Paper { get; }
        public TextPainter Painter { get; }

        public float Left => Margin;
        public float Width => Paper.Width - 2 * Margin;
        public float Top => Margin;
        public float Bottom => Paper.Height - Margin - FooterSpace;

        /// <summary>The footer's left text on the pages started from now on (the network's name).</summary>
        public string Footer { get; set; } = "";

        public int PageCount => _pages.Count;

        /// <summary>Room left on the current page.</summary>
        public float Room => _page is null ? 0 : Bottom - _y;

        public void NewPage()
        {
            _page = new List<Action<SKCanvas>>();
            _pages.Add(_page);
            _footers.Add(Footer);
            _y = Top;
        }

        /// <summary>Starts a new page unless <paramref name="height"/> points fit on this one.</summary>
        public void EnsureRoom(float height)
        {
            if (_page is null || _y + height > Bottom) NewPage();
        }

        public void Space(float height)
        {
            if (_page is null) NewPage();
            _y = Math.Min(_y + height, Bottom);
        }

        /// <summary>The height <see cref="Paragraph"/> would take.</summary>
        public float Measure(string text, TextStyle style, float indent = 0) =>
            Painter.Wrap(text, style, Width - indent).Count * style.LineHeight;

        /// <summary>Wrapped text; a <paramref name="bar"/> colour draws a bar beside its lines (a diagnostic).</summary>
        public void Paragraph(string text, TextStyle style, float indent = 0, float after = 3f, SKColor? bar = null)
        {
            if (bar is not null) indent = Math.Max(indent, 8);
            List<string> lines = Painter.Wrap(text, style, Width - indent);
            // A short paragraph is kept on one page (a formula, a diagnostic's message).
            float total = lines.Count * style.LineHeight;
            if (total <= (Bottom - Top) / 3) EnsureRoom(total);
            foreach (string line in lines)
            {
                EnsureRoom(style.LineHeight);
                float baseline = _y + style.Size * 1.05f;
                float x = Left + indent, top = _y, height = style.LineHeight;
                string s = line;
                _page!.Add(canvas =>
                {
                    if (bar is { } color)
                    {
                        using var paint = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
                        canvas.DrawRect(SKRect.Create(Left, top, 3f, height), paint);
                    }
                    Painter.Draw(canvas, s, x, baseline, style);
                });
                _y += style.LineHeight;
            }
            Space(after);
        }

        /// <summary>A drawing of <paramref name="height"/> points, the full width; draw gets the canvas and the top-left corner.</summary>
        public void Drawing(float height, Action<SKCanvas, float, float> draw)
        {
            EnsureRoom(height);
            float x = Left, y = _y;
            _page!.Add(canvas => draw(canvas, x, y));
            _y += height;
        }

        /// <summary>
        /// A table: column widths as fractions of the width, the header repeated on each page it runs onto, cells wrapped
        /// in their column, right-aligned where <paramref name="rightAligned"/> says.
        /// </summary>
        public void Table(float[] fractions, string[] header, IReadOnlyList<string[]> rows, TextStyle style, TextStyle headerStyle, bool[] rightAligned, Func<int, SKColor?>? shade = null)
        {
            const float pad = 2.5f;
            float[] widths = Array.ConvertAll(fractions, f => f * Width);
            List<string>[] Cells(string[] row, TextStyle s)
            {
                var cells = new List<string>[row.Length];
                for (int c = 0; c < row.Length; c++) cells[c] = Painter.Wrap(row[c], s, widths[c] - 2 * pad);
                return cells;
            }
            float HeightOf(List<string>[] cells, TextStyle s)
            {
                int lines = 1;
                foreach (List<string> c in cells) lines = Math.Max(lines, c.Count);
                return lines * s.LineHeight + 2 * pad;
            }
            List<string>[] headerCells = Cells(header, headerStyle);
            float headerHeight = HeightOf(headerCells, headerStyle);

            void Row(List<string>[] cells, TextStyle s, float height, SKColor? fill, bool line)
            {
                float top = _y;
                _page!.Add(canvas =>
                {
                    if (fill is { } color)
                    {
                        using var p = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
                        canvas.DrawRect(SKRect.Create(Left, top, Width, height), p);
                    }
                    float x = Left;
                    for (int c = 0; c < cells.Length; c++)
                    {
                        for (int k = 0; k < cells[c].Count; k++)
                        {
                            float baseline = top + pad + k * s.LineHeight + s.Size * 1.05f;
                            float w = Painter.Measure(cells[c][k], s);
                            float tx = rightAligned[c] ? x + widths[c] - pad - w : x + pad;
                            Painter.Draw(canvas, cells[c][k], tx, baseline, s);
                        }
                        x += widths[c];
                    }
                    if (line)
                    {
                        using var p = new SKPaint { Color = new SKColor(0xB0, 0xB8, 0xC4), StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke };
                        canvas.DrawLine(Left, top + height, Left + Width, top + height, p);
                    }
                });
                _y += height;
            }

            EnsureRoom(headerHeight + style.LineHeight * 2);
            Row(headerCells, headerStyle, headerHeight, new SKColor(0xE4, 0xEA, 0xF2), true);
            for (int r = 0; r < rows.Count; r++)
            {
                List<string>[] cells = Cells(rows[r], style);
                float height = HeightOf(cells, style);
                if (_y + height > Bottom)
                {
                    NewPage();
                    Row(headerCells, headerStyle, headerHeight, new SKColor(0xE4, 0xEA, 0xF2), true);
                }
                Row(cells, style, height, shade?.Invoke(r), r == rows.Count - 1);
            }
            Space(6);
        }

        /// <summary>Writes every page to <paramref name="output"/> as a PDF, each with its footer and "page n / N".</summary>
        public void WritePdf(Stream output, string title, string pageWord, TextStyle footerStyle)
        {
            var metadata = new SKDocumentPdfMetadata
            {
                Title = title,
                Creator = "cnngen report",
                Producer = "CnnGen.Tool (SkiaSharp PDF)",
                RasterDpi = 300,
                EncodingQuality = 101,
            };
            // A first pass draws into nothing, to learn which glyphs the report uses; the PDF embeds only those.
            using (var recorder = new SKPictureRecorder())
            {
                SKCanvas dry = recorder.BeginRecording(SKRect.Create(Paper.Width, Paper.Height));
                for (int p = 0; p < _pages.Count; p++) DrawPage(dry, p, pageWord, footerStyle);
                using SKPicture _ = recorder.EndRecording();
            }
            Painter.UseSubsets();

            using SKDocument document = SKDocument.CreatePdf(output, metadata)
                ?? throw new IOException("SkiaSharp could not create a PDF document.");
            for (int p = 0; p < _pages.Count; p++)
            {
                DrawPage(document.BeginPage(Paper.Width, Paper.Height), p, pageWord, footerStyle);
                document.EndPage();
            }
            document.Close();
        }

        private void DrawPage(SKCanvas canvas, int p, string pageWord, TextStyle footerStyle)
        {
            {
                foreach (Action<SKCanvas> step in _pages[p]) step(canvas);
                float baseline = Paper.Height - Margin + 4;
                using (var line = new SKPaint { Color = new SKColor(0xB0, 0xB8, 0xC4), StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke })
                    canvas.DrawLine(Left, baseline - footerStyle.Size * 1.6f, Left + Width, baseline - footerStyle.Size * 1.6f, line);
                string footer = _footers[p];
                string number = string.Format(CultureInfo.InvariantCulture, pageWord, p + 1, _pages.Count);
                float numberWidth = Painter.Measure(number, footerStyle);
                List<string> left = Painter.Wrap(footer, footerStyle, Width - numberWidth - 12);
                Painter.Draw(canvas, left.Count > 0 ? left[0] : "", Left, baseline, footerStyle);
                Painter.Draw(canvas, number, Left + Width - numberWidth, baseline, footerStyle);
            }
        }
    }
}

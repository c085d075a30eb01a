using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;

namespace CnnGen.Tests.Tool
{
    /// <summary>
    /// Reads a PDF as a reader's tools do: poppler's pdftotext, pdfinfo, pdffonts and pdftoppm, and the CJK font the
    /// reports need. scripts/test.sh unpacks Debian's poppler-utils and fonts-wqy-zenhei into .cache/report-tools
    /// without root; the binaries run with LD_LIBRARY_PATH pointing into it.
    /// </summary>
    internal static class ReportReader
    {
        public static string Cache => Path.Combine(Repo.Root, ".cache", "report-tools");

        /// <summary>The folder of the fetched fonts, given to cnngen with --font-dir.</summary>
        public static string FontDir
        {
            get
            {
                string dir = Path.Combine(Cache, "usr", "share", "fonts");
                if (!File.Exists(Path.Combine(dir, "truetype", "wqy", "wqy-zenhei.ttc")))
                    throw new InvalidOperationException($"fonts-wqy-zenhei is not unpacked in {Cache}: run scripts/test.sh, which fetches it.");
                return dir;
            }
        }

        private static string Tool(string name)
        {
            string cached = Path.Combine(Cache, "usr", "bin", name);
            if (File.Exists(cached)) return cached;
            throw new InvalidOperationException($"{name} is not unpacked in {Cache}: run scripts/test.sh, which fetches poppler-utils.");
        }

        /// <summary>Runs a poppler tool; its standard output, or an exception with its error.</summary>
        public static string Run(string tool, params string[] args)
        {
            var psi = new ProcessStartInfo(Tool(tool))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = Encoding.UTF8,
            };
            foreach (string a in args) psi.ArgumentList.Add(a);
            string libs = Path.Combine(Cache, "usr", "lib", "x86_64-linux-gnu");
            string? existing = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            psi.Environment["LD_LIBRARY_PATH"] = string.IsNullOrEmpty(existing) ? libs : libs + ":" + existing;
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} did not finish in 60 s");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(" ", args)} exited with {process.ExitCode}: {stderr.Result}");
            return stdout;
        }

        /// <summary>
        /// The text of the PDF without its white space: a wrapped line reads as one, in English and in Chinese (where
        /// pdftotext joins lines with a space that the text does not have). Compare with <see cref="Normalize"/>d text.
        /// </summary>
        public static string Text(string pdf) => Normalize(Run("pdftotext", "-enc", "UTF-8", pdf, "-"));

        public static string Normalize(string text) => Regex.Replace(text, @"\s+", "");

        public static int Pages(string pdf)
        {
            Match m = Regex.Match(Run("pdfinfo", pdf), @"Pages:\s+(\d+)");
            return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        /// <summary>The page size in points and the paper pdfinfo names it after ("A4", "letter"), from pdfinfo.</summary>
        public static (double Width, double Height, string Paper) PageSize(string pdf)
        {
            Match m = Regex.Match(Run("pdfinfo", pdf), @"Page size:\s+([\d.]+) x ([\d.]+) pts(?: \(([^)]*)\))?");
            return (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[3].Value);
        }

        /// <summary>Every word pdftotext finds with its box, per page: (page, page width, page height, word, xMin, yMin, xMax, yMax).</summary>
        public static List<(int Page, double PageWidth, double PageHeight, string Word, double XMin, double YMin, double XMax, double YMax)> Words(string pdf)
        {
            string html = Run("pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-");
            var words = new List<(int, double, double, string, double, double, double, double)>();
            int page = 0;
            double width = 0, height = 0;
            foreach (string line in html.Split('\n'))
            {
                Match p = Regex.Match(line, @"<page width=""([\d.]+)"" height=""([\d.]+)""");
                if (p.Success)
                {
                    page++;
                    width = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
                    height = double.Parse(p.Groups[2].Value, CultureInfo.InvariantCulture);
                    continue;
                }
                Match w = Regex.Match(line, @"<word xMin=""([-\d.]+)"" yMin=""([-\d.]+)"" xMax=""([-\d.]+)"" yMax=""([-\d.]+)"">(.*)</word>");
                if (!w.Success) continue;
                double V(int g) => double.Parse(w.Groups[g].Value, CultureInfo.InvariantCulture);
                words.Add((page, width, height, System.Net.WebUtility.HtmlDecode(w.Groups[5].Value), V(1), V(2), V(3), V(4)));
            }
            return words;
        }

        /// <summary>pdffonts' table: each font's name and whether it is embedded.</summary>
        public static List<(string Name, bool Embedded)> Fonts(string pdf)
        {
            var fonts = new List<(string, bool)>();
            string[] lines = Run("pdffonts", pdf).Split('\n');
            // name type encoding emb sub uni object ID: the columns are fixed by the dashes under the header.
            if (lines.Length < 2) return fonts;
            string[] dashes = lines[1].Split(' ');
            int start = 0;
            var columns = new List<(int Start, int Length)>();
            foreach (string d in dashes)
            {
                columns.Add((start, d.Length));
                start += d.Length + 1;
            }
            for (int i = 2; i < lines.Length; i++)
            {
                string l = lines[i];
                if (l.Trim().Length == 0) continue;
                string Cell(int c) => columns[c].Start < l.Length ? l.Substring(columns[c].Start, Math.Min(columns[c].Length, l.Length - columns[c].Start)).Trim() : "";
                fonts.Add((Cell(0), Cell(3) == "yes"));
            }
            return fonts;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CnnGen.Tool.Report
{
    /// <summary>
    /// cnngen report: a printable PDF of every network in an ONNX model or in C# files, in English or Simplified Chinese.
    /// Exit codes as the other commands: 0 written, 1 a network has errors (the report is still written) or there is no
    /// network to report, 2 bad command line, 3 a file cannot be read or written, or no font fits the language.
    /// </summary>
    internal static class ReportCommand
    {
        private const int Ok = 0, NetworkErrors = 1, Usage = 2, Unreadable = 3;

        public const string Help = """
            cnngen report <model.onnx | File.cs ...> [-o <file.pdf>] [--lang en|zh-Hans] [--paper a4|letter]
                          [--font-dir <folder>] [--no-system-fonts]

            Writes a printable PDF of every network: the architecture drawn (branches and merges included), the layer
            table, each layer's formulas with its own numbers (output size, padding, parameters, receptive field,
            multiply-accumulates), every diagnostic with its explanation and fix, and a short explanation of each concept
            the network uses (activations with their curves). The input is an ONNX model, read as `cnngen import` reads
            it, or C# files whose [ConvNet] and [Block] types are read as the CnnGen analyzer reads them: one section per
            network. A network with errors still gets its report, the errors explained where they occur (exit code 1).
              -o, --output <file.pdf>  where to write (default: the network's or file's name with .pdf, here)
              --lang <culture>         en or zh-Hans (default: the system's UI language); Chinese needs a CJK font
                                       (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang, ...)
              --paper <size>           a4 (default) or letter
              --font-dir <folder>      look for fonts here first (repeatable); CNNGEN_FONT_DIRS names more folders
              --no-system-fonts        use only the fonts of --font-dir and CNNGEN_FONT_DIRS
            """;

        public static int Run(string[] args, TextWriter output, TextWriter error)
        {
            var inputs = new List<string>();
            var fontDirs = new List<string>();
            string? target = null;
            Paper paper = Paper.A4;
            CultureInfo culture = CultureInfo.CurrentUICulture;
            bool systemFonts = true;
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                string? Value()
                {
                    if (i + 1 < args.Length) return args[++i];
                    error.WriteLine($"cnngen report: {a} needs a value (cnngen report --help).");
                    return null;
                }
                switch (a)
                {
                    case "-o":
                    case "--output":
                        if ((target = Value()) is null) return Usage;
                        break;
                    case "--lang":
                    {
                        if (Value() is not { } lang) return Usage;
                        try
                        {
                            culture = CultureInfo.GetCultureInfo(lang, predefinedOnly: true);
                        }
                        catch (CultureNotFoundException)
                        {
                            error.WriteLine($"cnngen report: '{lang}' is not a language; use en or zh-Hans.");
                            return Usage;
                        }
                        break;
                    }
                    case "--paper":
                    {
                        if (Value() is not { } size) return Usage;
                        if (size.Equals("a4", StringComparison.OrdinalIgnoreCase)) paper = Paper.A4;
                        else if (size.Equals("letter", StringComparison.OrdinalIgnoreCase)) paper = Paper.Letter;
                        else
                        {
                            error.WriteLine($"cnngen report: '{size}' is not a paper size; use a4 or letter.");
                            return Usage;
                        }
                        break;
                    }
                    case "--font-dir":
                        if (Value() is not { } dir) return Usage;
                        fontDirs.Add(dir);
                        break;
                    case "--no-system-fonts":
                        systemFonts = false;
                        break;
                    default:
                        if (a.StartsWith("-", StringComparison.Ordinal) && a.Length > 1)
                        {
                            error.WriteLine($"cnngen report: unknown option '{a}' (cnngen report --help).");
                            return Usage;
                        }
                        inputs.Add(a);
                        break;
                }
            }
            if (inputs.Count == 0)
            {
                error.WriteLine("cnngen report: give an ONNX model or C# files, e.g. cnngen report model.onnx or cnngen report Networks.cs.");
                return Usage;
            }
            foreach (string input in inputs)
            {
                if (!File.Exists(input))
                {
                    error.WriteLine($"cnngen report: {input}: no such file.");
                    return Unreadable;
                }
            }

            ReportText text = ReportText.For(culture);
            var networks = new List<ReportNetwork>();
            try
            {
                foreach (string model in inputs.Where(p => !IsCSharp(p))) networks.Add(ReportSources.FromOnnx(model, error));
                List<string> sources = inputs.Where(IsCSharp).ToList();
                if (sources.Count > 0)
                {
                    List<ReportNetwork> declared = ReportSources.FromCSharp(sources);
                    if (declared.Count == 0)
                        throw new ReportInputException(NetworkErrors, $"{string.Join(", ", sources)}: no network declared: a network is a partial class with [ConvNet(...)] " +
                            "and its layer attributes ([Block] types alone are not reported; they are drawn where a network uses them).");
                    networks.AddRange(declared);
                }
            }
            catch (ReportInputException e)
            {
                error.WriteLine("cnngen report: " + e.Message);
                return e.ExitCode;
            }

            target ??= (inputs.Count == 1 && !IsCSharp(inputs[0]) ? Program.ClassName(inputs[0]) : Path.GetFileNameWithoutExtension(inputs[0])) + ".pdf";
            int pages;
            try
            {
                using ReportFonts fonts = ReportFonts.Find(fontDirs, text.IsChinese, systemFonts);
                using var painter = new TextPainter(fonts);
                var layout = new PageLayout(paper, painter);
                new ReportDocument(layout, text).Write(networks, inputs, fonts.Names);
                string? folder = Path.GetDirectoryName(Path.GetFullPath(target));
                if (folder is not null) Directory.CreateDirectory(folder);
                using (var stream = new FileStream(target, FileMode.Create, FileAccess.Write))
                    layout.WritePdf(stream, $"{text.ReportTitle}: {string.Join(", ", networks.Select(n => n.Name))}", text.PageOf, new TextStyle(Face.Text, 7f, new SkiaSharp.SKColor(0x6B, 0x74, 0x84)));
                pages = layout.PageCount;
            }
            catch (FontNotFoundException e)
            {
                error.WriteLine("cnngen report: " + e.Message);
                return Unreadable;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"cnngen report: cannot write {target}: {e.Message}");
                return Unreadable;
            }

            foreach (ReportNetwork n in networks.Where(n => n.HasErrors))
                error.WriteLine($"cnngen report: {n.Name} has errors; they are explained in the report.");
            output.WriteLine($"cnngen report: wrote {target} ({pages} pages; {string.Join(", ", networks.Select(n => n.Name))}).");
            return networks.Any(n => n.HasErrors) ? NetworkErrors : Ok;
        }

        private static bool IsCSharp(string path) => path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);
    }
}

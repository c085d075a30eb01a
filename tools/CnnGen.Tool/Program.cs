using System;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnGen.Loading;
using CnnGen.Shapes;

namespace CnnGen.Tool
{
    /// <summary>cnngen: import and summary of ONNX models, the printable report. Exit codes: 0 ok, 1 network not expressible or with errors, 2 usage, 3 unreadable file.</summary>
    public static class Program
    {
        private const int Ok = 0, NetworkErrors = 1, Usage = 2, Unreadable = 3;

        private const string MainHelp = """
            cnngen - from a trained ONNX model to a CnnGen network declaration

            Usage:
              cnngen import <model.onnx> [--name <ClassName>]   print the [ConvNet], its layer attributes and [Block] types
              cnngen summary <model.onnx>                       print the layer table and the analyzer's diagnostics
              cnngen report <model.onnx | File.cs ...> [-o file.pdf] [--lang en|zh-Hans] [--paper a4|letter]
                                                                write a printable PDF of every network: diagram, layer
                                                                table, each layer's formulas, diagnostics explained
              --lang <culture>                                  the diagnostics' language: en or zh-Hans (default: the
                                                                system's UI language, e.g. LANG=zh_CN.UTF-8)
              cnngen <command> --help                           help on one command
              cnngen --version

            Exit codes: 0 success, 1 the model is not a network CnnGen can express (import) or has errors (summary,
            report: the report is still written), 2 bad command line, 3 a file cannot be read or written (report: or
            no font fits the language).
            """;

        private const string ImportHelp = """
            cnngen import <model.onnx> [--name <ClassName>] [--lang <culture>]

            Reads the ONNX file and prints, on standard output, the CnnGen declaration of its CNN: paste it into a .cs
            file and load the same file's weights with <ClassName>.Load("model.onnx").
            Convolutions (grouped, depthwise) with their bias Add, MatMul/Gemm + Add as Dense, pooling,
            BatchNormalization, activations (Clip(0, 6) as ReLU6, HardSigmoid, HardSwish, x * Sigmoid(x) as SiLU),
            Resize/Upsample nearest by whole factors, Pad with zeros, Flatten/Reshape and Softmax are expressed.
            Branches become [Block] types: an Add of two branches from one value is a Residual (a Relu after it:
            ReLU = true), a Concat along the channels a Concat (typeof(Identity) for the value itself), a Mul of a value
            by a gate computed from it a Multiply; identical blocks are written once and reused. What is not expressed
            (other operators, other merges, branches that share work) is listed on standard error, and the exit code is
            then 1. Layers whose weights keep PyTorch module names (torch.onnx.export: "layer1.0.conv1.weight") are
            named after them (Name = "layer1.0" on the block's use, the block's own layers relative to it), so the same
            declaration also loads the model's state_dict saved as .safetensors.
              --name <ClassName>   the class name (default: from the file name, e.g. mnist-8.onnx -> Mnist8)
              --lang <culture>     the diagnostics' language, en or zh-Hans (default: the system's UI language)
            """;

        private const string SummaryHelp = """
            cnngen summary <model.onnx> [--lang <culture>]

            Imports the model as `cnngen import` does and prints its layer table: output shape, padding, parameters,
            receptive field and multiply-accumulates per layer, then every diagnostic the CnnGen analyzer would report
            on the declaration (CNNxxxx, with the numbers of the formula). Exit code 1 when one of them is an error.
              --lang <culture>     the diagnostics' language, en or zh-Hans (default: the system's UI language)
            """;

        public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

        public static int Run(string[] args, TextWriter output, TextWriter error)
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help" or "-?")
            {
                (args.Length == 0 ? error : output).WriteLine(MainHelp);
                return args.Length == 0 ? Usage : Ok;
            }
            if (args[0] == "--version")
            {
                output.WriteLine(typeof(Program).Assembly.GetName().Version?.ToString(3));
                return Ok;
            }
            string command = args[0];
            string? help = command switch { "import" => ImportHelp, "summary" => SummaryHelp, "report" => Report.ReportCommand.Help, _ => null };
            if (help is null)
            {
                error.WriteLine($"cnngen: unknown command '{command}'. Commands: import, summary, report (cnngen --help).");
                return Usage;
            }
            string[] rest = args.Skip(1).ToArray();
            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                output.WriteLine(help);
                return Ok;
            }
            if (command == "report") return Report.ReportCommand.Run(rest, output, error);
            string? path = null, name = null;
            CultureInfo culture = CultureInfo.CurrentUICulture;
            for (int i = 0; i < rest.Length; i++)
            {
                if (rest[i] == "--lang")
                {
                    if (i + 1 >= rest.Length) { error.WriteLine($"cnngen {command}: --lang needs a language, e.g. --lang zh-Hans or --lang en."); return Usage; }
                    try
                    {
                        culture = CultureInfo.GetCultureInfo(rest[++i], predefinedOnly: true);
                    }
                    catch (CultureNotFoundException)
                    {
                        error.WriteLine($"cnngen {command}: '{rest[i]}' is not a language; use en or zh-Hans.");
                        return Usage;
                    }
                }
                else if (rest[i] == "--name" && command == "import")
                {
                    if (i + 1 >= rest.Length) { error.WriteLine("cnngen import: --name needs a class name, e.g. --name Mnist8."); return Usage; }
                    name = rest[++i];
                }
                else if (rest[i].StartsWith("-", StringComparison.Ordinal)) { error.WriteLine($"cnngen {command}: unknown option '{rest[i]}' (cnngen {command} --help)."); return Usage; }
                else if (path is null) path = rest[i];
                else { error.WriteLine($"cnngen {command}: one model at a time; '{rest[i]}' is one too many."); return Usage; }
            }
            if (path is null) { error.WriteLine($"cnngen {command}: give the model file, e.g. cnngen {command} model.onnx."); return Usage; }
            if (name is not null && !IsIdentifier(name)) { error.WriteLine($"cnngen import: '{name}' is not a C# class name."); return Usage; }

            OnnxModel model;
            ImportResult imported;
            try
            {
                if (!File.Exists(path)) { error.WriteLine($"cnngen {command}: {path}: no such file."); return Unreadable; }
                model = OnnxModel.Read(Progress.ReadFile(path, error), Path.GetFileName(path));
                imported = OnnxImporter.Import(model, name ?? ClassName(path)); // folding the weights' Reshape/Transpose can find them malformed
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                error.WriteLine($"cnngen {command}: {path} is not a readable ONNX model: {e.Message}");
                return Unreadable;
            }

            foreach (string note in imported.Notes) error.WriteLine("note: " + note);
            if (imported.Declaration is not { } declaration)
            {
                error.WriteLine($"cnngen {command}: {path} cannot be written as a CnnGen network:");
                foreach (string p in imported.Problems) error.WriteLine("  - " + p);
                return NetworkErrors;
            }
            NetworkAnalysis analysis = NetworkChecker.Analyze(declaration);
            if (command == "import")
            {
                output.Write("using CnnGen;\n\n" + DeclarationWriter.Write(declaration, $"Imported by cnngen from {Path.GetFileName(path)} ({model.Producer} model, opset {model.Opset}); load its weights with {declaration.TypeName}.Load(\"{Path.GetFileName(path)}\")."));
                foreach (Finding f in analysis.Findings) error.WriteLine(Diagnostic(f, culture));
                return Ok;
            }
            output.WriteLine(SummaryWriter.Text(declaration.TypeName, analysis));
            foreach (Finding f in analysis.Findings) output.WriteLine(Diagnostic(f, culture));
            return analysis.Findings.Any(f => Rules.ById(f.RuleId).Severity == RuleSeverity.Error) ? NetworkErrors : Ok;
        }

        /// <summary>As the compiler writes it: "warning CNN0011: message", the message in <paramref name="culture"/>.</summary>
        private static string Diagnostic(Finding f, CultureInfo culture)
        {
            Rule rule = Rules.ById(f.RuleId);
            return $"{rule.Severity.ToString().ToLowerInvariant()} {rule.Id}: {Rules.Format(f, culture)}";
        }

        /// <summary>A class name from a file name: mnist-8.onnx -> Mnist8.</summary>
        public static string ClassName(string path)
        {
            string stem = Path.GetFileNameWithoutExtension(path);
            if (stem == "model") stem = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? stem;
            string name = string.Concat(stem.Split(new[] { '-', '_', '.', ' ' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)).Select(p => new string(p.Where(char.IsLetterOrDigit).ToArray())));
            if (name.Length == 0) name = "Network";
            return char.IsDigit(name[0]) ? "Net" + name : name;
        }

        private static bool IsIdentifier(string s) => s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using CnnGen.Analyzers;
using CnnGen.Declarations;
using CnnGen.Loading;
using CnnGen.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Tool.Report
{
    /// <summary>A diagnostic of a network as the report shows it: the rule, its numbers, where it is.</summary>
    internal sealed record ReportDiagnostic(Rule Rule, EquatableArray<string> Args, EquatableArray<string> Fix, string Where)
    {
        /// <summary>The network's own layer (index into its declaration's layers) the diagnostic is about, or -1.</summary>
        public int TopLayer { get; init; } = -1;

        public string Message(CultureInfo culture) =>
            Rules.Format(new Finding(Rule.Id, Finding.NetworkAttribute, ArgumentTarget.Attribute, Args), culture);
    }

    /// <summary>One network of the report: its analysis (null when it could not be checked) and its diagnostics.</summary>
    internal sealed class ReportNetwork
    {
        public ReportNetwork(string name, string source, NetworkAnalysis? analysis)
        {
            Name = name;
            Source = source;
            Analysis = analysis;
        }

        public string Name { get; }

        /// <summary>Where it comes from: "Networks.cs(6,6)" or "mnist-8/model.onnx (CNTK model, opset 8)".</summary>
        public string Source { get; }

        public NetworkAnalysis? Analysis { get; }

        public List<ReportDiagnostic> Diagnostics { get; } = new();

        /// <summary>Errors of the C# compiler that keep CnnGen from checking the type.</summary>
        public List<string> CompilerErrors { get; } = new();

        public bool HasErrors => CompilerErrors.Count > 0 || Diagnostics.Any(d => d.Rule.Severity == RuleSeverity.Error);
    }

    /// <summary>An input that cannot be reported on: the message and the exit code cnngen gives for it.</summary>
    internal sealed class ReportInputException : Exception
    {
        public ReportInputException(int exitCode, string message) : base(message) => ExitCode = exitCode;

        public int ExitCode { get; }
    }

    /// <summary>The networks of the inputs: an ONNX model as `cnngen import` reads it, C# files as the analyzer reads them.</summary>
    internal static class ReportSources
    {
        public const int NoNetwork = 1, Unreadable = 3;

        /// <summary>The network of an ONNX model, imported as `cnngen import` does.</summary>
        public static ReportNetwork FromOnnx(string path, TextWriter error)
        {
            OnnxModel model;
            ImportResult imported;
            try
            {
                model = OnnxModel.Read(Progress.ReadFile(path, error), Path.GetFileName(path));
                imported = OnnxImporter.Import(model, Program.ClassName(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw new ReportInputException(Unreadable, $"{path} is not a readable ONNX model: {e.Message}");
            }
            foreach (string note in imported.Notes) error.WriteLine("note: " + note);
            if (imported.Declaration is not { } declaration)
                throw new ReportInputException(NoNetwork, $"{path} cannot be written as a CnnGen network:\n" + string.Join("\n", imported.Problems.Select(p => "  - " + p)));

            NetworkAnalysis analysis = NetworkChecker.Analyze(declaration);
            // model.onnx says little: the folder names the model (mnist-8/model.onnx).
            string file = Path.GetFileName(path);
            if (Path.GetFileNameWithoutExtension(path) == "model" && Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) is { Length: > 0 } folder)
                file = folder + "/" + file;
            var network = new ReportNetwork(declaration.TypeName, $"{file} ({model.Producer} model, opset {model.Opset})", analysis);
            string[] names = NetworkChecker.LayerNames(declaration.Layers);
            foreach (Finding f in analysis.Findings)
            {
                string where = f.Owner is { } owner && declaration.Block(owner) is { } block
                    ? Layer(block.Layers, f.Layer) is { } inner ? inner + " (" + block.DisplayName + ")" : block.DisplayName
                    : f.Layer >= 0 && f.Layer < names.Length ? names[f.Layer] : "[ConvNet]";
                network.Diagnostics.Add(new ReportDiagnostic(Rules.ById(f.RuleId), f.Args, f.Fix, where) { TopLayer = f.Owner is null ? f.Layer : -1 });
            }
            return network;
        }

        private static string? Layer(EquatableArray<LayerDeclaration> layers, int index)
        {
            string[] names = NetworkChecker.LayerNames(layers);
            return index >= 0 && index < names.Length ? names[index] : null;
        }

        /// <summary>
        /// Every [ConvNet] type of the C# files (and every type with layer attributes but no [ConvNet], which the analyzer
        /// reports), each read with the analyzer's <see cref="DeclarationReader"/> and checked by <see cref="NetworkChecker"/>.
        /// </summary>
        public static List<ReportNetwork> FromCSharp(IReadOnlyList<string> paths)
        {
            var trees = new List<SyntaxTree>();
            foreach (string path in paths)
            {
                string text;
                try
                {
                    text = File.ReadAllText(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ReportInputException(Unreadable, $"{path} cannot be read: {e.Message}");
                }
                trees.Add(CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path: path));
            }
            CSharpCompilation compilation = CSharpCompilation.Create("CnnGenReport", trees, References(),
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

            var types = new List<INamedTypeSymbol>();
            foreach (SyntaxTree tree in trees)
            {
                SemanticModel model = compilation.GetSemanticModel(tree);
                foreach (TypeDeclarationSyntax node in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
                    if (model.GetDeclaredSymbol(node) is INamedTypeSymbol t && !types.Contains(t, SymbolEqualityComparer.Default)) types.Add(t);
            }
            var byKey = new Dictionary<string, INamedTypeSymbol>(StringComparer.Ordinal);
            foreach (INamedTypeSymbol t in types) byKey[t.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)] = t;

            var networks = new List<ReportNetwork>();
            foreach (INamedTypeSymbol type in types)
            {
                DeclarationReadResult? read = DeclarationReader.Read(type, CancellationToken.None);
                if (read is null || read.IsBlock) continue;
                Location declared = read.ConvNet is { } convNet ? DeclarationReader.LocationOf(convNet) ?? type.Locations[0] : type.Locations[0];
                if (read.HasCompilerErrors)
                {
                    var broken = new ReportNetwork(type.Name, Where(declared), null);
                    broken.CompilerErrors.AddRange(CompilerErrors(compilation, type));
                    networks.Add(broken);
                    continue;
                }
                NetworkAnalysis? analysis = read.ConvNet is null ? null : NetworkChecker.Analyze(read.Declaration);
                var network = new ReportNetwork(type.Name, Where(declared), analysis);
                foreach (StructuralProblem p in read.Problems)
                    network.Diagnostics.Add(new ReportDiagnostic(p.Rule, new EquatableArray<string>(p.Args), EquatableArray<string>.Empty, Where(p.Location)));
                foreach (Finding f in analysis?.Findings ?? EquatableArray<Finding>.Empty)
                {
                    // A block's own mistake is located in the block, as the analyzer reports it there.
                    Location at = f.Owner is { } owner && byKey.TryGetValue(owner, out INamedTypeSymbol? block)
                        && DeclarationReader.Read(block, CancellationToken.None) is { } blockRead
                        ? FindingLocator.Locate(blockRead, f with { Owner = null }, block)
                        : FindingLocator.Locate(read, f, type);
                    network.Diagnostics.Add(new ReportDiagnostic(Rules.ById(f.RuleId), f.Args, f.Fix, Where(at)) { TopLayer = f.Owner is null ? f.Layer : -1 });
                }
                networks.Add(network);
            }
            return networks;
        }

        /// <summary>"Networks.cs(12,6)": the file name and the 1-based line and column.</summary>
        private static string Where(Location location)
        {
            if (!location.IsInSource) return "";
            FileLinePositionSpan span = location.GetLineSpan();
            return string.Format(CultureInfo.InvariantCulture, "{0}({1},{2})", Path.GetFileName(span.Path), span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
        }

        private static IEnumerable<string> CompilerErrors(CSharpCompilation compilation, INamedTypeSymbol type)
        {
            foreach (SyntaxReference r in type.DeclaringSyntaxReferences)
            {
                SemanticModel model = compilation.GetSemanticModel(r.SyntaxTree);
                foreach (Diagnostic d in model.GetDiagnostics(r.Span).Where(d => d.Severity == DiagnosticSeverity.Error))
                    yield return $"{Where(d.Location)}: error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}";
            }
        }

        /// <summary>The framework's assemblies and CnnGen's attributes: enough to bind the declarations.</summary>
        private static IEnumerable<MetadataReference> References()
        {
            string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
            foreach (string file in Directory.EnumerateFiles(runtime, "*.dll"))
            {
                string name = Path.GetFileName(file);
                if ((name.StartsWith("System.", StringComparison.Ordinal) && !name.EndsWith(".Native.dll", StringComparison.Ordinal)) || name is "mscorlib.dll" or "netstandard.dll")
                    yield return MetadataReference.CreateFromFile(file);
            }
            yield return MetadataReference.CreateFromFile(typeof(ConvNetAttribute).Assembly.Location);
        }
    }
}

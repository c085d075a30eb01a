using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using CnnGen.Declarations;
using CnnGen.Loading;
using CnnGen.Shapes;
using CnnGen.WeightFiles;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CnnGen.Analyzers
{
    /// <summary>
    /// Checks the file a network's <c>Weights = "..."</c> names, from the description the build wrote of it (an
    /// additional file: the analyzer reads no other file): the read errors the build met (CNN0029-CNN0032), a path the
    /// build did not read (CNN0033), and the declaration against the file's tensors or ONNX graph with the loader's own
    /// matching code (CNN0028), each on the Weights argument.
    /// </summary>
    internal sealed class WeightsChecker
    {
        // Matching a large graph is the costly part: its result is kept per description and declaration, so that an IDE
        // re-analysing a file after each keystroke matches again only when the file or the network changed.
        private static readonly ConcurrentDictionary<(string Description, string Name, NetworkDeclaration Declaration), string> Matched = new();
        private const int MaxMatched = 64;

        private readonly Dictionary<string, (WeightsDescription Description, string Text)> _descriptions;

        private WeightsChecker(Dictionary<string, (WeightsDescription, string)> descriptions) => _descriptions = descriptions;

        /// <summary>The descriptions among the compilation's additional files, by the Weights path they describe.</summary>
        public static WeightsChecker Read(AnalyzerOptions options, CancellationToken ct)
        {
            var found = new Dictionary<string, (WeightsDescription, string)>(StringComparer.Ordinal);
            foreach (AdditionalText file in options.AdditionalFiles)
            {
                if (!file.Path.EndsWith(WeightsDescription.Extension, StringComparison.OrdinalIgnoreCase)) continue;
                string? text = file.GetText(ct)?.ToString();
                if (text is not null && WeightsDescription.Parse(text) is { } d) found[d.Key] = (d, text);
            }
            return new WeightsChecker(found);
        }

        public void Check(SymbolAnalysisContext context, DeclarationReadResult read, INamedTypeSymbol type, NetworkAnalysis analysis)
        {
            if (read.ConvNet is null || Argument(read.ConvNet, context.CancellationToken) is not { } argument) return;
            (string weights, Location location) = argument;
            void Report(DiagnosticDescriptor descriptor, params object[] args) => context.ReportDiagnostic(Diagnostic.Create(descriptor, location, args));

            if (!_descriptions.TryGetValue(weights, out var found))
            {
                Report(Descriptors.WeightsNotRead, weights);
                return;
            }
            WeightsDescription d = found.Description;
            switch (d.Error)
            {
                case WeightsError.Missing: Report(Descriptors.WeightsMissing, weights, d.Message); return;
                case WeightsError.Unreadable: Report(Descriptors.WeightsUnreadable, weights, d.Message); return;
                case WeightsError.ExternalData: Report(Descriptors.WeightsExternalData, weights, d.Message); return;
                case WeightsError.DataType: Report(Descriptors.WeightsDataType, weights, d.Message); return;
            }
            // An architecture with errors is reported as such; its weights are checked once it is valid.
            if (analysis.HasErrors) return;
            string name = type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            var key = (found.Text, name, read.Declaration);
            if (!Matched.TryGetValue(key, out string? problem))
            {
                problem = Match(d, new NetworkSpec(name, analysis));
                if (Matched.Count >= MaxMatched) Matched.Clear();
                Matched[key] = problem;
            }
            if (problem.Length > 0) Report(Descriptors.WeightsMismatch, weights, problem);
        }

        /// <summary>What does not match (the loader's message), or "" when the file fits the declaration.</summary>
        private static string Match(WeightsDescription d, NetworkSpec spec)
        {
            try
            {
                if (d.Format == "safetensors")
                {
                    var entries = d.Tensors.ToDictionary(t => t.Name, t => new Safetensors.Entry(t.DType, t.Shape, 0, 0), StringComparer.Ordinal);
                    Safetensors.Match(entries, spec, d.Key);
                }
                else
                {
                    OnnxModel outline = OnnxModel.Read(Convert.FromBase64String(d.Outline), d.Key, outline: true);
                    OnnxWeightMatcher.Match(outline, spec);
                }
                return "";
            }
            catch (InvalidDataException e)
            {
                return e.Message;
            }
            catch (FormatException e)
            {
                return "the build's description of the file is damaged (" + e.Message + "); rebuild to describe it again";
            }
        }

        /// <summary>The Weights argument of [ConvNet] and where it is written; null when it is not given.</summary>
        private static (string Weights, Location Location)? Argument(AttributeData convNet, CancellationToken ct)
        {
            foreach (KeyValuePair<string, TypedConstant> named in convNet.NamedArguments)
            {
                if (named.Key != "Weights" || named.Value.Value is not string weights) continue;
                Location? at = null;
                if (convNet.ApplicationSyntaxReference?.GetSyntax(ct) is AttributeSyntax syntax)
                    at = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Weights")?.GetLocation();
                return (weights, at ?? DeclarationReader.LocationOf(convNet) ?? Location.None);
            }
            return null;
        }
    }
}

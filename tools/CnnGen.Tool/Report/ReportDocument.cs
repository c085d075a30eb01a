using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnGen.Kernels;
using CnnGen.Shapes;
using SkiaSharp;

namespace CnnGen.Tool.Report
{
    /// <summary>Lays out the report: a first page listing the networks, then one section per network.</summary>
    internal sealed class ReportDocument
    {
        private static readonly SKColor Ink = new(0x1A, 0x1F, 0x2B);
        private static readonly SKColor Muted = new(0x55, 0x5E, 0x6E);
        private static readonly SKColor Accent = new(0x1B, 0x4F, 0x8F);
        private static readonly SKColor ErrorColour = new(0xC6, 0x28, 0x28);
        private static readonly SKColor WarningColour = new(0xE0, 0x8A, 0x00);
        private static readonly SKColor InfoColour = new(0x2F, 0x6F, 0xBF);

        private readonly PageLayout _layout;
        private readonly ReportText _t;
        private readonly TextStyle _body, _small, _label, _h1, _h2, _h3, _mono;

        public ReportDocument(PageLayout layout, ReportText text)
        {
            _layout = layout;
            _t = text;
            _body = new TextStyle(Face.Text, 9f, Ink);
            _small = new TextStyle(Face.Text, 7.6f, Muted);
            _label = new TextStyle(Face.Bold, 8.4f, Ink);
            _mono = new TextStyle(Face.Mono, 7.6f, Ink);
            _h1 = new TextStyle(Face.Bold, 17f, Accent);
            _h2 = new TextStyle(Face.Bold, 12.5f, Accent);
            _h3 = new TextStyle(Face.Bold, 9.2f, Ink);
        }

        /// <summary>A row's kind as the layer table writes it; a block use whose expansion stopped at an error is named by its kind.</summary>
        public static string Describe(LayerInfo l) =>
            l.OutputShape.Count == 0 || (l.IsBlockUse && l.BlockNames.Count == 0) ? LayerKinds.AttributeName(l.Kind) : SummaryWriter.Describe(l);

        private string Number(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

        private string Memory(long floats)
        {
            double bytes = floats * 4.0;
            string size = bytes < 1024 ? $"{bytes:0} B" : bytes < 1024 * 1024 ? $"{bytes / 1024:0.#} KiB" : $"{bytes / (1024 * 1024):0.#} MiB";
            return _t.F(_t.Floats, Number(floats), size.Replace(',', '.'));
        }

        public string TitleLine(ReportNetwork n)
        {
            if (n.Analysis is not { } a) return n.Name;
            bool errors = a.HasErrors;
            string output = errors ? "?" : ShapeMath.Format(a.OutputShape);
            string peak = errors ? _t.NotComputed : Memory(ActivationMemory.Peak(a));
            return _t.F(_t.TitleLine, n.Name, ShapeMath.Format(a.InputShape), output, Number(a.ParameterCount), Number(a.Macs), peak);
        }

        public void Write(IReadOnlyList<ReportNetwork> networks, IReadOnlyList<string> inputs, IReadOnlyList<string> fonts)
        {
            _layout.Footer = _t.ReportTitle;
            _layout.NewPage();
            _layout.Paragraph(_t.ReportTitle, new TextStyle(Face.Bold, 22f, Accent), after: 6);
            _layout.Paragraph(_t.F(_t.SourceLine, string.Join(", ", inputs.Select(p => Path.GetFileName(p)))), _small);
            _layout.Paragraph(_t.Intro, _body, after: 10);
            _layout.Paragraph(_t.NetworksHeading, _h2, after: 4);
            for (int i = 0; i < networks.Count; i++)
            {
                ReportNetwork n = networks[i];
                _layout.Paragraph($"{i + 1}. {TitleLine(n)}", _body, indent: 6, after: 1);
                _layout.Paragraph(Status(n), _small, indent: 18, after: 4, bar: BarOf(n));
            }
            _layout.Space(8);
            _layout.Paragraph(_t.F(_t.FontsLine, string.Join("; ", fonts)), _small);

            // The first network starts on the first page when there is room for its title and the start of its diagram.
            for (int i = 0; i < networks.Count; i++) Section(i + 1, networks[i], newPage: i > 0 || _layout.Room < 320);
        }

        private SKColor? BarOf(ReportNetwork n) =>
            n.HasErrors ? ErrorColour : n.Diagnostics.Any(d => d.Rule.Severity == RuleSeverity.Warning) ? WarningColour : null;

        private string Status(ReportNetwork n)
        {
            if (n.CompilerErrors.Count > 0) return _t.CompilerErrors;
            int errors = n.Diagnostics.Count(d => d.Rule.Severity == RuleSeverity.Error);
            int warnings = n.Diagnostics.Count(d => d.Rule.Severity == RuleSeverity.Warning);
            int infos = n.Diagnostics.Count - errors - warnings;
            if (n.Diagnostics.Count == 0) return _t.StatusClean;
            string s = _t.F(_t.StatusFindings, errors, warnings, infos);
            return errors > 0 ? s + " " + _t.StatusErrors : s;
        }

        private void Section(int number, ReportNetwork n, bool newPage)
        {
            _layout.Footer = $"{_t.ReportTitle} · {number}. {n.Name}";
            if (newPage) _layout.NewPage();
            else _layout.Space(14);
            _layout.Paragraph($"{number}. {n.Name}", _h1, after: 4);
            _layout.Paragraph(TitleLine(n), new TextStyle(Face.Bold, 9.6f, Ink), after: 3);
            if (n.Source.Length > 0) _layout.Paragraph(_t.F(_t.DeclaredAt, n.Source), _small);
            _layout.Paragraph(Status(n), _body, after: 8, bar: BarOf(n));
            foreach (string e in n.CompilerErrors) _layout.Paragraph(e, _mono, indent: 8, bar: ErrorColour);

            if (n.Analysis is { } a)
            {
                if (a.Layers.Count > 0)
                {
                    Heading(_t.ArchitectureHeading);
                    _layout.Paragraph(_t.DiagramCaption, _small, after: 6);
                    new ArchitectureDiagram(a, _layout.Painter, _t).AddTo(_layout);
                    Heading(_t.TableHeading);
                    Table(a);
                }
                Heading(_t.LayersHeading);
                _layout.Paragraph(_t.LayersIntro, _small, after: 6);
                Layers(n, a);
            }
            Heading(_t.DiagnosticsHeading);
            Diagnostics(n);
            if (n.Analysis is { } analysis)
            {
                Heading(_t.ConceptsHeading);
                _layout.Paragraph(_t.ConceptsIntro, _small, after: 6);
                Concepts(analysis);
            }
        }

        private void Heading(string text)
        {
            _layout.EnsureRoom(_h2.LineHeight + 60);
            _layout.Space(8);
            _layout.Paragraph(text, _h2, after: 4);
        }

        // ---- the layer table -------------------------------------------------------------------------

        private void Table(NetworkAnalysis a)
        {
            var rows = new List<string[]> { new[] { "", _t.InputRow, "", ShapeMath.Format(a.InputShape), "", "", "", "" } };
            var branchOf = new Dictionary<int, int>();
            foreach (LayerInfo l in a.Layers)
            {
                string indent = new string(' ', 2 * l.Depth);
                if (l.Parent >= 0 && (!branchOf.TryGetValue(l.Parent, out int previous) || previous != l.Branch))
                {
                    branchOf[l.Parent] = l.Branch;
                    if (PartLabel(a.Layers[l.Parent], l.Branch) is { } label) rows.Add(new[] { "", indent + label, "", "", "", "", "", "" });
                }
                rows.Add(new[]
                {
                    (l.Index + 1).ToString(CultureInfo.InvariantCulture),
                    indent + l.Name,
                    Describe(l),
                    l.OutputShape.Count == 0 ? "?" : ShapeMath.Format(l.OutputShape),
                    SummaryWriter.PaddingText(l),
                    l.IsBlockUse ? "(" + Number(l.Parameters) + ")" : Number(l.Parameters),
                    l.OutputShape.Count == 0 ? "" : l.ReceptiveField.Count == 0 ? _t.WholeInput : string.Join("x", l.ReceptiveField),
                    l.IsBlockUse ? "(" + Number(l.Macs) + ")" : Number(l.Macs),
                });
            }
            rows.Add(new[] { "", _t.TableTotals, "", a.HasErrors ? "?" : ShapeMath.Format(a.OutputShape), "", Number(a.ParameterCount), "", Number(a.Macs) });
            var style = new TextStyle(Face.Text, 7.2f, Ink);
            var header = new TextStyle(Face.Bold, 7.2f, Ink);
            _layout.Table(new[] { 0.05f, 0.19f, 0.25f, 0.11f, 0.09f, 0.11f, 0.09f, 0.11f }, _t.TableHeaders, rows, style, header,
                new[] { true, false, false, false, false, true, false, true },
                r => r == rows.Count - 1 ? new SKColor(0xF1, 0xF4, 0xF8) : null);
        }

        /// <summary>The label of a part of a block use: a Residual's shortcut, a Concat's branch, a Multiply's gate.</summary>
        private string? PartLabel(LayerInfo use, int branch)
        {
            if (use.BlockNames.Count == 0) return null;
            return use.Kind switch
            {
                LayerKind.Residual when branch == 1 => _t.F(_t.ShortcutLabel, use.BlockNames[1]),
                LayerKind.Concat => _t.F(_t.BranchLabel, branch + 1, use.BlockNames[branch]),
                LayerKind.Multiply => _t.F(_t.GateLabel, use.BlockNames[0]),
                _ => null,
            };
        }

        // ---- layer by layer ----------------------------------------------------------------------------

        /// <summary>For each of the network's own layers, the last row that belongs to it (its block use's last row inside).</summary>
        private static Dictionary<int, int> AnchorRows(NetworkAnalysis a)
        {
            var anchors = new Dictionary<int, int>();
            var top = a.Layers.Where(l => l.Depth == 0).ToList();
            int next = 0;
            for (int i = 0; i < a.Declaration.Layers.Count && next < top.Count; i++)
            {
                LayerDeclaration d = a.Declaration.Layers[i];
                int uses = LayerKinds.IsBlockUse(d.Kind) ? Math.Max(1, d.Repeat ?? 1) : 1;
                for (int r = 0; r < uses && next < top.Count; r++, next++)
                {
                    // The last row of the layer: a block use's last row inside (also when an error stopped it midway).
                    int last = top[next].Index;
                    while (last + 1 < a.Layers.Count && a.Layers[last + 1].Depth > 0) last++;
                    anchors[i] = last;
                }
            }
            return anchors;
        }

        private void Layers(ReportNetwork n, NetworkAnalysis a)
        {
            Dictionary<int, int> anchors = AnchorRows(a);
            var atRow = new Dictionary<int, List<ReportDiagnostic>>();
            var unplaced = new List<ReportDiagnostic>();
            foreach (ReportDiagnostic d in n.Diagnostics)
            {
                if (d.TopLayer >= 0 && anchors.TryGetValue(d.TopLayer, out int row))
                {
                    if (!atRow.TryGetValue(row, out List<ReportDiagnostic>? list)) atRow[row] = list = new List<ReportDiagnostic>();
                    list.Add(d);
                }
                else unplaced.Add(d);
            }
            foreach (ReportDiagnostic d in unplaced.Where(d => d.TopLayer < 0)) Inline(d);

            var branchOf = new Dictionary<int, int>();
            foreach (LayerInfo l in a.Layers)
            {
                float indent = Math.Min(60, 12 * l.Depth);
                if (l.Parent >= 0 && (!branchOf.TryGetValue(l.Parent, out int previous) || previous != l.Branch))
                {
                    branchOf[l.Parent] = l.Branch;
                    if (PartLabel(a.Layers[l.Parent], l.Branch) is { } label) _layout.Paragraph(label, _small, indent: indent, after: 2);
                }
                string heading = $"{l.Index + 1}. {l.Name} · {Describe(l)}";
                string io = _t.F(_t.InputOutput, ShapeMath.Format(l.InputShape), l.OutputShape.Count == 0 ? "?" : ShapeMath.Format(l.OutputShape));
                List<FormulaLine> formulas = LayerFormulas.For(a, l, _t);
                float height = _layout.Measure(heading, _h3, indent) + _layout.Measure(io, _small, indent)
                    + formulas.Sum(f => _layout.Measure(f.Label + ": " + f.Text, _body, indent + 10));
                _layout.EnsureRoom(Math.Min(height + 6, 260));
                _layout.Paragraph(heading, _h3, indent, after: 1);
                _layout.Paragraph(io, _small, indent, after: 1);
                foreach (FormulaLine f in formulas) _layout.Paragraph(f.Label + ": " + f.Text, _body, indent + 10, after: 1);
                _layout.Space(5);
                if (atRow.TryGetValue(l.Index, out List<ReportDiagnostic>? here))
                    foreach (ReportDiagnostic d in here) Inline(d);
            }
            if (a.HasErrors && anchors.Count < a.Declaration.Layers.Count)
            {
                string last = a.Layers.Count > 0 ? a.Layers[a.Layers.Count - 1].Name : _t.InputRow;
                _layout.Paragraph(_t.F(_t.StoppedHere, last), _body, after: 3);
            }
            foreach (ReportDiagnostic d in unplaced.Where(d => d.TopLayer >= 0)) Inline(d);
        }

        private string Severity(Rule r) => r.Severity switch
        {
            RuleSeverity.Error => _t.Error,
            RuleSeverity.Warning => _t.Warning,
            _ => _t.Info,
        };

        private static SKColor ColourOf(Rule r) => r.Severity switch
        {
            RuleSeverity.Error => ErrorColour,
            RuleSeverity.Warning => WarningColour,
            _ => InfoColour,
        };

        /// <summary>A diagnostic where it occurs: its message, with the numbers and the fix.</summary>
        private void Inline(ReportDiagnostic d)
        {
            var style = new TextStyle(Face.Bold, 8.4f, ColourOf(d.Rule));
            string title = $"{Severity(d.Rule)} {d.Rule.Id}: {Strings.Get(d.Rule.TitleKey, _t.Culture)}";
            string message = d.Message(_t.Culture);
            _layout.EnsureRoom(style.LineHeight + _layout.Measure(message, _body, 10));
            _layout.Paragraph(title, style, indent: 8, after: 1, bar: ColourOf(d.Rule));
            _layout.Paragraph(message, _body, indent: 8, after: 6, bar: ColourOf(d.Rule));
        }

        // ---- diagnostics -------------------------------------------------------------------------------

        private void Diagnostics(ReportNetwork n)
        {
            if (n.Diagnostics.Count == 0)
            {
                _layout.Paragraph(_t.NoDiagnostics, _body);
                return;
            }
            _layout.Paragraph(_t.DiagnosticsIntro, _small, after: 6);
            foreach (ReportDiagnostic d in n.Diagnostics)
            {
                SKColor colour = ColourOf(d.Rule);
                string title = $"{Severity(d.Rule)} {d.Rule.Id}: {Strings.Get(d.Rule.TitleKey, _t.Culture)}";
                string message = d.Message(_t.Culture);
                string explanation = _t.Explanation + Strings.Get(d.Rule.DescriptionKey, _t.Culture);
                _layout.EnsureRoom(_label.LineHeight * 2 + _layout.Measure(message, _body, 10) + _layout.Measure(explanation, _body, 10));
                _layout.Paragraph(title, new TextStyle(Face.Bold, 9f, colour), indent: 8, after: 1, bar: colour);
                if (d.Where.Length > 0) _layout.Paragraph(_t.F(_t.Where, d.Where), _small, indent: 8, after: 1, bar: colour);
                _layout.Paragraph(message, _body, indent: 8, after: 2, bar: colour);
                _layout.Paragraph(explanation, _body, indent: 8, after: 2, bar: colour);
                if (d.Fix.Count > 0) _layout.Paragraph(_t.CodeFix, _body, indent: 8, after: 2, bar: colour);
                _layout.Paragraph(_t.F(_t.HelpPage, d.Rule.HelpLink), _small, indent: 8, after: 8, bar: colour);
            }
        }

        // ---- concepts ----------------------------------------------------------------------------------

        /// <summary>Every layer kind the network declares, its blocks' included (also those an error kept from being expanded).</summary>
        private static HashSet<LayerKind> KindsOf(NetworkAnalysis a)
        {
            var kinds = new HashSet<LayerKind>(a.Layers.Select(l => l.Kind));
            foreach (LayerDeclaration l in a.Declaration.Layers) kinds.Add(l.Kind);
            foreach (BlockDeclaration b in a.Declaration.Blocks) foreach (LayerDeclaration l in b.Layers) kinds.Add(l.Kind);
            return kinds;
        }

        private void Concepts(NetworkAnalysis a)
        {
            HashSet<LayerKind> kinds = KindsOf(a);
            bool spatial = kinds.Any(LayerKinds.IsSpatial);
            bool conv = kinds.Contains(LayerKind.Conv) || kinds.Contains(LayerKind.DepthwiseConv);
            var concepts = new List<Concept>();
            void Add(bool when, Concept c) { if (when) concepts.Add(c); }
            Add(conv, _t.Convolution);
            Add(conv, _t.Hyperparameters);
            Add(a.Layers.Any(l => l.Kind == LayerKind.Conv && l.Groups > 1) || a.Declaration.Layers.Concat(a.Declaration.Blocks.SelectMany(b => b.Layers)).Any(l => l.Groups > 1), _t.GroupedConvolution);
            Add(kinds.Contains(LayerKind.DepthwiseConv), _t.DepthwiseConvolution);
            Add(spatial, _t.Padding);
            Add(spatial, _t.Divisibility);
            Add(kinds.Contains(LayerKind.MaxPool) || kinds.Contains(LayerKind.AvgPool), _t.Pooling);
            Add(kinds.Contains(LayerKind.GlobalAvgPool) || kinds.Contains(LayerKind.GlobalMaxPool), _t.GlobalPooling);
            Add(kinds.Contains(LayerKind.Flatten), _t.Flatten);
            Add(kinds.Contains(LayerKind.Dense), _t.Dense);
            Add(kinds.Contains(LayerKind.BatchNorm), _t.BatchNorm);
            Add(kinds.Contains(LayerKind.Dropout), _t.Dropout);
            Add(kinds.Contains(LayerKind.Upsample), _t.Upsample);
            Add(kinds.Contains(LayerKind.ZeroPad), _t.ZeroPad);
            foreach (Concept c in concepts) Explain(c);

            foreach ((LayerKind kind, Concept c) in Activations())
            {
                if (!kinds.Contains(kind) && !(kind == LayerKind.ReLU && a.Layers.Any(l => l.Kind == LayerKind.Residual && l.ReLU))) continue;
                float alpha = a.Layers.FirstOrDefault(l => l.Kind == kind)?.Alpha ?? (kind == LayerKind.LeakyReLU ? 0.01f : 1f);
                Explain(c);
                Curve(kind, alpha);
            }

            concepts.Clear();
            Add(spatial, _t.ReceptiveField);
            Add(true, _t.ParametersAndMacs);
            Add(true, _t.Memory);
            Add(kinds.Any(LayerKinds.IsBlockUse), _t.Blocks);
            Add(kinds.Contains(LayerKind.Residual), _t.Residual);
            Add(kinds.Contains(LayerKind.Concat), _t.Concat);
            Add(kinds.Contains(LayerKind.Multiply), _t.Multiply);
            foreach (Concept c in concepts) Explain(c);
        }

        private IEnumerable<(LayerKind, Concept)> Activations() => new[]
        {
            (LayerKind.ReLU, _t.ReLU), (LayerKind.LeakyReLU, _t.LeakyReLU), (LayerKind.ELU, _t.ELU), (LayerKind.Sigmoid, _t.Sigmoid),
            (LayerKind.Tanh, _t.Tanh), (LayerKind.Softmax, _t.Softmax), (LayerKind.ReLU6, _t.ReLU6), (LayerKind.HardSigmoid, _t.HardSigmoid),
            (LayerKind.HardSwish, _t.HardSwish), (LayerKind.SiLU, _t.SiLU),
        };

        private void Explain(Concept c)
        {
            _layout.EnsureRoom(_h3.LineHeight + _layout.Measure(c.Body, _body));
            _layout.Paragraph(c.Title, _h3, after: 1);
            _layout.Paragraph(c.Body, _body, after: 6);
        }

        /// <summary>The activation's curve over z in [-5, 5], computed by the kernels' own function.</summary>
        private void Curve(LayerKind kind, float alpha)
        {
            const int samples = 161;
            var z = new float[samples];
            var g = new float[samples];
            for (int i = 0; i < samples; i++)
            {
                z[i] = -5f + 10f * i / (samples - 1);
                g[i] = Evaluate(kind, z[i], alpha);
            }
            float min = Math.Min(0, g.Min()), max = Math.Max(1, g.Max());
            string caption = _t.F(_t.CurveCaption, LayerFormulas.Function(kind, alpha.ToString("R", CultureInfo.InvariantCulture)));
            var axis = new TextStyle(Face.Mono, 6f, Muted);
            var captionStyle = new TextStyle(Face.Mono, 7.4f, Ink);
            _layout.Drawing(96, (canvas, left, top) =>
            {
                float w = 170, h = 80, x0 = left + 22, y0 = top + 4;
                float X(float v) => x0 + (v + 5f) / 10f * w;
                float Y(float v) => y0 + h - (v - min) / (max - min) * h;
                using var grid = new SKPaint { Color = new SKColor(0xDD, 0xE2, 0xEA), StrokeWidth = 0.4f, Style = SKPaintStyle.Stroke };
                using var axes = new SKPaint { Color = Muted, StrokeWidth = 0.7f, Style = SKPaintStyle.Stroke, IsAntialias = true };
                using var curve = new SKPaint { Color = Accent, StrokeWidth = 1.4f, Style = SKPaintStyle.Stroke, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
                canvas.DrawRect(SKRect.Create(x0, y0, w, h), grid);
                for (int v = -4; v <= 4; v++) canvas.DrawLine(X(v), y0, X(v), y0 + h, grid);
                canvas.DrawLine(x0, Y(0), x0 + w, Y(0), axes);
                canvas.DrawLine(X(0), y0, X(0), y0 + h, axes);
                using var path = new SKPath();
                for (int i = 0; i < samples; i++)
                {
                    if (i == 0) path.MoveTo(X(z[i]), Y(g[i]));
                    else path.LineTo(X(z[i]), Y(g[i]));
                }
                canvas.DrawPath(path, curve);
                TextPainter p = _layout.Painter;
                p.Draw(canvas, "-5", x0 - 3, y0 + h + 7, axis);
                p.Draw(canvas, "5", x0 + w - 3, y0 + h + 7, axis);
                p.Draw(canvas, "z", x0 + w + 3, Y(0) + 2, axis);
                string top_ = max.ToString("0.##", CultureInfo.InvariantCulture), bottom = min.ToString("0.##", CultureInfo.InvariantCulture);
                p.Draw(canvas, top_, x0 - 4 - p.Measure(top_, axis), y0 + 4, axis);
                p.Draw(canvas, bottom, x0 - 4 - p.Measure(bottom, axis), y0 + h, axis);
                p.Draw(canvas, caption, x0 + w + 18, y0 + h / 2, captionStyle);
            });
        }

        private static float Evaluate(LayerKind kind, float z, float alpha)
        {
            if (kind == LayerKind.Softmax)
            {
                Span<float> y = stackalloc float[2];
                CnnGen.Kernels.Activations.Softmax(new[] { z, 0f }, y, 2);
                return y[0];
            }
            Activation a = kind switch
            {
                LayerKind.ReLU => Activation.ReLU,
                LayerKind.LeakyReLU => Activation.LeakyReLU,
                LayerKind.ELU => Activation.ELU,
                LayerKind.Sigmoid => Activation.Sigmoid,
                LayerKind.Tanh => Activation.Tanh,
                LayerKind.ReLU6 => Activation.ReLU6,
                LayerKind.HardSigmoid => Activation.HardSigmoid,
                LayerKind.HardSwish => Activation.HardSwish,
                LayerKind.SiLU => Activation.SiLU,
                _ => Activation.None,
            };
            return CnnGen.Kernels.Activations.Apply(z, a, alpha);
        }
    }
}

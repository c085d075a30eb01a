using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CnnGen.Shapes
{
    /// <summary>
    /// The layer table of a network (name, kind, output shape, padding, parameters, receptive field, MACs) as a tree:
    /// the layers inside a block use are indented under it, a shortcut or a further branch starts with a label row.
    /// </summary>
    internal static class SummaryWriter
    {
        private static readonly string[] Headers = { "#", "name", "layer", "output", "padding", "params", "receptive field", "MACs" };

        /// <summary>The table as rows of cells, the header first; the same rows feed the text and the XML doc.</summary>
        public static List<string[]> Rows(NetworkAnalysis analysis)
        {
            var rows = new List<string[]> { Headers };
            rows.Add(new[] { "", "input", "", ShapeMath.Format(analysis.InputShape), "", "", "", "" });
            foreach (LayerInfo l in analysis.Layers)
            {
                string indent = new string(' ', 2 * l.Depth);
                if (BranchLabel(analysis, l) is { } label)
                    rows.Add(new[] { "", indent + label, "", "", "", "", "", "" });
                string Sum(long v) => l.IsBlockUse ? "(" + ShapeMath.Number(v) + ")" : ShapeMath.Number(v);
                rows.Add(new[]
                {
                    (l.Index + 1).ToString(CultureInfo.InvariantCulture),
                    indent + l.Name,
                    Describe(l),
                    ShapeMath.Format(l.OutputShape),
                    PaddingText(l),
                    Sum(l.Parameters),
                    l.ReceptiveField.Count == 0 ? "whole input" : string.Join("x", l.ReceptiveField.Select(v => v.ToString(CultureInfo.InvariantCulture))),
                    Sum(l.Macs),
                });
            }
            return rows;
        }

        /// <summary>
        /// "(shortcut: Project32)" before the first row of a Residual's shortcut, "(branch 2: Tower)" before each branch
        /// of a Concat; null for any other row.
        /// </summary>
        private static string? BranchLabel(NetworkAnalysis analysis, LayerInfo l)
        {
            if (l.Parent < 0) return null;
            LayerInfo parent = analysis.Layers[l.Parent];
            if (!FirstOfBranch(analysis, l)) return null;
            return parent.Kind switch
            {
                LayerKind.Residual when l.Branch == 1 => $"(shortcut: {parent.BlockNames[1]})",
                LayerKind.Concat => $"(branch {l.Branch + 1}: {parent.BlockNames[l.Branch]})",
                _ => null,
            };
        }

        /// <summary>Whether <paramref name="l"/> is the first row of its branch of its parent.</summary>
        private static bool FirstOfBranch(NetworkAnalysis analysis, LayerInfo l)
        {
            for (int i = l.Index - 1; i > l.Parent; i--)
                if (analysis.Layers[i].Parent == l.Parent) return analysis.Layers[i].Branch != l.Branch;
            return true;
        }

        public static string Totals(NetworkAnalysis analysis) =>
            $"{ShapeMath.Number(analysis.ParameterCount)} parameters, {ShapeMath.Number(analysis.Macs)} multiply-accumulates per sample, " +
            $"peak activation memory {Memory(ActivationMemory.Peak(analysis))}";

        /// <summary>A number of floats with its size in bytes: "49,152 floats (192 KiB)".</summary>
        public static string Memory(long floats)
        {
            double bytes = floats * 4.0;
            string size = bytes < 1024 ? $"{bytes:0} B" : bytes < 1024 * 1024 ? $"{bytes / 1024:0.#} KiB" : $"{bytes / (1024 * 1024):0.#} MiB";
            return $"{ShapeMath.Number(floats)} floats ({size.Replace(',', '.')})";
        }

        /// <summary>The whole summary as aligned plain text.</summary>
        public static string Text(string title, NetworkAnalysis analysis)
        {
            List<string[]> rows = Rows(analysis);
            var widths = new int[Headers.Length];
            foreach (string[] row in rows)
                for (int c = 0; c < row.Length; c++) widths[c] = Math.Max(widths[c], row[c].Length);
            var sb = new StringBuilder();
            sb.Append(title).Append(": ").Append(ShapeMath.Format(analysis.InputShape)).Append(" -> ")
              .Append(ShapeMath.Format(analysis.OutputShape)).Append(", ").Append(Totals(analysis)).Append('\n');
            foreach (string[] row in rows)
            {
                var line = new StringBuilder();
                for (int c = 0; c < row.Length; c++)
                {
                    bool right = c == 0 || c == 5 || c == 7;
                    line.Append(right ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
                    if (c < row.Length - 1) line.Append("  ");
                }
                sb.Append(line.ToString().TrimEnd()).Append('\n');
            }
            return sb.ToString();
        }

        public static string Describe(LayerInfo l)
        {
            string window = string.Join("x", l.Kernel);
            string stride = l.Strides.Distinct().Count() == 1 ? l.Strides[0].ToString(CultureInfo.InvariantCulture) : string.Join("x", l.Strides);
            string dilation = l.Dilations.Any(v => v != 1) ? " dilation " + string.Join("x", l.Dilations) : "";
            string F(float v) => v.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
            return l.Kind switch
            {
                LayerKind.Conv => $"Conv {l.OutputShape[0]}@{window} stride {stride}{dilation}{(l.Groups > 1 ? " groups " + l.Groups : "")}{(l.Bias ? "" : " no bias")}",
                LayerKind.DepthwiseConv => $"DepthwiseConv {(l.OutputShape[0] == l.InputShape[0] ? "" : "x" + l.OutputShape[0] / l.InputShape[0] + " ")}{window} stride {stride}{dilation}{(l.Bias ? "" : " no bias")}",
                LayerKind.MaxPool or LayerKind.AvgPool => $"{l.Kind} {window} stride {stride}{(l.Kind == LayerKind.AvgPool && l.CountIncludePad ? " incl. pad" : "")}",
                LayerKind.Dense => $"Dense {l.InputLength}->{l.OutputShape[0]}{(l.Bias ? "" : " no bias")}",
                LayerKind.LeakyReLU or LayerKind.ELU => $"{l.Kind}({F(l.Alpha)})",
                LayerKind.Dropout => $"Dropout({F(l.Alpha)})",
                LayerKind.BatchNorm => $"BatchNorm eps {F(l.Epsilon)}",
                LayerKind.Upsample => $"Upsample x{(l.Scale.Distinct().Count() == 1 ? l.Scale[0].ToString(CultureInfo.InvariantCulture) : string.Join("x", l.Scale))}",
                LayerKind.ZeroPad => l.Channels > 0 ? $"ZeroPad +{l.Channels} channels" : "ZeroPad",
                LayerKind.Sequential => $"Sequential {l.BlockNames[0]}",
                LayerKind.Residual => $"Residual {l.BlockNames[0]} + {l.BlockNames[1]}{(l.ReLU ? ", ReLU" : "")}",
                LayerKind.Concat => $"Concat {string.Join(", ", l.BlockNames)}",
                LayerKind.Multiply => $"Multiply by {l.BlockNames[0]}",
                _ => LayerKinds.AttributeName(l.Kind),
            };
        }

        public static string PaddingText(LayerInfo l)
        {
            if (l.PadsBegin.Count == 0) return "";
            string mode = l.Kind == LayerKind.ZeroPad ? "" : l.Padding.ToString();
            if (mode == "Explicit") mode = "explicit";
            if (l.PadsBegin.All(p => p == 0) && l.PadsEnd.All(p => p == 0)) return mode == "explicit" ? "explicit 0" : mode;
            bool uniform = l.PadsBegin.Distinct().Count() == 1 && l.PadsEnd.Distinct().Count() == 1;
            string pads = uniform
                ? $"{l.PadsBegin[0]}/{l.PadsEnd[0]}"
                : $"{string.Join(",", l.PadsBegin)}/{string.Join(",", l.PadsEnd)}";
            return (mode + " " + pads).TrimStart();
        }
    }
}

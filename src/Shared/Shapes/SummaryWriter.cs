using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CnnGen.Shapes
{
    /// <summary>The layer table of a network (name, kind, output shape, padding, parameters, receptive field, MACs).</summary>
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
                rows.Add(new[]
                {
                    (l.Index + 1).ToString(CultureInfo.InvariantCulture),
                    l.Name,
                    Describe(l),
                    ShapeMath.Format(l.OutputShape),
                    PaddingText(l),
                    ShapeMath.Number(l.Parameters),
                    l.ReceptiveField.Count == 0 ? "whole input" : string.Join("x", l.ReceptiveField.Select(v => v.ToString(CultureInfo.InvariantCulture))),
                    ShapeMath.Number(l.Macs),
                });
            }
            return rows;
        }

        public static string Totals(NetworkAnalysis analysis) =>
            $"{ShapeMath.Number(analysis.ParameterCount)} parameters, {ShapeMath.Number(analysis.Macs)} multiply-accumulates per sample";

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
            return l.Kind switch
            {
                LayerKind.Conv => $"Conv {l.OutputShape[0]}@{window} stride {stride}{dilation}{(l.Bias ? "" : " no bias")}",
                LayerKind.MaxPool or LayerKind.AvgPool => $"{l.Kind} {window} stride {stride}{(l.Kind == LayerKind.AvgPool && l.CountIncludePad ? " incl. pad" : "")}",
                LayerKind.Dense => $"Dense {l.InputLength}->{l.OutputShape[0]}{(l.Bias ? "" : " no bias")}",
                LayerKind.LeakyReLU or LayerKind.ELU => $"{l.Kind}({l.Alpha.ToString("R", CultureInfo.InvariantCulture)})",
                LayerKind.BatchNorm => $"BatchNorm eps {l.Epsilon.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e')}",
                _ => LayerKinds.AttributeName(l.Kind),
            };
        }

        public static string PaddingText(LayerInfo l)
        {
            if (l.Kernel.Count == 0) return "";
            string mode = l.Padding.ToString();
            if (mode == "Explicit") mode = "explicit";
            if (l.PadsBegin.All(p => p == 0) && l.PadsEnd.All(p => p == 0)) return mode == "explicit" ? "explicit 0" : mode;
            bool uniform = l.PadsBegin.Distinct().Count() == 1 && l.PadsEnd.Distinct().Count() == 1;
            string pads = uniform
                ? $"{l.PadsBegin[0]}/{l.PadsEnd[0]}"
                : $"{string.Join(",", l.PadsBegin)}/{string.Join(",", l.PadsEnd)}";
            return mode + " " + pads;
        }
    }
}

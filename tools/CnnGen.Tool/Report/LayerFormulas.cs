using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Tool.Report
{
    /// <summary>One worked formula of a layer: what it computes (output size along H, W; parameters; ...) and the formula with the numbers.</summary>
    internal sealed record FormulaLine(string Label, string Text);

    /// <summary>
    /// The formulas of SPEC for one row of the analysis, written out with the row's own numbers. Every result is the
    /// checker's (the row's shapes, parameters, receptive field, MACs) and every intermediate value comes from
    /// <see cref="ShapeMath"/>: the report shows the arithmetic, it does not redo it another way.
    /// </summary>
    internal static class LayerFormulas
    {
        private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

        private static string N(double v) => Math.Abs(v - Math.Round(v)) < 1e-9
            ? ((long)Math.Round(v)).ToString(CultureInfo.InvariantCulture)
            : v.ToString("0.###", CultureInfo.InvariantCulture);

        /// <summary>The receptive field of tensor <paramref name="tensor"/> along dimension <paramref name="k"/>; null when it is the whole input.</summary>
        private static long? FieldOf(NetworkAnalysis a, int tensor, int k)
        {
            int producer = a.Tensors[tensor].Producer;
            if (producer < 0) return 1;
            EquatableArray<long> field = a.Layers[producer].ReceptiveField;
            return field.Count > k ? field[k] : null;
        }

        /// <summary>Dimensions with the same numbers are written once: "H, W".</summary>
        private static List<(string Dims, int K)> Groups<T>(int d, Func<int, T> key)
        {
            var groups = new List<(List<int> Dims, T Key)>();
            for (int k = 0; k < d; k++)
            {
                T value = key(k);
                int g = groups.FindIndex(x => EqualityComparer<T>.Default.Equals(x.Key, value));
                if (g >= 0) groups[g].Dims.Add(k);
                else groups.Add((new List<int> { k }, value));
            }
            return groups.Select(g => (string.Join(", ", g.Dims.Select(k => ShapeMath.DimensionName(d, k))), g.Dims[0])).ToList();
        }

        private static string Label(string what, string dims) => dims.Length == 0 ? what : what + " (" + dims + ")";

        public static List<FormulaLine> For(NetworkAnalysis a, LayerInfo l, ReportText t)
        {
            var lines = new List<FormulaLine>();
            if (l.OutputShape.Count == 0) return lines; // not computed: an error stopped the inference here
            switch (l.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.DepthwiseConv:
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                    Spatial(a, l, t, lines);
                    break;
                case LayerKind.Dense:
                {
                    long nIn = ShapeMath.Product(l.InputShape);
                    string from = l.InputShape.Count > 1 ? " = " + string.Join("*", l.InputShape) : "";
                    lines.Add(new(t.ChannelsLabel, $"N_in = {N(nIn)}{from}, N_out = {N(l.OutputShape[0])}"));
                    string formula = l.Bias ? $"(N_in + 1)*N_out = ({N(nIn)} + 1)*{N(l.OutputShape[0])}" : $"N_in*N_out = {N(nIn)}*{N(l.OutputShape[0])}";
                    lines.Add(new(t.ParametersLabel, formula + " = " + N(l.Parameters) + (l.Bias ? "" : t.NoBias)));
                    lines.Add(new(t.MacsLabel, $"N_in*N_out = {N(nIn)}*{N(l.OutputShape[0])} = {N(l.Macs)}"));
                    lines.Add(new(t.FieldLabel, t.FieldWhole));
                    break;
                }
                case LayerKind.Flatten:
                    lines.Add(new(t.OutputLabel, t.F(t.FlattenLine, string.Join("*", l.InputShape), N(l.OutputShape[0]))));
                    lines.Add(new(t.FieldLabel, t.FieldWhole));
                    break;
                case LayerKind.GlobalAvgPool:
                case LayerKind.GlobalMaxPool:
                {
                    var spatial = l.InputShape.Skip(1).ToArray();
                    lines.Add(new(t.OutputLabel, t.F(t.GlobalPoolLine, N(l.InputShape[0]), l.Kind == LayerKind.GlobalAvgPool ? t.Average : t.Maximum,
                        string.Join("*", spatial), N(ShapeMath.Product(spatial)))));
                    lines.Add(new(t.FieldLabel, t.FieldWhole));
                    break;
                }
                case LayerKind.BatchNorm:
                    lines.Add(new(t.OutputLabel, t.F(t.BatchNormLine, l.Epsilon.ToString("R", CultureInfo.InvariantCulture))));
                    lines.Add(new(t.ParametersLabel, $"4*C = 4*{N(l.InputShape[0])} = {N(l.Parameters)} (scale, bias, mean, variance)"));
                    AddSameField(a, l, t, lines);
                    break;
                case LayerKind.Softmax:
                    lines.Add(new(t.OutputLabel, t.F(t.SoftmaxLine, N(ShapeMath.Product(l.InputShape)))));
                    AddSameField(a, l, t, lines);
                    break;
                case LayerKind.Dropout:
                    lines.Add(new(t.OutputLabel, t.F(t.DropoutLine, l.Alpha.ToString("R", CultureInfo.InvariantCulture))));
                    AddSameField(a, l, t, lines);
                    break;
                case LayerKind.Upsample:
                    foreach ((string dims, int k) in Groups(l.Scale.Count, k => (l.Scale[k], l.InputShape[k + 1])))
                        lines.Add(new(Label(t.OutputLabel, dims), t.F(t.UpsampleLine, N(l.Scale[k]), N(l.InputShape[k + 1]), N(l.OutputShape[k + 1]))));
                    AddSameField(a, l, t, lines);
                    break;
                case LayerKind.ZeroPad:
                    foreach ((string dims, int k) in Groups(l.PadsBegin.Count, k => (l.InputShape[k + 1], l.PadsBegin[k], l.PadsEnd[k])))
                        lines.Add(new(Label(t.OutputLabel, dims),
                            $"O = I + P_start + P_end = {N(l.InputShape[k + 1])} + {N(l.PadsBegin[k])} + {N(l.PadsEnd[k])} = {N(l.OutputShape[k + 1])}"));
                    if (l.Channels > 0)
                        lines.Add(new(t.ChannelsLabel, $"C + Z = {N(l.InputShape[0])} + {N(l.Channels)} = {N(l.OutputShape[0])}"));
                    AddSameField(a, l, t, lines);
                    break;
                case LayerKind.Sequential:
                case LayerKind.Residual:
                case LayerKind.Concat:
                case LayerKind.Multiply:
                    Use(a, l, t, lines);
                    break;
                default:
                    lines.Add(new(t.OutputLabel, t.F(t.ElementWise, Function(l), N(ShapeMath.Product(l.InputShape)))));
                    AddSameField(a, l, t, lines);
                    break;
            }
            return lines;
        }

        /// <summary>g(z) of an element-wise layer, as SPEC writes it, with the layer's own constants.</summary>
        public static string Function(LayerInfo l)
        {
            string alpha = l.Alpha.ToString("R", CultureInfo.InvariantCulture);
            return Function(l.Kind, alpha);
        }

        public static string Function(LayerKind kind, string alpha) => kind switch
        {
            LayerKind.ReLU => "max(0, z)",
            LayerKind.LeakyReLU => $"max({alpha}*z, z)",
            LayerKind.ELU => $"z > 0 ? z : {alpha}*(e^z - 1)",
            LayerKind.Sigmoid => "1 / (1 + e^-z)",
            LayerKind.Tanh => "tanh(z)",
            LayerKind.ReLU6 => "min(max(0, z), 6)",
            LayerKind.HardSigmoid => "max(0, min(1, z/6 + 1/2))",
            LayerKind.HardSwish => "z * max(0, min(1, z/6 + 1/2))",
            LayerKind.SiLU => "z * sigmoid(z) = z / (1 + e^-z)",
            LayerKind.Softmax => "e^(z_i - max) / sum_j e^(z_j - max)",
            _ => "z",
        };

        private static void AddSameField(NetworkAnalysis a, LayerInfo l, ReportText t, List<FormulaLine> lines)
        {
            if (l.ReceptiveField.Count == 0) { lines.Add(new(t.FieldLabel, t.FieldWhole)); return; }
            if (l.Kind == LayerKind.Upsample)
            {
                lines.Add(new(t.FieldLabel, "R = " + string.Join("x", l.ReceptiveField)));
                return;
            }
            lines.Add(new(t.FieldLabel, t.F(t.FieldSame, string.Join("x", l.ReceptiveField))));
        }

        /// <summary>Convolutions and pooling: kernel, padding, output size, receptive field per group of dimensions; parameters, MACs.</summary>
        private static void Spatial(NetworkAnalysis a, LayerInfo l, ReportText t, List<FormulaLine> lines)
        {
            int d = l.Kernel.Count;
            int input = l.Inputs[0];
            bool conv = LayerKinds.IsConv(l.Kind);
            foreach ((string dims, int k) in Groups(d, k => (l.InputShape[k + 1], l.Kernel[k], l.Strides[k], l.Dilations[k], l.PadsBegin[k], l.PadsEnd[k],
                         FieldOf(a, input, k), l.InputJump.Count > k ? l.InputJump[k] : 0, l.ReceptiveField.Count > k ? l.ReceptiveField[k] : 0)))
            {
                long i = l.InputShape[k + 1], f = l.Kernel[k], s = l.Strides[k], dil = l.Dilations[k];
                long fe = ShapeMath.EffectiveKernel(f, dil);
                long ps = l.PadsBegin[k], pe = l.PadsEnd[k];
                if (dil != 1) lines.Add(new(Label(t.KernelLabel, dims), t.F(t.Dilated, N(dil), N(f), N(fe))));

                string padding = l.Padding switch
                {
                    PaddingMode.Valid => t.ValidPadding,
                    PaddingMode.Same => SamePadding(t, i, fe, s, ps, pe),
                    PaddingMode.Full => t.F(t.FullPadding, N(fe), N(fe - 1)),
                    _ => t.F(t.ExplicitPadding, N(ps), N(pe)),
                };
                lines.Add(new(Label(t.PaddingLabel, dims), padding));

                long numerator = ShapeMath.Numerator(i, fe, ps, pe);
                long o = l.OutputShape[k + 1];
                string terms = $"({N(i)} - {N(fe)} + {N(ps)} + {N(pe)})";
                string output = ShapeMath.Remainder(i, fe, s, ps, pe) == 0
                    ? $"O = (I - F + P_start + P_end) / S + 1 = {terms} / {N(s)} + 1 = {N(o)}"
                    : $"O = floor((I - F + P_start + P_end) / S) + 1 = floor({terms} / {N(s)}) + 1 = floor({N(numerator)} / {N(s)}) + 1 = {N(o)}; "
                      + t.F(t.Floored, N(ShapeMath.Remainder(i, fe, s, ps, pe)));
                lines.Add(new(Label(t.OutputLabel, dims), output));

                if (l.ReceptiveField.Count > k && FieldOf(a, input, k) is { } before && l.InputJump.Count > k)
                    lines.Add(new(Label(t.FieldLabel, dims),
                        $"R = R_in + (F - 1)*J_in = {N(before)} + ({N(fe)} - 1)*{N(l.InputJump[k])} = {N(l.ReceptiveField[k])}"));
                else
                    lines.Add(new(Label(t.FieldLabel, dims), t.FieldWhole));
            }

            if (!conv)
            {
                lines.Add(new(t.ParametersLabel, t.PoolNoWeights));
                lines.Add(new(t.MacsLabel, t.PoolNoMacs));
                return;
            }
            string fSymbols = l.Kernel.Distinct().Count() == 1
                ? string.Join("*", Enumerable.Repeat("F", d))
                : string.Join("*", Enumerable.Range(0, d).Select(k => "F_" + ShapeMath.DimensionName(d, k)));
            string kernel = string.Join("*", l.Kernel);
            long c = l.InputShape[0], g = l.Groups, kOut = l.OutputShape[0];
            string cSymbol = g > 1 ? "C/G" : "C";
            string cValue = g > 1 ? $"{N(c)}/{N(g)}" : N(c);
            string parameters = l.Bias
                ? $"({fSymbols}*{cSymbol} + 1)*K = ({kernel}*{cValue} + 1)*{N(kOut)} = {N(l.Parameters)}"
                : $"{fSymbols}*{cSymbol}*K = {kernel}*{cValue}*{N(kOut)} = {N(l.Parameters)}" + t.NoBias;
            lines.Add(new(t.ParametersLabel, parameters));
            string positions = "(" + string.Join("*", l.OutputShape.Skip(1)) + ")";
            string window = "(" + kernel + "*" + N(c / g) + ")";
            lines.Add(new(t.MacsLabel, t.F(t.ConvMacs, positions, N(kOut), window, N(l.Macs))));
        }

        /// <summary>Same padding: the total S*ceil(I/S) - I + F - S with the numbers (clamped at 0), then the split the checker made.</summary>
        private static string SamePadding(ReportText t, long i, long f, long s, long ps, long pe)
        {
            long raw = s * ShapeMath.CeilDiv(i, s) - i + f - s;
            string total = $"{N(s)}*ceil({N(i)}/{N(s)}) - {N(i)} + {N(f)} - {N(s)} = {N(raw)}" + (raw < 0 ? t.Clamped + " = 0" : "");
            return t.F(t.SamePadding, total, N(ps), N(pe));
        }

        /// <summary>A block use: what it computes from its parts, and its totals as the sums of the layers inside.</summary>
        private static void Use(NetworkAnalysis a, LayerInfo l, ReportText t, List<FormulaLine> lines)
        {
            string Shape(int tensor) => ShapeMath.Format(a.Tensors[tensor].Shape);
            switch (l.Kind)
            {
                case LayerKind.Residual:
                    lines.Add(new(t.OutputLabel, t.F(t.ResidualLine, l.BlockNames[0], l.BlockNames[1] == "Identity" ? t.Identity : l.BlockNames[1],
                        l.ReLU ? t.ThenReLU : "", Shape(l.Inputs[0]), Shape(l.Inputs[1]), ShapeMath.Format(l.OutputShape))));
                    break;
                case LayerKind.Concat:
                    lines.Add(new(t.OutputLabel, t.F(t.ConcatLine, string.Join(" + ", l.Inputs.Select(p => N(a.Tensors[p].Shape[0]))),
                        N(l.OutputShape[0]), string.Join("x", l.OutputShape.Skip(1)))));
                    break;
                case LayerKind.Multiply:
                {
                    EquatableArray<int> gate = a.Tensors[l.Inputs[1]].Shape;
                    lines.Add(new(t.OutputLabel, t.F(t.MultiplyLine, l.BlockNames[0], Shape(l.Inputs[0]), ShapeMath.Format(gate),
                        gate.Count == 1 && l.OutputShape.Count > 1 ? t.Broadcast : t.SameShape)));
                    break;
                }
                default:
                    lines.Add(new(t.OutputLabel, t.F(t.SequentialLine, l.BlockNames[0])));
                    break;
            }
            List<LayerInfo> parts = a.Layers.Where(r => r.Parent == l.Index).ToList();
            string Sum(Func<LayerInfo, long> value, long total)
            {
                List<long> terms = parts.GroupBy(r => r.Branch).Select(b => b.Aggregate(0L, (s, r) => ShapeMath.SaturatingAdd(s, value(r)))).ToList();
                return terms.Count > 1 ? string.Join(" + ", terms.Select(v => N(v))) + " = " + N(total) : N(total);
            }
            lines.Add(new(t.ParametersLabel, t.F(t.SumOfParts, Sum(r => r.Parameters, l.Parameters))));
            lines.Add(new(t.MacsLabel, t.F(t.SumOfParts, Sum(r => r.Macs, l.Macs))));
            if (l.ReceptiveField.Count == 0)
            {
                lines.Add(new(t.FieldLabel, t.FieldWhole));
                return;
            }
            if (l.Kind == LayerKind.Sequential)
            {
                lines.Add(new(t.FieldLabel, "R = " + string.Join("x", l.ReceptiveField)));
                return;
            }
            var fields = l.Inputs.Select(p => a.Tensors[p].Producer < 0 ? "1" : a.Layers[a.Tensors[p].Producer].ReceptiveField is { Count: > 0 } r
                ? string.Join("x", r) : t.WholeInput);
            lines.Add(new(t.FieldLabel, t.F(t.FieldMerge, string.Join(", ", fields), string.Join("x", l.ReceptiveField))));
        }
    }
}

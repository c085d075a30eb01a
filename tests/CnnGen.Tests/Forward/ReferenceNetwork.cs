using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// A plain reference implementation written straight from SPEC's formulas, in double precision, over the raw
    /// declaration (it resolves padding and output sizes itself; it shares no code with the generator or the
    /// shape engine). Slow and obvious on purpose.
    /// </summary>
    internal static class ReferenceNetwork
    {
        private sealed class Tensor
        {
            public Tensor(int[] shape) { Shape = shape; Data = new double[shape.Aggregate(1, (a, b) => a * b)]; }
            public int[] Shape;
            public double[] Data;
        }

        public static double[] Run(IReadOnlyList<int> inputShape, IReadOnlyList<LayerDeclaration> layers, float[] parameters, ReadOnlySpan<float> input)
        {
            var x = new Tensor(inputShape.ToArray());
            for (int i = 0; i < x.Data.Length; i++) x.Data[i] = input[i];
            int offset = 0;
            double[] Take(int count)
            {
                double[] v = parameters.Skip(offset).Take(count).Select(f => (double)f).ToArray();
                if (v.Length != count) throw new InvalidOperationException("not enough parameters");
                offset += count;
                return v;
            }
            foreach (LayerDeclaration l in layers) x = Apply(l, x, Take);
            if (offset != parameters.Length) throw new InvalidOperationException($"used {offset} of {parameters.Length} parameters");
            return x.Data;
        }

        private static int[] PerDim(EquatableArray<int>? perDim, int? all, int d, int fallback) =>
            perDim is { } p ? p.ToArray() : Enumerable.Repeat(all ?? fallback, d).ToArray();

        private static Tensor Apply(LayerDeclaration l, Tensor x, Func<int, double[]> take)
        {
            int c = x.Shape[0], d = x.Shape.Length - 1, n = x.Data.Length;
            switch (l.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                {
                    bool conv = l.Kind == LayerKind.Conv;
                    int[] f = l.Kernel.Count == 1 ? Enumerable.Repeat(l.Kernel[0], d).ToArray() : l.Kernel.ToArray();
                    int[] s = PerDim(l.Strides, l.Stride, d, conv ? 1 : -1);
                    if (s[0] == -1) s = f;
                    int[] dil = conv ? PerDim(l.Dilations, l.Dilation, d, 1) : Enumerable.Repeat(1, d).ToArray();
                    int[] span = Enumerable.Range(0, d).Select(k => dil[k] * (f[k] - 1) + 1).ToArray();
                    var ps = new int[d];
                    var pe = new int[d];
                    var o = new int[d];
                    for (int k = 0; k < d; k++)
                    {
                        int size = x.Shape[k + 1];
                        if (l.Pads is { } pads) { ps[k] = pads[k]; pe[k] = pads[d + k]; }
                        else if (l.Padding == 1)
                        {
                            // SPEC Same: total S*ceil(I/S) - I + F - S, clamped at 0, the extra cell at the end.
                            int outSize = (size + s[k] - 1) / s[k];
                            int total = Math.Max(0, s[k] * outSize - size + span[k] - s[k]);
                            ps[k] = total / 2;
                            pe[k] = total - total / 2;
                        }
                        else if (l.Padding == 2) { ps[k] = span[k] - 1; pe[k] = span[k] - 1; }
                        o[k] = (int)Math.Floor((size - span[k] + ps[k] + pe[k]) / (double)s[k]) + 1;
                    }
                    int outC = conv ? l.Units!.Value : c;
                    double[] w = conv ? take(outC * c * f.Aggregate(1, (a, b) => a * b)) : Array.Empty<double>();
                    double[] b = conv && l.Bias ? take(outC) : new double[outC];
                    var y = new Tensor(new[] { outC }.Concat(o).ToArray());
                    int window = f.Aggregate(1, (a, b2) => a * b2);
                    foreach (int[] pos in Positions(o))
                    {
                        for (int oc = 0; oc < outC; oc++)
                        {
                            double sum = conv ? b[oc] : 0, best = double.NegativeInfinity;
                            int count = 0;
                            for (int ic = conv ? 0 : oc; ic < (conv ? c : oc + 1); ic++)
                            {
                                foreach (int[] tap in Positions(f))
                                {
                                    var at = new int[d];
                                    bool inside = true;
                                    for (int k = 0; k < d; k++)
                                    {
                                        at[k] = pos[k] * s[k] - ps[k] + tap[k] * dil[k];
                                        inside &= at[k] >= 0 && at[k] < x.Shape[k + 1];
                                    }
                                    if (!inside) continue; // padding: zero for conv, never wins a max, not counted in an average
                                    double v = x.Data[Flat(x.Shape, ic, at)];
                                    if (conv) sum += v * w[Flat(new[] { outC, c }.Concat(f).ToArray(), oc, new[] { ic }.Concat(tap).ToArray())];
                                    else { sum += v; best = Math.Max(best, v); count++; }
                                }
                            }
                            y.Data[Flat(y.Shape, oc, pos)] = l.Kind switch
                            {
                                LayerKind.Conv => sum,
                                LayerKind.MaxPool => best,
                                _ => sum / (l.CountIncludePad ? window : count),
                            };
                        }
                    }
                    return y;
                }
                case LayerKind.GlobalAvgPool:
                case LayerKind.GlobalMaxPool:
                {
                    int plane = n / c;
                    var y = new Tensor(new[] { c });
                    for (int ch = 0; ch < c; ch++)
                    {
                        var values = x.Data.Skip(ch * plane).Take(plane);
                        y.Data[ch] = l.Kind == LayerKind.GlobalAvgPool ? values.Average() : values.Max();
                    }
                    return y;
                }
                case LayerKind.Flatten:
                    return new Tensor(new[] { n }) { Data = x.Data };
                case LayerKind.Dense:
                {
                    int units = l.Units!.Value;
                    double[] w = take(units * n);
                    double[] b = l.Bias ? take(units) : new double[units];
                    var y = new Tensor(new[] { units });
                    for (int j = 0; j < units; j++)
                    {
                        double sum = b[j];
                        for (int i = 0; i < n; i++) sum += w[j * n + i] * x.Data[i];
                        y.Data[j] = sum;
                    }
                    return y;
                }
                case LayerKind.BatchNorm:
                {
                    double[] scale = take(c), bias = take(c), mean = take(c), variance = take(c);
                    var y = new Tensor(x.Shape);
                    int plane = n / c;
                    for (int i = 0; i < n; i++)
                    {
                        int ch = i / plane;
                        y.Data[i] = scale[ch] * (x.Data[i] - mean[ch]) / Math.Sqrt(variance[ch] + l.Epsilon) + bias[ch];
                    }
                    return y;
                }
                case LayerKind.Softmax:
                {
                    double max = x.Data.Max();
                    double[] e = x.Data.Select(v => Math.Exp(v - max)).ToArray();
                    double total = e.Sum();
                    return new Tensor(x.Shape) { Data = e.Select(v => v / total).ToArray() };
                }
                default:
                {
                    Func<double, double> g = l.Kind switch
                    {
                        LayerKind.ReLU => z => Math.Max(0, z),
                        LayerKind.LeakyReLU => z => z >= 0 ? z : l.Alpha * z, // SPEC's max(eps*z, z) for eps < 1; ONNX's form for any alpha
                        LayerKind.ELU => z => z > 0 ? z : l.Alpha * (Math.Exp(z) - 1),
                        LayerKind.Sigmoid => z => 1 / (1 + Math.Exp(-z)),
                        LayerKind.Tanh => Math.Tanh,
                        _ => throw new NotSupportedException(l.Kind.ToString()),
                    };
                    return new Tensor(x.Shape) { Data = x.Data.Select(g).ToArray() };
                }
            }
        }

        private static int Flat(int[] shape, int first, int[] rest)
        {
            int index = first;
            for (int k = 0; k < rest.Length; k++) index = index * shape[k + 1] + rest[k];
            return index;
        }

        private static IEnumerable<int[]> Positions(int[] sizes)
        {
            var p = new int[sizes.Length];
            if (sizes.Any(v => v <= 0)) yield break;
            while (true)
            {
                yield return (int[])p.Clone();
                int k = sizes.Length - 1;
                while (k >= 0 && ++p[k] == sizes[k]) p[k--] = 0;
                if (k < 0) yield break;
            }
        }
    }
}

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

        public static double[] Run(IReadOnlyList<int> inputShape, IReadOnlyList<LayerDeclaration> layers, float[] parameters, ReadOnlySpan<float> input) =>
            Run(new NetworkDeclaration("Reference", new EquatableArray<int>(inputShape.ToArray()), new EquatableArray<LayerDeclaration>(layers.ToArray())), parameters, input);

        /// <summary>Runs a declaration with its blocks: SPEC's merges written out, weights taken depth first in declaration order.</summary>
        public static double[] Run(NetworkDeclaration net, float[] parameters, ReadOnlySpan<float> input)
        {
            var x = new Tensor(net.InputShape.ToArray());
            for (int i = 0; i < x.Data.Length; i++) x.Data[i] = input[i];
            int offset = 0;
            double[] Take(int count)
            {
                double[] v = parameters.Skip(offset).Take(count).Select(f => (double)f).ToArray();
                if (v.Length != count) throw new InvalidOperationException("not enough parameters");
                offset += count;
                return v;
            }
            x = ApplyAll(net, net.Layers, x, Take);
            if (offset != parameters.Length) throw new InvalidOperationException($"used {offset} of {parameters.Length} parameters");
            return x.Data;
        }

        private static Tensor ApplyAll(NetworkDeclaration net, IEnumerable<LayerDeclaration> layers, Tensor x, Func<int, double[]> take)
        {
            foreach (LayerDeclaration l in layers) x = LayerKinds.IsBlockUse(l.Kind) ? Use(net, l, x, take) : Apply(l, x, take);
            return x;
        }

        /// <summary>A block's layers on x (the identity when it is CnnGen's Identity).</summary>
        private static Tensor Block(NetworkDeclaration net, string key, Tensor x, Func<int, double[]> take) =>
            key == BlockDeclaration.IdentityKey ? x : ApplyAll(net, net.Blocks.Single(b => b.Key == key).Layers, x, take);

        private static Tensor Use(NetworkDeclaration net, LayerDeclaration l, Tensor x, Func<int, double[]> take)
        {
            for (int r = 0; r < (l.Repeat ?? 1); r++)
            {
                switch (l.Kind)
                {
                    case LayerKind.Sequential:
                        x = Block(net, l.Blocks[0], x, take);
                        break;
                    case LayerKind.Residual:
                    {
                        // y = B(x) + S(x), S the identity unless given; ReLU on the sum when asked.
                        Tensor b = Block(net, l.Blocks[0], x, take);
                        Tensor s = l.Shortcut is { } key ? Block(net, key, x, take) : x;
                        if (!b.Shape.SequenceEqual(s.Shape)) throw new InvalidOperationException("residual shapes differ");
                        var y = new Tensor(b.Shape);
                        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = l.ReLU ? Math.Max(0, b.Data[i] + s.Data[i]) : b.Data[i] + s.Data[i];
                        x = y;
                        break;
                    }
                    case LayerKind.Concat:
                    {
                        // Channels first: joining along C is joining the data of the branches one after the other.
                        var parts = l.Blocks.Select(key => Block(net, key, x, take)).ToList();
                        int[] shape = (int[])parts[0].Shape.Clone();
                        shape[0] = parts.Sum(p => p.Shape[0]);
                        x = new Tensor(shape) { Data = parts.SelectMany(p => p.Data).ToArray() };
                        break;
                    }
                    default:
                    {
                        // y = x * G(x): G gives [C] (one factor per channel) or x's shape.
                        Tensor g = Block(net, l.Blocks[0], x, take);
                        var y = new Tensor(x.Shape);
                        int plane = x.Data.Length / x.Shape[0];
                        bool perChannel = g.Shape.Length == 1 && x.Shape.Length > 1;
                        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = x.Data[i] * (perChannel ? g.Data[i / plane] : g.Data[i]);
                        x = y;
                        break;
                    }
                }
            }
            return x;
        }

        private static int[] PerDim(EquatableArray<int>? perDim, int? all, int d, int fallback) =>
            perDim is { } p ? p.ToArray() : Enumerable.Repeat(all ?? fallback, d).ToArray();

        private static Tensor Apply(LayerDeclaration l, Tensor x, Func<int, double[]> take)
        {
            int c = x.Shape[0], d = x.Shape.Length - 1, n = x.Data.Length;
            switch (l.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.DepthwiseConv:
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                {
                    bool conv = l.Kind is LayerKind.Conv or LayerKind.DepthwiseConv;
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
                    // Groups G: filter k sees the C/G channels of its group k / (K/G); depthwise is G = C, K = M*C.
                    int outC = l.Kind == LayerKind.DepthwiseConv ? c * (l.Multiplier ?? 1) : conv ? l.Units!.Value : c;
                    int groups = l.Kind == LayerKind.DepthwiseConv ? c : l.Groups ?? 1;
                    int perGroup = c / groups;
                    double[] w = conv ? take(outC * perGroup * f.Aggregate(1, (a, b) => a * b)) : Array.Empty<double>();
                    double[] b = conv && l.Bias ? take(outC) : new double[outC];
                    var y = new Tensor(new[] { outC }.Concat(o).ToArray());
                    int window = f.Aggregate(1, (a, b2) => a * b2);
                    foreach (int[] pos in Positions(o))
                    {
                        for (int oc = 0; oc < outC; oc++)
                        {
                            double sum = conv ? b[oc] : 0, best = double.NegativeInfinity;
                            int count = 0;
                            int firstChannel = conv ? oc / (outC / groups) * perGroup : oc;
                            for (int ic = firstChannel; ic < (conv ? firstChannel + perGroup : oc + 1); ic++)
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
                                    if (conv) sum += v * w[Flat(new[] { outC, perGroup }.Concat(f).ToArray(), oc, new[] { ic - firstChannel }.Concat(tap).ToArray())];
                                    else { sum += v; best = Math.Max(best, v); count++; }
                                }
                            }
                            y.Data[Flat(y.Shape, oc, pos)] = l.Kind switch
                            {
                                LayerKind.Conv or LayerKind.DepthwiseConv => sum,
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
                case LayerKind.Dropout:
                    return x;
                case LayerKind.Upsample:
                {
                    // Nearest: output position p reads input position floor(p / s) along each dimension.
                    int[] s = l.Scale.Count == 1 ? Enumerable.Repeat(l.Scale[0], d).ToArray() : l.Scale.ToArray();
                    var y = new Tensor(new[] { c }.Concat(Enumerable.Range(0, d).Select(k => x.Shape[k + 1] * s[k])).ToArray());
                    foreach (int[] pos in Positions(y.Shape.Skip(1).ToArray()))
                        for (int ch = 0; ch < c; ch++)
                            y.Data[Flat(y.Shape, ch, pos)] = x.Data[Flat(x.Shape, ch, pos.Select((p, k) => p / s[k]).ToArray())];
                    return y;
                }
                case LayerKind.ZeroPad:
                {
                    int[] pads = l.Pads!.Value.Count == 1 ? Enumerable.Repeat(l.Pads.Value[0], 2 * d).ToArray() : l.Pads.Value.ToArray();
                    var y = new Tensor(new[] { c + (l.Channels ?? 0) }.Concat(Enumerable.Range(0, d).Select(k => x.Shape[k + 1] + pads[k] + pads[d + k])).ToArray());
                    foreach (int[] pos in Positions(x.Shape.Skip(1).ToArray()))
                        for (int ch = 0; ch < c; ch++)
                            y.Data[Flat(y.Shape, ch, pos.Select((p, k) => p + pads[k]).ToArray())] = x.Data[Flat(x.Shape, ch, pos)];
                    return y;
                }
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
                        LayerKind.ReLU6 => z => Math.Min(Math.Max(0, z), 6),
                        LayerKind.HardSigmoid => z => HardSigmoid(z),
                        LayerKind.HardSwish => z => z * HardSigmoid(z),
                        LayerKind.SiLU => z => z / (1 + Math.Exp(-z)),
                        _ => throw new NotSupportedException(l.Kind.ToString()),
                    };
                    return new Tensor(x.Shape) { Data = x.Data.Select(g).ToArray() };
                }
            }
        }

        /// <summary>SPEC's hard sigmoid: max(0, min(1, z/6 + 1/2)).</summary>
        private static double HardSigmoid(double z) => Math.Max(0, Math.Min(1, z / 6 + 0.5));

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

using System;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Benchmarks
{
    /// <summary>
    /// The plain implementation a user would write first: channels-first loops straight from SPEC's formulas, one
    /// sample at a time, no vectors, no repacking. The baseline that shows what the generated kernels are worth.
    /// </summary>
    public sealed class PlainReference
    {
        private readonly NetworkSpec _spec;
        private readonly float[] _parameters;
        private readonly float[] _a, _b;

        public PlainReference(NetworkSpec spec, float[] parameters)
        {
            _spec = spec;
            _parameters = parameters;
            int max = spec.Analysis.Layers.Max(l => Math.Max(l.InputLength, l.OutputLength));
            _a = new float[max];
            _b = new float[max];
        }

        public void Forward(ReadOnlySpan<float> input, Span<float> output, int batch)
        {
            for (int n = 0; n < batch; n++)
            {
                input.Slice(n * _spec.InputLength, _spec.InputLength).CopyTo(_a);
                float[] x = _a, y = _b;
                foreach (LayerInfo l in _spec.Analysis.Layers)
                {
                    if (Run(l, x, y)) (x, y) = (y, x);
                }
                x.AsSpan(0, _spec.OutputLength).CopyTo(output.Slice(n * _spec.OutputLength));
            }
        }

        private int Offset(LayerInfo l) => _spec.Parameters.First(p => p.Layer == l.Index).Offset;

        /// <summary>Runs one layer from x into y; false when it worked in place in x.</summary>
        private bool Run(LayerInfo l, float[] x, float[] y)
        {
            int c = l.InputShape[0];
            switch (l.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                {
                    int d = l.Kernel.Count;
                    int[] i3 = Pad3(l.InputShape.Skip(1).ToArray()), o3 = Pad3(l.OutputShape.Skip(1).ToArray()), f3 = Pad3(l.Kernel.ToArray());
                    int[] s3 = Pad3(l.Strides.ToArray()), p3 = Pad3(l.PadsBegin.ToArray(), 0), dl3 = Pad3(l.Dilations.Count > 0 ? l.Dilations.ToArray() : Enumerable.Repeat(1, d).ToArray());
                    bool conv = l.Kind == LayerKind.Conv;
                    int k = l.OutputShape[0], w0 = conv ? Offset(l) : 0, b0 = w0 + k * c * f3[0] * f3[1] * f3[2];
                    for (int oc = 0; oc < k; oc++)
                        for (int od = 0; od < o3[0]; od++)
                            for (int oh = 0; oh < o3[1]; oh++)
                                for (int ow = 0; ow < o3[2]; ow++)
                                {
                                    float acc = conv ? (l.Bias ? _parameters[b0 + oc] : 0f) : l.Kind == LayerKind.MaxPool ? float.NegativeInfinity : 0f;
                                    int count = 0;
                                    for (int ic = conv ? 0 : oc; ic < (conv ? c : oc + 1); ic++)
                                        for (int fd = 0; fd < f3[0]; fd++)
                                            for (int fh = 0; fh < f3[1]; fh++)
                                                for (int fw = 0; fw < f3[2]; fw++)
                                                {
                                                    int id = od * s3[0] - p3[0] + fd * dl3[0], ih = oh * s3[1] - p3[1] + fh * dl3[1], iw = ow * s3[2] - p3[2] + fw * dl3[2];
                                                    if (id < 0 || ih < 0 || iw < 0 || id >= i3[0] || ih >= i3[1] || iw >= i3[2]) continue;
                                                    float v = x[((ic * i3[0] + id) * i3[1] + ih) * i3[2] + iw];
                                                    if (conv) acc += v * _parameters[w0 + (((oc * c + ic) * f3[0] + fd) * f3[1] + fh) * f3[2] + fw];
                                                    else if (l.Kind == LayerKind.MaxPool) acc = Math.Max(acc, v);
                                                    else { acc += v; count++; }
                                                }
                                    if (l.Kind == LayerKind.AvgPool) acc /= l.CountIncludePad ? f3[0] * f3[1] * f3[2] : count;
                                    y[((oc * o3[0] + od) * o3[1] + oh) * o3[2] + ow] = acc;
                                }
                    return true;
                }
                case LayerKind.Dense:
                {
                    int nIn = l.InputLength, nOut = l.OutputShape[0], w0 = Offset(l);
                    for (int j = 0; j < nOut; j++)
                    {
                        float sum = l.Bias ? _parameters[w0 + nOut * nIn + j] : 0f;
                        for (int i = 0; i < nIn; i++) sum += _parameters[w0 + j * nIn + i] * x[i];
                        y[j] = sum;
                    }
                    return true;
                }
                case LayerKind.GlobalAvgPool:
                case LayerKind.GlobalMaxPool:
                {
                    int plane = l.InputLength / c;
                    for (int ch = 0; ch < c; ch++)
                    {
                        float acc = l.Kind == LayerKind.GlobalMaxPool ? float.NegativeInfinity : 0f;
                        for (int i = 0; i < plane; i++) acc = l.Kind == LayerKind.GlobalMaxPool ? Math.Max(acc, x[ch * plane + i]) : acc + x[ch * plane + i];
                        y[ch] = l.Kind == LayerKind.GlobalMaxPool ? acc : acc / plane;
                    }
                    return true;
                }
                case LayerKind.Softmax:
                {
                    int n = l.InputLength;
                    float max = float.NegativeInfinity, sum = 0f;
                    for (int i = 0; i < n; i++) max = Math.Max(max, x[i]);
                    for (int i = 0; i < n; i++) { x[i] = MathF.Exp(x[i] - max); sum += x[i]; }
                    for (int i = 0; i < n; i++) x[i] /= sum;
                    return false;
                }
                case LayerKind.ReLU:
                    for (int i = 0; i < l.InputLength; i++) x[i] = Math.Max(0f, x[i]);
                    return false;
                default: // Flatten, and activations the benchmark networks do not use
                    return false;
            }
        }

        private static int[] Pad3(int[] v, int fill = 1) => Enumerable.Repeat(fill, 3 - v.Length).Concat(v).ToArray();
    }
}

using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>Max or average pooling over channels-last data, 8 channels per vector; padded cells are skipped.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class PoolPlan : LayerPlan
    {
        private readonly bool _max, _includePad;
        private readonly int _cp;
        private readonly Dims3 _in, _out, _f, _s, _pb;
        private readonly bool _inside;             // no padding: every window lies inside the input
        private readonly Aligned<int>? _tapOffsets; // floats from a window's first cell to each cell
        private readonly Aligned<int>? _bases;      // floats to each output position's first input cell

        /// <param name="inputShape">C then the spatial sizes.</param>
        /// <param name="max">Max pooling (else average).</param>
        /// <param name="kernel">Window per spatial dimension.</param>
        /// <param name="strides">Stride per spatial dimension.</param>
        /// <param name="pads">All begins, then all ends.</param>
        /// <param name="countIncludePad">Average pooling divides by the whole window.</param>
        public PoolPlan(int[] inputShape, bool max, int[] kernel, int[] strides, int[] pads, bool countIncludePad)
        {
            int d = kernel.Length;
            _max = max;
            _includePad = countIncludePad;
            _cp = Simd.Pad8(inputShape[0]);
            _in = Dims3.From(inputShape.AsSpan(1), 1);
            _f = Dims3.From(kernel, 1);
            _s = Dims3.From(strides, 1);
            _pb = Dims3.From(pads.AsSpan(0, d), 0);
            Dims3 pe = Dims3.From(pads.AsSpan(d, d), 0);
            int Out(int i, int b, int e, int f, int s) => (i + b + e - f) / s + 1;
            _out = new Dims3(Out(_in.D, _pb.D, pe.D, _f.D, _s.D), Out(_in.H, _pb.H, pe.H, _f.H, _s.H), Out(_in.W, _pb.W, pe.W, _f.W, _s.W));
            _inside = _pb.D + _pb.H + _pb.W + pe.D + pe.H + pe.W == 0;
            if (_inside)
            {
                int rowH = _in.W * _cp, rowD = _in.H * rowH;
                _tapOffsets = new Aligned<int>(_f.Product);
                int t = 0;
                for (int a = 0; a < _f.D; a++)
                    for (int b = 0; b < _f.H; b++)
                        for (int e = 0; e < _f.W; e++) _tapOffsets.Pointer[t++] = a * rowD + b * rowH + e * _cp;
                _bases = new Aligned<int>(_out.Product);
                int p = 0;
                for (int a = 0; a < _out.D; a++)
                    for (int b = 0; b < _out.H; b++)
                        for (int e = 0; e < _out.W; e++) _bases.Pointer[p++] = a * _s.D * rowD + b * _s.H * rowH + e * _s.W * _cp;
            }
        }

        /// <inheritdoc/>
        public override int OutputLength => _out.Product * _cp;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch)
        {
            if (_inside && Simd.Enabled)
            {
                RunInside(x, y);
                return;
            }
            bool vector = Simd.Enabled;
            int cp = _cp, inH = _in.H, inW = _in.W, inD = _in.D;
            float window = _f.Product;
            for (int od = 0; od < _out.D; od++)
            {
                int d0 = od * _s.D - _pb.D, d1 = Math.Min(d0 + _f.D, inD);
                d0 = Math.Max(d0, 0);
                for (int oh = 0; oh < _out.H; oh++)
                {
                    int h0 = oh * _s.H - _pb.H, h1 = Math.Min(h0 + _f.H, inH);
                    h0 = Math.Max(h0, 0);
                    for (int ow = 0; ow < _out.W; ow++)
                    {
                        int w0 = ow * _s.W - _pb.W, w1 = Math.Min(w0 + _f.W, inW);
                        w0 = Math.Max(w0, 0);
                        float* dst = y + ((od * _out.H + oh) * _out.W + ow) * cp;
                        float count = _includePad ? window : (d1 - d0) * (h1 - h0) * (w1 - w0);
                        if (vector)
                        {
                            if (_max) MaxWindow(x, dst, d0, d1, h0, h1, w0, w1, inH, inW, cp);
                            else AvgWindow(x, dst, d0, d1, h0, h1, w0, w1, inH, inW, cp, 1f / count);
                        }
                        else
                        {
                            for (int j = 0; j < cp; j++)
                            {
                                float acc = _max ? float.NegativeInfinity : 0f;
                                for (int a = d0; a < d1; a++)
                                    for (int b = h0; b < h1; b++)
                                        for (int e = w0; e < w1; e++)
                                        {
                                            float v = x[((a * inH + b) * inW + e) * cp + j];
                                            acc = _max ? (v > acc ? v : acc) : acc + v;
                                        }
                                dst[j] = _max ? acc : acc / count;
                            }
                        }
                    }
                }
            }
        }

        /// <summary>No padding: precomputed offsets, no clipping, the window's cells straight from the table.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunInside(float* x, float* y)
        {
            int cp = _cp, taps = _f.Product, outputs = _out.Product;
            int* offsets = _tapOffsets!.Pointer, bases = _bases!.Pointer;
            Vector256<float> scale = Vector256.Create(1f / taps);
            for (int p = 0; p < outputs; p++, y += cp)
            {
                float* window = x + bases[p];
                for (int c = 0; c < cp; c += 8)
                {
                    float* at = window + c;
                    Vector256<float> acc = Vector256.Load(at + offsets[0]);
                    if (_max) for (int t = 1; t < taps; t++) acc = Vector256.Max(acc, Vector256.Load(at + offsets[t]));
                    else
                    {
                        for (int t = 1; t < taps; t++) acc += Vector256.Load(at + offsets[t]);
                        acc *= scale;
                    }
                    acc.Store(y + c);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void MaxWindow(float* x, float* dst, int d0, int d1, int h0, int h1, int w0, int w1, int inH, int inW, int cp)
        {
            for (int c = 0; c < cp; c += 8)
            {
                Vector256<float> acc = Vector256.Create(float.NegativeInfinity);
                for (int a = d0; a < d1; a++)
                    for (int b = h0; b < h1; b++)
                    {
                        float* row = x + ((a * inH + b) * inW) * cp + c;
                        for (int e = w0; e < w1; e++) acc = Vector256.Max(acc, Vector256.Load(row + e * cp));
                    }
                acc.Store(dst + c);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AvgWindow(float* x, float* dst, int d0, int d1, int h0, int h1, int w0, int w1, int inH, int inW, int cp, float scale)
        {
            for (int c = 0; c < cp; c += 8)
            {
                Vector256<float> acc = Vector256<float>.Zero;
                for (int a = d0; a < d1; a++)
                    for (int b = h0; b < h1; b++)
                    {
                        float* row = x + ((a * inH + b) * inW) * cp + c;
                        for (int e = w0; e < w1; e++) acc += Vector256.Load(row + e * cp);
                    }
                (acc * Vector256.Create(scale)).Store(dst + c);
            }
        }
    }

    /// <summary>Global average or max pooling: channels-last [P, Cp] to the vector [C].</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class GlobalPoolPlan : LayerPlan
    {
        private readonly bool _max;
        private readonly int _c, _cp, _pixels;

        /// <param name="inputShape">C then the spatial sizes.</param>
        /// <param name="max">Max (else average).</param>
        public GlobalPoolPlan(int[] inputShape, bool max)
        {
            _max = max;
            _c = inputShape[0];
            _cp = Simd.Pad8(_c);
            _pixels = 1;
            for (int i = 1; i < inputShape.Length; i++) _pixels *= inputShape[i];
        }

        /// <inheritdoc/>
        public override int OutputLength => _cp;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch)
        {
            for (int c = 0; c < _cp; c++) y[c] = _max ? float.NegativeInfinity : 0f;
            if (Simd.Enabled)
            {
                for (int p = 0; p < _pixels; p++)
                {
                    float* row = x + p * _cp;
                    for (int c = 0; c < _cp; c += 8)
                    {
                        Vector256<float> v = Vector256.Load(row + c), acc = Vector256.Load(y + c);
                        (_max ? Vector256.Max(acc, v) : acc + v).Store(y + c);
                    }
                }
            }
            else
            {
                for (int p = 0; p < _pixels; p++)
                {
                    float* row = x + p * _cp;
                    if (_max) for (int c = 0; c < _c; c++) y[c] = row[c] > y[c] ? row[c] : y[c];
                    else for (int c = 0; c < _c; c++) y[c] += row[c];
                }
            }
            if (!_max) for (int c = 0; c < _c; c++) y[c] /= _pixels;
        }
    }
}

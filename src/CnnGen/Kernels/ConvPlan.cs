using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>
    /// A convolution as a direct, register-blocked kernel over channels-last data: 6 output positions x 16 output
    /// channels (or 12 x 8) held in 12 vector accumulators, the weights packed at construction as [taps, C, Kp].
    /// Padding is applied by copying the input into a zero-bordered scratch buffer, so the hot loop has no bounds tests.
    /// Bias and a following ReLU are fused into the store.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class ConvPlan : LayerPlan
    {
        private readonly int _c, _k, _kp, _taps, _outPixels;
        private int _cp; // floats per input position: C padded to 8, or C for a compact network input
        private readonly Dims3 _f, _s, _dil;
        private readonly Dims3 _in, _padded, _out;
        private readonly int _pbD, _pbH, _pbW;
        private readonly bool _needsPad, _relu;
        private int _stepW; // floats between the inputs of two neighbouring output positions along W
        private readonly Aligned<int> _tapOffsets;
        private readonly Aligned<int> _pixelBases;
        private readonly Aligned<float> _weights; // [taps * C, Kp]
        private readonly Aligned<float> _bias;    // [Kp]

        /// <param name="inputShape">C then the spatial sizes of the input.</param>
        /// <param name="filters">K.</param>
        /// <param name="kernel">Kernel size per spatial dimension.</param>
        /// <param name="strides">Stride per spatial dimension.</param>
        /// <param name="pads">All begins, then all ends.</param>
        /// <param name="dilations">Dilation per spatial dimension.</param>
        /// <param name="weight">[K, C, F...] (PyTorch/ONNX layout).</param>
        /// <param name="bias">[K], or empty for none.</param>
        /// <param name="relu">Whether a ReLU follows (fused).</param>
        public ConvPlan(int[] inputShape, int filters, int[] kernel, int[] strides, int[] pads, int[] dilations,
            ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, bool relu)
        {
            int d = kernel.Length;
            _c = inputShape[0];
            _cp = Simd.Pad8(_c);
            _k = filters;
            _kp = Simd.Pad8(filters);
            _relu = relu;
            _in = Dims3.From(inputShape.AsSpan(1), 1);
            Dims3 f = Dims3.From(kernel, 1), s = Dims3.From(strides, 1), dil = Dims3.From(dilations, 1);
            Dims3 pb = Dims3.From(pads.AsSpan(0, d), 0), pe = Dims3.From(pads.AsSpan(d, d), 0);
            (_pbD, _pbH, _pbW) = (pb.D, pb.H, pb.W);
            _padded = new Dims3(_in.D + pb.D + pe.D, _in.H + pb.H + pe.H, _in.W + pb.W + pe.W);
            _needsPad = pb.D + pb.H + pb.W + pe.D + pe.H + pe.W > 0;
            int Out(int i, int ff, int ss, int dd) => (i - (dd * (ff - 1) + 1)) / ss + 1;
            _out = new Dims3(Out(_padded.D, f.D, s.D, dil.D), Out(_padded.H, f.H, s.H, dil.H), Out(_padded.W, f.W, s.W, dil.W));
            _outPixels = _out.Product;

            _f = f;
            _s = s;
            _dil = dil;
            _taps = f.Product;
            _tapOffsets = new Aligned<int>(_taps);
            _pixelBases = new Aligned<int>(_outPixels + 16);
            SetInputStride(_cp);
            _weights = new Aligned<float>(_taps * _c * _kp);
            float* packed = _weights.Pointer;
            for (int k = 0; k < _k; k++)
                for (int c = 0; c < _c; c++)
                    for (int tap = 0; tap < _taps; tap++)
                        packed[(tap * _c + c) * _kp + k] = weight[(k * _c + c) * _taps + tap];
            _bias = new Aligned<float>(_kp);
            if (!bias.IsEmpty) bias.CopyTo(_bias.Span);
        }

        /// <summary>
        /// Reads the network input as compact channels-last data (C floats per position, not padded to 8): for a first
        /// layer with few channels this makes the padded copy and the reads up to 8 times smaller.
        /// </summary>
        internal int UseCompactInput()
        {
            if (_c < 8) SetInputStride(_c);
            return _cp;
        }

        private void SetInputStride(int stride)
        {
            _cp = stride;
            int rowW = _cp, rowH = _padded.W * _cp, rowD = _padded.H * _padded.W * _cp;
            _stepW = _s.W * rowW;
            int* tapOffsets = _tapOffsets.Pointer;
            int t = 0;
            for (int a = 0; a < _f.D; a++)
                for (int b = 0; b < _f.H; b++)
                    for (int e = 0; e < _f.W; e++)
                        tapOffsets[t++] = a * _dil.D * rowD + b * _dil.H * rowH + e * _dil.W * rowW;
            int* pixelBases = _pixelBases.Pointer;
            int p = 0;
            for (int a = 0; a < _out.D; a++)
                for (int b = 0; b < _out.H; b++)
                    for (int e = 0; e < _out.W; e++)
                        pixelBases[p++] = a * _s.D * rowD + b * _s.H * rowH + e * _s.W * rowW;
        }

        /// <inheritdoc/>
        public override int OutputLength => _outPixels * _kp;

        /// <inheritdoc/>
        public override int ScratchLength => _needsPad ? _padded.Product * _cp : 0;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch)
        {
            float* src = x;
            if (_needsPad)
            {
                new Span<float>(scratch, _padded.Product * _cp).Clear();
                for (int a = 0; a < _in.D; a++)
                    for (int b = 0; b < _in.H; b++)
                    {
                        float* from = x + (a * _in.H + b) * _in.W * _cp;
                        float* to = scratch + (((a + _pbD) * _padded.H + b + _pbH) * _padded.W + _pbW) * _cp;
                        Buffer.MemoryCopy(from, to, (long)_in.W * _cp * 4, (long)_in.W * _cp * 4);
                    }
                src = scratch;
            }
            if (Simd.Enabled) RunVector(src, y, _weights.Pointer, _bias.Pointer, _pixelBases.Pointer, _tapOffsets.Pointer);
            else RunScalar(src, y, _weights.Pointer, _bias.Pointer, _pixelBases.Pointer, _tapOffsets.Pointer);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunScalar(float* x, float* y, float* w, float* bias, int* bases, int* taps)
        {
            for (int p = 0; p < _outPixels; p++)
            {
                float* dst = y + p * _kp;
                for (int k = 0; k < _kp; k++) dst[k] = bias[k];
                for (int t = 0; t < _taps; t++)
                {
                    float* at = x + bases[p] + taps[t];
                    float* wt = w + t * _c * _kp;
                    for (int c = 0; c < _c; c++)
                    {
                        float v = at[c];
                        float* wr = wt + c * _kp;
                        for (int k = 0; k < _kp; k++) dst[k] += v * wr[k];
                    }
                }
                if (_relu) for (int k = 0; k < _kp; k++) dst[k] = dst[k] > 0f ? dst[k] : 0f;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunVector(float* x, float* y, float* w, float* bias, int* bases, int* taps)
        {
            int p = 0;
            if (_c < 8 && _cp == _c)
            {
                // Few input channels, compact (the network input): blocks of positions along a row, whose inputs are a constant step
                // apart; the step is a type argument, so the JIT folds it into the addressing.
                switch (_stepW)
                {
                    case 1: RunRows<Step1>(x, y, w, bias, bases, taps); return;
                    case 2: RunRows<Step2>(x, y, w, bias, bases, taps); return;
                    case 3: RunRows<Step3>(x, y, w, bias, bases, taps); return;
                    case 4: RunRows<Step4>(x, y, w, bias, bases, taps); return;
                    case 6: RunRows<Step6>(x, y, w, bias, bases, taps); return;
                    case 8: RunRows<Step8>(x, y, w, bias, bases, taps); return;
                    case 16: RunRows<Step16>(x, y, w, bias, bases, taps); return;
                }
            }
            if (_kp == 8)
            {
                for (; p + 12 <= _outPixels; p += 12) Block12x8(x, y + p * _kp, w, bias, bases + p, taps, _taps, _c, _kp, _relu);
            }
            else
            {
                for (; p + 6 <= _outPixels; p += 6)
                    for (int k0 = 0; k0 < _kp; k0 += 16)
                    {
                        if (k0 + 16 <= _kp) Block6x16(x, y + p * _kp + k0, w + k0, bias + k0, bases + p, taps, _taps, _c, _kp, _relu);
                        else Block1x8Rows(x, y + p * _kp + k0, w + k0, bias + k0, bases + p, 6, taps, _taps, _c, _kp, _relu);
                    }
            }
            for (; p < _outPixels; p++)
                for (int k0 = 0; k0 < _kp; k0 += 8)
                    Block1x8Rows(x, y + p * _kp + k0, w + k0, bias + k0, bases + p, 1, taps, _taps, _c, _kp, _relu);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block6x16(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, bool relu)
        {
            Vector256<float> b0 = Vector256.Load(bias), b1 = Vector256.Load(bias + 8);
            Vector256<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
            float* x0 = x + bases[0], x1 = x + bases[1], x2 = x + bases[2], x3 = x + bases[3], x4 = x + bases[4], x5 = x + bases[5];
            for (int t = 0; t < tapCount; t++)
            {
                int o = taps[t];
                float* wr = w + t * channels * kp;
                for (int c = 0; c < channels; c++, wr += kp)
                {
                    Vector256<float> w0 = Vector256.Load(wr), w1 = Vector256.Load(wr + 8);
                    Vector256<float> v = Vector256.Create(x0[o + c]);
                    a00 = Simd.Fmadd(v, w0, a00); a01 = Simd.Fmadd(v, w1, a01);
                    v = Vector256.Create(x1[o + c]);
                    a10 = Simd.Fmadd(v, w0, a10); a11 = Simd.Fmadd(v, w1, a11);
                    v = Vector256.Create(x2[o + c]);
                    a20 = Simd.Fmadd(v, w0, a20); a21 = Simd.Fmadd(v, w1, a21);
                    v = Vector256.Create(x3[o + c]);
                    a30 = Simd.Fmadd(v, w0, a30); a31 = Simd.Fmadd(v, w1, a31);
                    v = Vector256.Create(x4[o + c]);
                    a40 = Simd.Fmadd(v, w0, a40); a41 = Simd.Fmadd(v, w1, a41);
                    v = Vector256.Create(x5[o + c]);
                    a50 = Simd.Fmadd(v, w0, a50); a51 = Simd.Fmadd(v, w1, a51);
                }
            }
            if (relu)
            {
                Vector256<float> z = Vector256<float>.Zero;
                a00 = Vector256.Max(a00, z); a01 = Vector256.Max(a01, z); a10 = Vector256.Max(a10, z); a11 = Vector256.Max(a11, z);
                a20 = Vector256.Max(a20, z); a21 = Vector256.Max(a21, z); a30 = Vector256.Max(a30, z); a31 = Vector256.Max(a31, z);
                a40 = Vector256.Max(a40, z); a41 = Vector256.Max(a41, z); a50 = Vector256.Max(a50, z); a51 = Vector256.Max(a51, z);
            }
            a00.Store(y); a01.Store(y + 8); y += kp;
            a10.Store(y); a11.Store(y + 8); y += kp;
            a20.Store(y); a21.Store(y + 8); y += kp;
            a30.Store(y); a31.Store(y + 8); y += kp;
            a40.Store(y); a41.Store(y + 8); y += kp;
            a50.Store(y); a51.Store(y + 8);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block12x8(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, bool relu)
        {
            Vector256<float> b = Vector256.Load(bias);
            Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b, a9 = b, a10 = b, a11 = b;
            for (int t = 0; t < tapCount; t++)
            {
                int o = taps[t];
                float* wr = w + t * channels * kp;
                for (int c = 0; c < channels; c++, wr += kp)
                {
                    Vector256<float> wv = Vector256.Load(wr);
                    int at = o + c;
                    a0 = Simd.Fmadd(Vector256.Create(x[bases[0] + at]), wv, a0);
                    a1 = Simd.Fmadd(Vector256.Create(x[bases[1] + at]), wv, a1);
                    a2 = Simd.Fmadd(Vector256.Create(x[bases[2] + at]), wv, a2);
                    a3 = Simd.Fmadd(Vector256.Create(x[bases[3] + at]), wv, a3);
                    a4 = Simd.Fmadd(Vector256.Create(x[bases[4] + at]), wv, a4);
                    a5 = Simd.Fmadd(Vector256.Create(x[bases[5] + at]), wv, a5);
                    a6 = Simd.Fmadd(Vector256.Create(x[bases[6] + at]), wv, a6);
                    a7 = Simd.Fmadd(Vector256.Create(x[bases[7] + at]), wv, a7);
                    a8 = Simd.Fmadd(Vector256.Create(x[bases[8] + at]), wv, a8);
                    a9 = Simd.Fmadd(Vector256.Create(x[bases[9] + at]), wv, a9);
                    a10 = Simd.Fmadd(Vector256.Create(x[bases[10] + at]), wv, a10);
                    a11 = Simd.Fmadd(Vector256.Create(x[bases[11] + at]), wv, a11);
                }
            }
            if (relu)
            {
                Vector256<float> z = Vector256<float>.Zero;
                a0 = Vector256.Max(a0, z); a1 = Vector256.Max(a1, z); a2 = Vector256.Max(a2, z); a3 = Vector256.Max(a3, z);
                a4 = Vector256.Max(a4, z); a5 = Vector256.Max(a5, z); a6 = Vector256.Max(a6, z); a7 = Vector256.Max(a7, z);
                a8 = Vector256.Max(a8, z); a9 = Vector256.Max(a9, z); a10 = Vector256.Max(a10, z); a11 = Vector256.Max(a11, z);
            }
            a0.Store(y); a1.Store(y + kp); a2.Store(y + 2 * kp); a3.Store(y + 3 * kp); a4.Store(y + 4 * kp); a5.Store(y + 5 * kp);
            a6.Store(y + 6 * kp); a7.Store(y + 7 * kp); a8.Store(y + 8 * kp); a9.Store(y + 9 * kp); a10.Store(y + 10 * kp); a11.Store(y + 11 * kp);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunRows<TStep>(float* x, float* y, float* w, float* bias, int* bases, int* taps) where TStep : struct, IStep
        {
            int width = _out.W, kp = _kp;
            for (int row = 0; row < _outPixels; row += width)
            {
                for (int k0 = 0; k0 < kp; )
                {
                    int ow = 0;
                    if (k0 + 16 <= kp)
                    {
                        for (; ow + 6 <= width; ow += 6) RowBlock6x16<TStep>(x + bases[row + ow], y + (row + ow) * kp + k0, w + k0, bias + k0, taps, _taps, _c, kp, _relu);
                        if (ow < width) Block1x8Rows(x, y + (row + ow) * kp + k0, w + k0, bias + k0, bases + row + ow, width - ow, taps, _taps, _c, kp, _relu);
                        if (ow < width) Block1x8Rows(x, y + (row + ow) * kp + k0 + 8, w + k0 + 8, bias + k0 + 8, bases + row + ow, width - ow, taps, _taps, _c, kp, _relu);
                        k0 += 16;
                    }
                    else
                    {
                        for (; ow + 12 <= width; ow += 12) RowBlock12x8<TStep>(x + bases[row + ow], y + (row + ow) * kp + k0, w + k0, bias + k0, taps, _taps, _c, kp, _relu);
                        for (; ow + 4 <= width; ow += 4) RowBlock4x8<TStep>(x + bases[row + ow], y + (row + ow) * kp + k0, w + k0, bias + k0, taps, _taps, _c, kp, _relu);
                        if (ow < width) Block1x8Rows(x, y + (row + ow) * kp + k0, w + k0, bias + k0, bases + row + ow, width - ow, taps, _taps, _c, kp, _relu);
                        k0 += 8;
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock12x8<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int kp, bool relu) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b = Vector256.Load(bias);
            Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b, a9 = b, a10 = b, a11 = b;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * kp;
                for (int c = 0; c < channels; c++, wr += kp, at++)
                {
                    Vector256<float> wv = Vector256.Load(wr);
                    a0 = Simd.Fmadd(Vector256.Create(at[0]), wv, a0);
                    a1 = Simd.Fmadd(Vector256.Create(at[s]), wv, a1);
                    a2 = Simd.Fmadd(Vector256.Create(at[2 * s]), wv, a2);
                    a3 = Simd.Fmadd(Vector256.Create(at[3 * s]), wv, a3);
                    a4 = Simd.Fmadd(Vector256.Create(at[4 * s]), wv, a4);
                    a5 = Simd.Fmadd(Vector256.Create(at[5 * s]), wv, a5);
                    a6 = Simd.Fmadd(Vector256.Create(at[6 * s]), wv, a6);
                    a7 = Simd.Fmadd(Vector256.Create(at[7 * s]), wv, a7);
                    a8 = Simd.Fmadd(Vector256.Create(at[8 * s]), wv, a8);
                    a9 = Simd.Fmadd(Vector256.Create(at[9 * s]), wv, a9);
                    a10 = Simd.Fmadd(Vector256.Create(at[10 * s]), wv, a10);
                    a11 = Simd.Fmadd(Vector256.Create(at[11 * s]), wv, a11);
                }
            }
            if (relu)
            {
                Vector256<float> z = Vector256<float>.Zero;
                a0 = Vector256.Max(a0, z); a1 = Vector256.Max(a1, z); a2 = Vector256.Max(a2, z); a3 = Vector256.Max(a3, z);
                a4 = Vector256.Max(a4, z); a5 = Vector256.Max(a5, z); a6 = Vector256.Max(a6, z); a7 = Vector256.Max(a7, z);
                a8 = Vector256.Max(a8, z); a9 = Vector256.Max(a9, z); a10 = Vector256.Max(a10, z); a11 = Vector256.Max(a11, z);
            }
            a0.Store(y); a1.Store(y + kp); a2.Store(y + 2 * kp); a3.Store(y + 3 * kp); a4.Store(y + 4 * kp); a5.Store(y + 5 * kp);
            a6.Store(y + 6 * kp); a7.Store(y + 7 * kp); a8.Store(y + 8 * kp); a9.Store(y + 9 * kp); a10.Store(y + 10 * kp); a11.Store(y + 11 * kp);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock4x8<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int kp, bool relu) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b = Vector256.Load(bias);
            Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * kp;
                for (int c = 0; c < channels; c++, wr += kp, at++)
                {
                    Vector256<float> wv = Vector256.Load(wr);
                    a0 = Simd.Fmadd(Vector256.Create(at[0]), wv, a0);
                    a1 = Simd.Fmadd(Vector256.Create(at[s]), wv, a1);
                    a2 = Simd.Fmadd(Vector256.Create(at[2 * s]), wv, a2);
                    a3 = Simd.Fmadd(Vector256.Create(at[3 * s]), wv, a3);
                }
            }
            if (relu)
            {
                Vector256<float> z = Vector256<float>.Zero;
                a0 = Vector256.Max(a0, z); a1 = Vector256.Max(a1, z); a2 = Vector256.Max(a2, z); a3 = Vector256.Max(a3, z);
            }
            a0.Store(y); a1.Store(y + kp); a2.Store(y + 2 * kp); a3.Store(y + 3 * kp);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock6x16<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int kp, bool relu) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b0 = Vector256.Load(bias), b1 = Vector256.Load(bias + 8);
            Vector256<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * kp;
                for (int c = 0; c < channels; c++, wr += kp, at++)
                {
                    Vector256<float> w0 = Vector256.Load(wr), w1 = Vector256.Load(wr + 8);
                    Vector256<float> v = Vector256.Create(at[0]);
                    a00 = Simd.Fmadd(v, w0, a00); a01 = Simd.Fmadd(v, w1, a01);
                    v = Vector256.Create(at[s]);
                    a10 = Simd.Fmadd(v, w0, a10); a11 = Simd.Fmadd(v, w1, a11);
                    v = Vector256.Create(at[2 * s]);
                    a20 = Simd.Fmadd(v, w0, a20); a21 = Simd.Fmadd(v, w1, a21);
                    v = Vector256.Create(at[3 * s]);
                    a30 = Simd.Fmadd(v, w0, a30); a31 = Simd.Fmadd(v, w1, a31);
                    v = Vector256.Create(at[4 * s]);
                    a40 = Simd.Fmadd(v, w0, a40); a41 = Simd.Fmadd(v, w1, a41);
                    v = Vector256.Create(at[5 * s]);
                    a50 = Simd.Fmadd(v, w0, a50); a51 = Simd.Fmadd(v, w1, a51);
                }
            }
            if (relu)
            {
                Vector256<float> z = Vector256<float>.Zero;
                a00 = Vector256.Max(a00, z); a01 = Vector256.Max(a01, z); a10 = Vector256.Max(a10, z); a11 = Vector256.Max(a11, z);
                a20 = Vector256.Max(a20, z); a21 = Vector256.Max(a21, z); a30 = Vector256.Max(a30, z); a31 = Vector256.Max(a31, z);
                a40 = Vector256.Max(a40, z); a41 = Vector256.Max(a41, z); a50 = Vector256.Max(a50, z); a51 = Vector256.Max(a51, z);
            }
            a00.Store(y); a01.Store(y + 8); y += kp;
            a10.Store(y); a11.Store(y + 8); y += kp;
            a20.Store(y); a21.Store(y + 8); y += kp;
            a30.Store(y); a31.Store(y + 8); y += kp;
            a40.Store(y); a41.Store(y + 8); y += kp;
            a50.Store(y); a51.Store(y + 8);
        }

        /// <summary>Tails: <paramref name="rows"/> positions, 8 channels, one position at a time.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block1x8Rows(float* x, float* y, float* w, float* bias, int* bases, int rows, int* taps, int tapCount, int channels, int kp, bool relu)
        {
            for (int r = 0; r < rows; r++)
            {
                Vector256<float> a = Vector256.Load(bias), a2 = Vector256<float>.Zero;
                float* xr = x + bases[r];
                for (int t = 0; t < tapCount; t++)
                {
                    float* at = xr + taps[t];
                    float* wr = w + t * channels * kp;
                    int c = 0;
                    for (; c + 2 <= channels; c += 2, wr += 2 * kp)
                    {
                        a = Simd.Fmadd(Vector256.Create(at[c]), Vector256.Load(wr), a);
                        a2 = Simd.Fmadd(Vector256.Create(at[c + 1]), Vector256.Load(wr + kp), a2);
                    }
                    if (c < channels) a = Simd.Fmadd(Vector256.Create(at[c]), Vector256.Load(wr), a);
                }
                a += a2;
                if (relu) a = Vector256.Max(a, Vector256<float>.Zero);
                a.Store(y + r * kp);
            }
        }
    }
}

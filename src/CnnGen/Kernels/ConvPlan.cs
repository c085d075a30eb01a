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
    public sealed unsafe class ConvPlan : LayerPlan, IParallelJob
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

        // Winograd F(2x2, 3x3) for 3x3 stride-1 layers with many channels: 16 multiplies per 2x2 outputs instead of 36.
        private const int TileBlock = 48;
        private readonly bool _winograd;
        private readonly int _tilesH, _tilesW, _extH, _extW;
        private readonly Aligned<float>? _u;        // [16, C, Kp]: G g G^T
        private readonly Aligned<int>? _tileBases;  // i * Cp
        private readonly Aligned<int>? _zeroTap;    // { 0 }
        private readonly Aligned<float>? _zeroBias; // [Kp]

        private readonly long _macs; // a large layer of a single sample splits its outputs over threads

        /// <param name="inputShape">C then the spatial sizes of the input.</param>
        /// <param name="filters">K.</param>
        /// <param name="kernel">Kernel size per spatial dimension.</param>
        /// <param name="strides">Stride per spatial dimension.</param>
        /// <param name="pads">All begins, then all ends.</param>
        /// <param name="dilations">Dilation per spatial dimension.</param>
        /// <param name="weight">[K, C, F...] (PyTorch/ONNX layout).</param>
        /// <param name="bias">[K], or empty for none.</param>
        /// <param name="relu">Whether a ReLU follows (fused).</param>
        /// <param name="winograd">
        /// Whether a 3x3 stride-1 2D layer with 16 or more channels may use Winograd F(2x2, 3x3) (fewer multiplies, sums
        /// rounded in another order); false (the project's CnnGen_Winograd) always sums the taps directly.
        /// </param>
        public ConvPlan(int[] inputShape, int filters, int[] kernel, int[] strides, int[] pads, int[] dilations,
            ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, bool relu, bool winograd = true)
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
            _macs = (long)_outPixels * _k * _taps * _c;

            _winograd = winograd && d == 2 && f.H == 3 && f.W == 3 && s.H == 1 && s.W == 1 && dil.H == 1 && dil.W == 1 && _c >= 16 && _kp % 16 == 0 && _out.H >= 2 && _out.W >= 2;
            if (_winograd)
            {
                _tilesH = (_out.H + 1) / 2;
                _tilesW = (_out.W + 1) / 2;
                _extH = Math.Max(_padded.H, 2 * _tilesH + 2);
                _extW = Math.Max(_padded.W, 2 * _tilesW + 2);
                _u = new Aligned<float>(16 * _c * _kp);
                float* u = _u.Pointer;
                Span<float> q = stackalloc float[12];
                for (int k = 0; k < _k; k++)
                    for (int c = 0; c < _c; c++)
                    {
                        // g: the 3x3 kernel of (k, c); q = G g (4x3); U = q G^T (4x4).
                        int g0 = (k * _c + c) * 9;
                        for (int col = 0; col < 3; col++)
                        {
                            float a = weight[g0 + col], b = weight[g0 + 3 + col], e = weight[g0 + 6 + col];
                            q[col] = a;
                            q[3 + col] = 0.5f * (a + b + e);
                            q[6 + col] = 0.5f * (a - b + e);
                            q[9 + col] = e;
                        }
                        for (int row = 0; row < 4; row++)
                        {
                            float a = q[row * 3], b = q[row * 3 + 1], e = q[row * 3 + 2];
                            u[((row * 4 + 0) * _c + c) * _kp + k] = a;
                            u[((row * 4 + 1) * _c + c) * _kp + k] = 0.5f * (a + b + e);
                            u[((row * 4 + 2) * _c + c) * _kp + k] = 0.5f * (a - b + e);
                            u[((row * 4 + 3) * _c + c) * _kp + k] = e;
                        }
                    }
                _tileBases = new Aligned<int>(TileBlock + 16);
                for (int i = 0; i < TileBlock + 16; i++) _tileBases.Pointer[i] = i * _cp;
                _zeroTap = new Aligned<int>(1);
                _zeroBias = new Aligned<float>(_kp);
            }
        }

        /// <summary>Whether this layer runs Winograd F(2x2, 3x3) (where the vectorised kernels run).</summary>
        internal bool UsesWinograd => _winograd;

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
        public override int ScratchLength => _winograd
            ? _extH * _extW * _cp + 16 * (TileBlock + 6) * (_cp + _kp) + 64
            : _needsPad ? _padded.Product * _cp : 0;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch)
        {
            float* src = x;
            bool winograd = _winograd && Simd.Enabled;
            if (winograd) CopyWithBorder(x, scratch, 1, _extH, _extW);
            else if (_needsPad) CopyWithBorder(x, scratch, _padded.D, _padded.H, _padded.W);
            if (winograd || _needsPad) src = scratch;
            int threads = Batch.LayerThreads(_macs);
            if (threads > 1) Batch.For(this, threads, src, y);
            else RunPart(src, y, 0, 1, scratch);
        }

        void IParallelJob.RunPart(float* x, float* y, int part, int parts, float* scratch) => RunPart(x, y, part, parts, scratch);

        /// <summary>
        /// Part <paramref name="part"/> of <paramref name="parts"/> of the layer on the (padded) input: an even share of
        /// the output rows, positions or Winograd tile blocks, rounded to whole register blocks.
        /// </summary>
        private void RunPart(float* src, float* y, int part, int parts, float* scratch)
        {
            if (_winograd && Simd.Enabled)
            {
                int blocks = (_tilesH * _tilesW + TileBlock - 1) / TileBlock;
                (int b0, int b1) = Batch.Share(blocks, 1, part, parts);
                RunWinograd(src, y, scratch + _extH * _extW * _cp, b0, b1);
            }
            else if (!Simd.Enabled)
            {
                (int p0, int p1) = Batch.Share(_outPixels, 1, part, parts);
                RunScalar(src, y, _weights.Pointer, _bias.Pointer, _pixelBases.Pointer, _tapOffsets.Pointer, p0, p1);
            }
            else if (_c < 8 && _cp == _c && TryRows(out int width))
            {
                (int r0, int r1) = Batch.Share(_outPixels / width, 1, part, parts);
                RunRowsOf(src, y, r0 * width, r1 * width);
            }
            else
            {
                (int p0, int p1) = Batch.Share(_outPixels, _kp == 8 ? 12 : 6, part, parts);
                RunVector(src, y, _weights.Pointer, _bias.Pointer, _pixelBases.Pointer, _tapOffsets.Pointer, p0, p1);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunScalar(float* x, float* y, float* w, float* bias, int* bases, int* taps, int from, int to)
        {
            for (int p = from; p < to; p++)
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
        private void RunVector(float* x, float* y, float* w, float* bias, int* bases, int* taps, int from, int to)
        {
            int p = from;
            // The last block overlaps the one before it instead of leaving a slow tail: recomputing a few outputs
            // writes the same values again.
            if (_kp == 8)
            {
                for (; p + 12 <= to; p += 12) Block12x8(x, y + p * _kp, w, bias, bases + p, taps, _taps, _c, _kp, _relu);
                if (p < to && to - from >= 12)
                {
                    p = to - 12;
                    Block12x8(x, y + p * _kp, w, bias, bases + p, taps, _taps, _c, _kp, _relu);
                    p = to;
                }
            }
            else
            {
                for (; p + 6 <= to || (p < to && to - from >= 6); p += 6)
                {
                    if (p + 6 > to) p = to - 6; // overlapping last block
                    for (int k0 = 0; k0 < _kp; k0 += 16)
                    {
                        if (k0 + 16 <= _kp) Block6x16(x, y + p * _kp + k0, w + k0, bias + k0, bases + p, taps, _taps, _c, _kp, _relu);
                        else Block1x8Rows(x, y + p * _kp + k0, w + k0, bias + k0, bases + p, 6, taps, _taps, _c, _kp, _relu);
                    }
                }
            }
            for (; p < to; p++)
                for (int k0 = 0; k0 < _kp; k0 += 8)
                    Block1x8Rows(x, y + p * _kp + k0, w + k0, bias + k0, bases + p, 1, taps, _taps, _c, _kp, _relu);
        }

        /// <summary>Whether the compact-input row kernels apply (their input step along W is one they are specialised for).</summary>
        private bool TryRows(out int width)
        {
            width = _out.W;
            return _stepW is 1 or 2 or 3 or 4 or 6 or 8 or 16;
        }

        /// <summary>Output positions [from, to) (whole rows) with the row kernel specialised for this layer's input step.</summary>
        private void RunRowsOf(float* x, float* y, int from, int to)
        {
            float* w = _weights.Pointer, bias = _bias.Pointer;
            int* bases = _pixelBases.Pointer, taps = _tapOffsets.Pointer;
            switch (_stepW)
            {
                case 1: RunRows<Step1>(x, y, w, bias, bases, taps, from, to); break;
                case 2: RunRows<Step2>(x, y, w, bias, bases, taps, from, to); break;
                case 3: RunRows<Step3>(x, y, w, bias, bases, taps, from, to); break;
                case 4: RunRows<Step4>(x, y, w, bias, bases, taps, from, to); break;
                case 6: RunRows<Step6>(x, y, w, bias, bases, taps, from, to); break;
                case 8: RunRows<Step8>(x, y, w, bias, bases, taps, from, to); break;
                case 16: RunRows<Step16>(x, y, w, bias, bases, taps, from, to); break;
            }
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
        private void RunWinograd(float* xp, float* y, float* scratch, int firstBlock, int endBlock)
        {
            // xp: the input copied into a zero border of [extH, extW, Cp]; scratch: this thread's room for V and M.
            int cp = _cp, kp = _kp, extW = _extW;
            const int stride = TileBlock + 6; // tiles per block, rounded up to whole 6-tile kernel blocks
            float* v = scratch;
            float* m = v + 16 * stride * cp;
            int tiles = _tilesH * _tilesW;
            for (int t0 = firstBlock * TileBlock; t0 < Math.Min(tiles, endBlock * TileBlock); t0 += TileBlock)
            {
                int count = Math.Min(TileBlock, tiles - t0);
                int rounded = (count + 5) / 6 * 6;
                for (int i = 0; i < count; i++)
                {
                    int th = (t0 + i) / _tilesW, tw = (t0 + i) % _tilesW;
                    float* d = xp + (2 * th * extW + 2 * tw) * cp;
                    for (int c0 = 0; c0 < cp; c0 += 8)
                        InputTile(d + c0, extW * cp, cp, v + i * cp + c0, stride * cp);
                }
                for (int e = 0; e < 16; e++)
                    new Span<float>(v + (e * stride + count) * cp, (rounded - count) * cp).Clear(); // whole kernel blocks: the extra tiles are zeros
                for (int e = 0; e < 16; e++)
                {
                    float* ve = v + e * stride * cp, me = m + e * stride * kp, ue = _u!.Pointer + e * _c * kp;
                    for (int i = 0; i < rounded; i += 6)
                        for (int k0 = 0; k0 < kp; k0 += 16)
                            Block6x16(ve, me + i * kp + k0, ue + k0, _zeroBias!.Pointer + k0, _tileBases!.Pointer + i, _zeroTap!.Pointer, 1, _c, kp, false);
                }
                for (int i = 0; i < count; i++)
                {
                    int th = (t0 + i) / _tilesW, tw = (t0 + i) % _tilesW;
                    for (int k0 = 0; k0 < kp; k0 += 8)
                        OutputTile(m + i * kp + k0, stride * kp, Vector256.Load(_bias.Pointer + k0), y + k0, 2 * th, 2 * tw, _out.H, _out.W, kp, _relu);
                }
            }
        }

        /// <summary>Copies the input into a zeroed [d, h, w, Cp] buffer at the begin pads: the padding is that zero border.</summary>
        private void CopyWithBorder(float* x, float* to, int d, int h, int w)
        {
            new Span<float>(to, d * h * w * _cp).Clear();
            long row = (long)_in.W * _cp * 4;
            for (int a = 0; a < _in.D; a++)
                for (int b = 0; b < _in.H; b++)
                    Buffer.MemoryCopy(x + (a * _in.H + b) * _in.W * _cp, to + (((a + _pbD) * h + b + _pbH) * w + _pbW) * _cp, row, row);
        }

        /// <summary>V = B^T d B for 8 channels of one 4x4 input tile; V's 16 entries go <paramref name="vStride"/> apart.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InputTile(float* d, int rowStride, int cp, float* v, int vStride)
        {
            for (int col = 0; col < 4; col++)
            {
                // t = B^T d, one column at a time: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3.
                Vector256<float> d0 = Vector256.Load(d + col * cp), d1 = Vector256.Load(d + rowStride + col * cp);
                Vector256<float> d2 = Vector256.Load(d + 2 * rowStride + col * cp), d3 = Vector256.Load(d + 3 * rowStride + col * cp);
                (d0 - d2).Store(v + (0 * 4 + col) * vStride);
                (d1 + d2).Store(v + (1 * 4 + col) * vStride);
                (d2 - d1).Store(v + (2 * 4 + col) * vStride);
                (d1 - d3).Store(v + (3 * 4 + col) * vStride);
            }
            for (int row = 0; row < 4; row++)
            {
                // V = t B, one row at a time: t0 - t2, t1 + t2, t2 - t1, t1 - t3.
                float* r = v + row * 4 * vStride;
                Vector256<float> t0 = Vector256.Load(r), t1 = Vector256.Load(r + vStride), t2 = Vector256.Load(r + 2 * vStride), t3 = Vector256.Load(r + 3 * vStride);
                (t0 - t2).Store(r);
                (t1 + t2).Store(r + vStride);
                (t2 - t1).Store(r + 2 * vStride);
                (t1 - t3).Store(r + 3 * vStride);
            }
        }

        /// <summary>Y = A^T m A for 8 channels of one tile: a 2x2 block of outputs, plus bias (and ReLU), clipped at the edges.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void OutputTile(float* m, int mStride, Vector256<float> bias, float* y, int oh, int ow, int outH, int outW, int kp, bool relu)
        {
            Vector256<float> M(int r, int c) => Vector256.Load(m + (r * 4 + c) * mStride);
            for (int j = 0; j < 2 && oh + j < outH; j++)
            {
                // u = A^T m: row 0 is m0 + m1 + m2, row 1 is m1 - m2 - m3 (over the rows r).
                Vector256<float> u0 = j == 0 ? M(0, 0) + M(1, 0) + M(2, 0) : M(1, 0) - M(2, 0) - M(3, 0);
                Vector256<float> u1 = j == 0 ? M(0, 1) + M(1, 1) + M(2, 1) : M(1, 1) - M(2, 1) - M(3, 1);
                Vector256<float> u2 = j == 0 ? M(0, 2) + M(1, 2) + M(2, 2) : M(1, 2) - M(2, 2) - M(3, 2);
                Vector256<float> u3 = j == 0 ? M(0, 3) + M(1, 3) + M(2, 3) : M(1, 3) - M(2, 3) - M(3, 3);
                Vector256<float> y0 = u0 + u1 + u2 + bias, y1 = u1 - u2 - u3 + bias;
                if (relu)
                {
                    y0 = Vector256.Max(y0, Vector256<float>.Zero);
                    y1 = Vector256.Max(y1, Vector256<float>.Zero);
                }
                y0.Store(y + ((oh + j) * outW + ow) * kp);
                if (ow + 1 < outW) y1.Store(y + ((oh + j) * outW + ow + 1) * kp);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunRows<TStep>(float* x, float* y, float* w, float* bias, int* bases, int* taps, int from, int to) where TStep : struct, IStep
        {
            int width = _out.W, kp = _kp;
            for (int row = from; row < to; row += width)
            {
                for (int k0 = 0; k0 < kp; )
                {
                    int ow = 0;
                    if (k0 + 16 <= kp)
                    {
                        for (; ow + 6 <= width; ow += 6) RowBlock6x16<TStep>(x + bases[row + ow], y + (row + ow) * kp + k0, w + k0, bias + k0, taps, _taps, _c, kp, _relu);
                        if (ow < width && width >= 6)
                        {
                            ow = width - 6; // overlapping last block
                            RowBlock6x16<TStep>(x + bases[row + ow], y + (row + ow) * kp + k0, w + k0, bias + k0, taps, _taps, _c, kp, _relu);
                            ow = width;
                        }
                        if (ow < width) Block1x8Rows(x, y + (row + ow) * kp + k0, w + k0, bias + k0, bases + row + ow, width - ow, taps, _taps, _c, kp, _relu);
                        if (ow < width) Block1x8Rows(x, y + (row + ow) * kp + k0 + 8, w + k0 + 8, bias + k0 + 8, bases + row + ow, width - ow, taps, _taps, _c, kp, _relu);
                        k0 += 16;
                    }
                    else
                    {
                        for (; ow + 12 <= width; ow += 12) RowBlock12x8<TStep>(x + bases[row + ow], y + (row + ow) * kp + k0, w + k0, bias + k0, taps, _taps, _c, kp, _relu);
                        if (ow < width && width >= 12)
                        {
                            ow = width - 12; // overlapping last block
                            RowBlock12x8<TStep>(x + bases[row + ow], y + (row + ow) * kp + k0, w + k0, bias + k0, taps, _taps, _c, kp, _relu);
                            ow = width;
                        }
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

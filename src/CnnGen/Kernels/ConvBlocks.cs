using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>The register blocks of the direct convolution and the Winograd transforms (hot loops, no calls inside).</summary>
    public static unsafe partial class Conv
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Scalar(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, int from, int to, in Epilogue e)
        {
            int rows = tapCount * channels;
            for (int p = from; p < to; p++)
            {
                float* dst = y + p * kp;
                for (int k = 0; k < kp; k++)
                {
                    // Filter k's column in its panel: [panel][taps][C][16 (8 for the last one)].
                    int width = ConvWeights.PanelWidth(kp, k / 16);
                    float* column = w + ConvWeights.Panel(k, rows, kp);
                    float sum = bias[k];
                    for (int t = 0; t < tapCount; t++)
                    {
                        float* at = x + bases[p] + taps[t];
                        float* wt = column + t * channels * width;
                        for (int c = 0; c < channels; c++) sum += at[c] * wt[c * width];
                    }
                    dst[k] = sum;
                }
                for (int k = 0; k < kp; k++) dst[k] = e.Apply(dst[k], dst + k);
            }
        }

        /// <summary>
        /// Output positions [from, to): in chunks whose inputs stay in L2, each weight panel (16 filters) over the chunk's
        /// positions, so a panel is read from cache for every block of positions; the epilogue then goes over what the panel
        /// wrote (the blocks only multiply and add: a call in them would spill their accumulators).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Vector(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, int cp, int from, int to, in Epilogue e)
        {
            int rows = tapCount * channels;
            int chunk = System.Math.Max(48, 32768 / System.Math.Max(cp, 1) / 12 * 12);
            for (int c0 = from, c1; c0 < to; c0 = c1)
            {
                c1 = System.Math.Min(to, c0 + chunk);
                if (to - c1 < chunk / 2) c1 = to; // no small last chunk
                for (int k0 = 0, panel = 0; k0 < kp; k0 += 16, panel++)
                {
                    float* wp = w + (long)panel * rows * 16;
                    if (kp - k0 >= 16) Panel16(x, y + k0, wp, bias + k0, bases, taps, tapCount, channels, kp, c0, c1);
                    else Panel8(x, y + k0, wp, bias + k0, bases, taps, tapCount, channels, kp, c0, c1);
                    if (e.Any) e.ApplyColumns(y + k0, c0, c1, System.Math.Min(16, kp - k0), kp);
                }
            }
        }

        /// <summary>
        /// One 16-filter panel over positions [from, to) in blocks of 6; the last block overlaps the one before it instead of
        /// leaving a slow tail (recomputing a few outputs writes the same values again).
        /// </summary>
        private static void Panel16(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, int from, int to)
        {
            int p = from;
            for (; p + 6 <= to || (p < to && to - from >= 6); p += 6)
            {
                if (p + 6 > to) p = to - 6;
                Block6x16(x, y + p * kp, w, bias, bases + p, taps, tapCount, channels, kp);
            }
            if (p < to)
            {
                Block1x8Rows(x, y + p * kp, w, bias, bases + p, to - p, taps, tapCount, channels, kp, 16);
                Block1x8Rows(x, y + p * kp + 8, w + 8, bias + 8, bases + p, to - p, taps, tapCount, channels, kp, 16);
            }
        }

        /// <summary>The last panel when it is 8 filters wide: blocks of 12 positions.</summary>
        private static void Panel8(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, int from, int to)
        {
            int p = from;
            for (; p + 12 <= to || (p < to && to - from >= 12); p += 12)
            {
                if (p + 12 > to) p = to - 12;
                Block12x8(x, y + p * kp, w, bias, bases + p, taps, tapCount, channels, kp);
            }
            if (p < to) Block1x8Rows(x, y + p * kp, w, bias, bases + p, to - p, taps, tapCount, channels, kp, 8);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block6x16(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp)
        {
            Vector256<float> b0 = Vector256.Load(bias), b1 = Vector256.Load(bias + 8);
            Vector256<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
            float* x0 = x + bases[0], x1 = x + bases[1], x2 = x + bases[2], x3 = x + bases[3], x4 = x + bases[4], x5 = x + bases[5];
            for (int t = 0; t < tapCount; t++)
            {
                int o = taps[t];
                float* wr = w + t * channels * 16;
                for (int c = 0; c < channels; c++, wr += 16)
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
            Store2(a00, a01, y); y += kp;
            Store2(a10, a11, y); y += kp;
            Store2(a20, a21, y); y += kp;
            Store2(a30, a31, y); y += kp;
            Store2(a40, a41, y); y += kp;
            Store2(a50, a51, y);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store2(Vector256<float> a, Vector256<float> b, float* y)
        {
            a.Store(y);
            b.Store(y + 8);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block12x8(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp)
        {
            Vector256<float> b = Vector256.Load(bias);
            Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b, a9 = b, a10 = b, a11 = b;
            for (int t = 0; t < tapCount; t++)
            {
                int o = taps[t];
                float* wr = w + t * channels * 8;
                for (int c = 0; c < channels; c++, wr += 8)
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
            a0.Store(y); a1.Store(y + kp); a2.Store(y + 2 * kp); a3.Store(y + 3 * kp);
            a4.Store(y + 4 * kp); a5.Store(y + 5 * kp); a6.Store(y + 6 * kp); a7.Store(y + 7 * kp);
            a8.Store(y + 8 * kp); a9.Store(y + 9 * kp); a10.Store(y + 10 * kp); a11.Store(y + 11 * kp);
        }

        /// <summary>Tails: <paramref name="rows"/> positions, 8 filters (of a panel <paramref name="ws"/> wide), one position at a time.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block1x8Rows(float* x, float* y, float* w, float* bias, int* bases, int rows, int* taps, int tapCount, int channels, int kp, int ws)
        {
            for (int r = 0; r < rows; r++)
            {
                Vector256<float> a = Vector256.Load(bias), a2 = Vector256<float>.Zero;
                float* xr = x + bases[r];
                for (int t = 0; t < tapCount; t++)
                {
                    float* at = xr + taps[t];
                    float* wr = w + t * channels * ws;
                    int c = 0;
                    for (; c + 2 <= channels; c += 2, wr += 2 * ws)
                    {
                        a = Simd.Fmadd(Vector256.Create(at[c]), Vector256.Load(wr), a);
                        a2 = Simd.Fmadd(Vector256.Create(at[c + 1]), Vector256.Load(wr + ws), a2);
                    }
                    if (c < channels) a = Simd.Fmadd(Vector256.Create(at[c]), Vector256.Load(wr), a);
                }
                (a + a2).Store(y + r * kp);
            }
        }

        /// <summary>
        /// Whole output rows [from, to) of a compact-input layer, the input step along W a type the JIT specialises on:
        /// each row panel by panel, then the epilogue over the row (still in L1).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Rows<TStep>(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, int width,
            int from, int to, in Epilogue e) where TStep : struct, IStep
        {
            int rows = tapCount * channels;
            for (int row = from; row < to; row += width)
            {
                for (int k0 = 0, panel = 0; k0 < kp; k0 += 16, panel++)
                {
                    float* wp = w + (long)panel * rows * 16;
                    float* yr = y + (long)row * kp + k0;
                    int ow = 0;
                    if (kp - k0 >= 16)
                    {
                        for (; ow + 6 <= width; ow += 6) RowBlock6x16<TStep>(x + bases[row + ow], yr + ow * kp, wp, bias + k0, taps, tapCount, channels, kp);
                        if (ow < width && width >= 6)
                        {
                            ow = width - 6; // overlapping last block
                            RowBlock6x16<TStep>(x + bases[row + ow], yr + ow * kp, wp, bias + k0, taps, tapCount, channels, kp);
                            ow = width;
                        }
                        if (ow < width)
                        {
                            Block1x8Rows(x, yr + ow * kp, wp, bias + k0, bases + row + ow, width - ow, taps, tapCount, channels, kp, 16);
                            Block1x8Rows(x, yr + ow * kp + 8, wp + 8, bias + k0 + 8, bases + row + ow, width - ow, taps, tapCount, channels, kp, 16);
                        }
                    }
                    else
                    {
                        for (; ow + 12 <= width; ow += 12) RowBlock12x8<TStep>(x + bases[row + ow], yr + ow * kp, wp, bias + k0, taps, tapCount, channels, kp);
                        if (ow < width && width >= 12)
                        {
                            ow = width - 12; // overlapping last block
                            RowBlock12x8<TStep>(x + bases[row + ow], yr + ow * kp, wp, bias + k0, taps, tapCount, channels, kp);
                            ow = width;
                        }
                        for (; ow + 4 <= width; ow += 4) RowBlock4x8<TStep>(x + bases[row + ow], yr + ow * kp, wp, bias + k0, taps, tapCount, channels, kp);
                        if (ow < width) Block1x8Rows(x, yr + ow * kp, wp, bias + k0, bases + row + ow, width - ow, taps, tapCount, channels, kp, 8);
                    }
                }
                if (e.Any) e.Apply(y + (long)row * kp, width * kp);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock12x8<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b = Vector256.Load(bias);
            Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b, a8 = b, a9 = b, a10 = b, a11 = b;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * 8;
                for (int c = 0; c < channels; c++, wr += 8, at++)
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
            a0.Store(y); a1.Store(y + kp); a2.Store(y + 2 * kp); a3.Store(y + 3 * kp);
            a4.Store(y + 4 * kp); a5.Store(y + 5 * kp); a6.Store(y + 6 * kp); a7.Store(y + 7 * kp);
            a8.Store(y + 8 * kp); a9.Store(y + 9 * kp); a10.Store(y + 10 * kp); a11.Store(y + 11 * kp);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock4x8<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b = Vector256.Load(bias);
            Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * 8;
                for (int c = 0; c < channels; c++, wr += 8, at++)
                {
                    Vector256<float> wv = Vector256.Load(wr);
                    a0 = Simd.Fmadd(Vector256.Create(at[0]), wv, a0);
                    a1 = Simd.Fmadd(Vector256.Create(at[s]), wv, a1);
                    a2 = Simd.Fmadd(Vector256.Create(at[2 * s]), wv, a2);
                    a3 = Simd.Fmadd(Vector256.Create(at[3 * s]), wv, a3);
                }
            }
            a0.Store(y); a1.Store(y + kp); a2.Store(y + 2 * kp); a3.Store(y + 3 * kp);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock6x16<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b0 = Vector256.Load(bias), b1 = Vector256.Load(bias + 8);
            Vector256<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * 16;
                for (int c = 0; c < channels; c++, wr += 16, at++)
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
            Store2(a00, a01, y); y += kp;
            Store2(a10, a11, y); y += kp;
            Store2(a20, a21, y); y += kp;
            Store2(a30, a31, y); y += kp;
            Store2(a40, a41, y); y += kp;
            Store2(a50, a51, y);
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

        /// <summary>Y = A^T m A for 8 channels of one tile: a 2x2 block of outputs, plus bias and the epilogue, clipped at the edges.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void OutputTile(float* m, int mStride, Vector256<float> bias, float* y, int oh, int ow, int outH, int outW, int kp, in Epilogue e)
        {
            Vector256<float> M(int r, int c) => Vector256.Load(m + (r * 4 + c) * mStride);
            for (int j = 0; j < 2 && oh + j < outH; j++)
            {
                // u = A^T m: row 0 is m0 + m1 + m2, row 1 is m1 - m2 - m3 (over the rows r).
                Vector256<float> u0 = j == 0 ? M(0, 0) + M(1, 0) + M(2, 0) : M(1, 0) - M(2, 0) - M(3, 0);
                Vector256<float> u1 = j == 0 ? M(0, 1) + M(1, 1) + M(2, 1) : M(1, 1) - M(2, 1) - M(3, 1);
                Vector256<float> u2 = j == 0 ? M(0, 2) + M(1, 2) + M(2, 2) : M(1, 2) - M(2, 2) - M(3, 2);
                Vector256<float> u3 = j == 0 ? M(0, 3) + M(1, 3) + M(2, 3) : M(1, 3) - M(2, 3) - M(3, 3);
                float* at = y + ((oh + j) * outW + ow) * kp;
                e.Apply(u0 + u1 + u2 + bias, at).Store(at);
                if (ow + 1 < outW) e.Apply(u1 - u2 - u3 + bias, at + kp).Store(at + kp);
            }
        }
    }

    /// <summary>Copies between channels-last buffers.</summary>
    internal static unsafe class Copy
    {
        /// <summary>
        /// Copies the map <paramref name="x"/> ([in, stride]) into a zeroed <paramref name="padded"/> buffer at
        /// <paramref name="begin"/>: the padding is that zero border.
        /// </summary>
        public static void WithBorder(float* x, float* to, Dims input, Dims padded, Dims begin, int stride)
        {
            new System.Span<float>(to, padded.Product * stride).Clear();
            long row = (long)input.W * stride * 4;
            for (int a = 0; a < input.D; a++)
                for (int b = 0; b < input.H; b++)
                    System.Buffer.MemoryCopy(x + (a * input.H + b) * input.W * stride,
                        to + (((a + begin.D) * padded.H + b + begin.H) * padded.W + begin.W) * stride, row, row);
        }
    }
}

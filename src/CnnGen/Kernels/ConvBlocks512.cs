using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Kernels
{
    /// <summary>
    /// The 512-bit register blocks of the direct convolution (and of Winograd's element-wise products): output
    /// positions x filters held in vector accumulators, one input value broadcast per position and channel, the
    /// weights of a panel row loaded once for all positions. They only multiply and add (no calls: a call would spill
    /// the accumulators); their tails and the epilogue are the driver's.
    /// </summary>
    public static unsafe partial class Conv
    {
        /// <summary>
        /// Stores an accumulator clamped to [lo, hi]: ReLU and ReLU6 in the last pass over a panel, (-inf, inf) in the
        /// others. vmaxps then vminps with the accumulator second: NaN stays NaN, as ONNX Runtime's max(x, 0) keeps it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Put(Vector512<float> a, float* at, Vector512<float> lo, Vector512<float> hi) =>
            Avx512F.Min(hi, Avx512F.Max(lo, a)).Store(at);

        /// <summary>6 positions x 64 filters in 24 accumulators, starting from <paramref name="init"/> (rows <paramref name="initStride"/> apart); weight rows <paramref name="ws"/> apart: each broadcast input feeds four multiply-adds.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void Z6x64(float* x, float* y, float* w, float* init, int initStride, int* bases, int* taps, int tapCount, int channels, int tapStride, int ws, int kp, float* clamp)
        {
            Vector512<float> a0_0 = Vector512.Load(init), a0_1 = Vector512.Load(init + 16), a0_2 = Vector512.Load(init + 32), a0_3 = Vector512.Load(init + 48);
            Vector512<float> a1_0 = Vector512.Load(init + initStride), a1_1 = Vector512.Load(init + initStride + 16), a1_2 = Vector512.Load(init + initStride + 32), a1_3 = Vector512.Load(init + initStride + 48);
            Vector512<float> a2_0 = Vector512.Load(init + 2 * initStride), a2_1 = Vector512.Load(init + 2 * initStride + 16), a2_2 = Vector512.Load(init + 2 * initStride + 32), a2_3 = Vector512.Load(init + 2 * initStride + 48);
            Vector512<float> a3_0 = Vector512.Load(init + 3 * initStride), a3_1 = Vector512.Load(init + 3 * initStride + 16), a3_2 = Vector512.Load(init + 3 * initStride + 32), a3_3 = Vector512.Load(init + 3 * initStride + 48);
            Vector512<float> a4_0 = Vector512.Load(init + 4 * initStride), a4_1 = Vector512.Load(init + 4 * initStride + 16), a4_2 = Vector512.Load(init + 4 * initStride + 32), a4_3 = Vector512.Load(init + 4 * initStride + 48);
            Vector512<float> a5_0 = Vector512.Load(init + 5 * initStride), a5_1 = Vector512.Load(init + 5 * initStride + 16), a5_2 = Vector512.Load(init + 5 * initStride + 32), a5_3 = Vector512.Load(init + 5 * initStride + 48);
            float* x0 = x + bases[0], x1 = x + bases[1], x2 = x + bases[2], x3 = x + bases[3], x4 = x + bases[4], x5 = x + bases[5];
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* wr = w + t * tapStride;
                nint i = taps[t], end = i + channels;
                for (; i < end; i++, wr += step)
                {
                    Vector512<float> w0 = Vector512.Load(wr); Vector512<float> w1 = Vector512.Load(wr + 16); Vector512<float> w2 = Vector512.Load(wr + 32); Vector512<float> w3 = Vector512.Load(wr + 48);
                    Vector512<float> v;
                    v = Vector512.Create(x0[i]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0); a0_1 = Simd.Fmadd(v, w1, a0_1); a0_2 = Simd.Fmadd(v, w2, a0_2); a0_3 = Simd.Fmadd(v, w3, a0_3);
                    v = Vector512.Create(x1[i]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0); a1_1 = Simd.Fmadd(v, w1, a1_1); a1_2 = Simd.Fmadd(v, w2, a1_2); a1_3 = Simd.Fmadd(v, w3, a1_3);
                    v = Vector512.Create(x2[i]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0); a2_1 = Simd.Fmadd(v, w1, a2_1); a2_2 = Simd.Fmadd(v, w2, a2_2); a2_3 = Simd.Fmadd(v, w3, a2_3);
                    v = Vector512.Create(x3[i]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0); a3_1 = Simd.Fmadd(v, w1, a3_1); a3_2 = Simd.Fmadd(v, w2, a3_2); a3_3 = Simd.Fmadd(v, w3, a3_3);
                    v = Vector512.Create(x4[i]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0); a4_1 = Simd.Fmadd(v, w1, a4_1); a4_2 = Simd.Fmadd(v, w2, a4_2); a4_3 = Simd.Fmadd(v, w3, a4_3);
                    v = Vector512.Create(x5[i]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0); a5_1 = Simd.Fmadd(v, w1, a5_1); a5_2 = Simd.Fmadd(v, w2, a5_2); a5_3 = Simd.Fmadd(v, w3, a5_3);
                }
            }
            Vector512<float> lo = Vector512.Create(clamp[0]), hi = Vector512.Create(clamp[1]);
            Put(a0_0, y, lo, hi);
            Put(a0_1, y + 16, lo, hi);
            Put(a0_2, y + 32, lo, hi);
            Put(a0_3, y + 48, lo, hi);
            Put(a1_0, y + kp, lo, hi);
            Put(a1_1, y + kp + 16, lo, hi);
            Put(a1_2, y + kp + 32, lo, hi);
            Put(a1_3, y + kp + 48, lo, hi);
            Put(a2_0, y + 2 * kp, lo, hi);
            Put(a2_1, y + 2 * kp + 16, lo, hi);
            Put(a2_2, y + 2 * kp + 32, lo, hi);
            Put(a2_3, y + 2 * kp + 48, lo, hi);
            Put(a3_0, y + 3 * kp, lo, hi);
            Put(a3_1, y + 3 * kp + 16, lo, hi);
            Put(a3_2, y + 3 * kp + 32, lo, hi);
            Put(a3_3, y + 3 * kp + 48, lo, hi);
            Put(a4_0, y + 4 * kp, lo, hi);
            Put(a4_1, y + 4 * kp + 16, lo, hi);
            Put(a4_2, y + 4 * kp + 32, lo, hi);
            Put(a4_3, y + 4 * kp + 48, lo, hi);
            Put(a5_0, y + 5 * kp, lo, hi);
            Put(a5_1, y + 5 * kp + 16, lo, hi);
            Put(a5_2, y + 5 * kp + 32, lo, hi);
            Put(a5_3, y + 5 * kp + 48, lo, hi);
        }

        /// <summary>12 positions x 32 filters in 24 accumulators.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void Z12x32(float* x, float* y, float* w, float* init, int initStride, int* bases, int* taps, int tapCount, int channels, int tapStride, int ws, int kp, float* clamp)
        {
            Vector512<float> a0_0 = Vector512.Load(init), a0_1 = Vector512.Load(init + 16);
            Vector512<float> a1_0 = Vector512.Load(init + initStride), a1_1 = Vector512.Load(init + initStride + 16);
            Vector512<float> a2_0 = Vector512.Load(init + 2 * initStride), a2_1 = Vector512.Load(init + 2 * initStride + 16);
            Vector512<float> a3_0 = Vector512.Load(init + 3 * initStride), a3_1 = Vector512.Load(init + 3 * initStride + 16);
            Vector512<float> a4_0 = Vector512.Load(init + 4 * initStride), a4_1 = Vector512.Load(init + 4 * initStride + 16);
            Vector512<float> a5_0 = Vector512.Load(init + 5 * initStride), a5_1 = Vector512.Load(init + 5 * initStride + 16);
            Vector512<float> a6_0 = Vector512.Load(init + 6 * initStride), a6_1 = Vector512.Load(init + 6 * initStride + 16);
            Vector512<float> a7_0 = Vector512.Load(init + 7 * initStride), a7_1 = Vector512.Load(init + 7 * initStride + 16);
            Vector512<float> a8_0 = Vector512.Load(init + 8 * initStride), a8_1 = Vector512.Load(init + 8 * initStride + 16);
            Vector512<float> a9_0 = Vector512.Load(init + 9 * initStride), a9_1 = Vector512.Load(init + 9 * initStride + 16);
            Vector512<float> a10_0 = Vector512.Load(init + 10 * initStride), a10_1 = Vector512.Load(init + 10 * initStride + 16);
            Vector512<float> a11_0 = Vector512.Load(init + 11 * initStride), a11_1 = Vector512.Load(init + 11 * initStride + 16);
            float* x0 = x + bases[0], x1 = x + bases[1], x2 = x + bases[2], x3 = x + bases[3], x4 = x + bases[4], x5 = x + bases[5];
            float* x6 = x + bases[6], x7 = x + bases[7], x8 = x + bases[8], x9 = x + bases[9], x10 = x + bases[10], x11 = x + bases[11];
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* wr = w + t * tapStride;
                nint i = taps[t], end = i + channels;
                for (; i < end; i++, wr += step)
                {
                    Vector512<float> w0 = Vector512.Load(wr); Vector512<float> w1 = Vector512.Load(wr + 16);
                    Vector512<float> v;
                    v = Vector512.Create(x0[i]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0); a0_1 = Simd.Fmadd(v, w1, a0_1);
                    v = Vector512.Create(x1[i]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0); a1_1 = Simd.Fmadd(v, w1, a1_1);
                    v = Vector512.Create(x2[i]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0); a2_1 = Simd.Fmadd(v, w1, a2_1);
                    v = Vector512.Create(x3[i]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0); a3_1 = Simd.Fmadd(v, w1, a3_1);
                    v = Vector512.Create(x4[i]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0); a4_1 = Simd.Fmadd(v, w1, a4_1);
                    v = Vector512.Create(x5[i]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0); a5_1 = Simd.Fmadd(v, w1, a5_1);
                    v = Vector512.Create(x6[i]);
                    a6_0 = Simd.Fmadd(v, w0, a6_0); a6_1 = Simd.Fmadd(v, w1, a6_1);
                    v = Vector512.Create(x7[i]);
                    a7_0 = Simd.Fmadd(v, w0, a7_0); a7_1 = Simd.Fmadd(v, w1, a7_1);
                    v = Vector512.Create(x8[i]);
                    a8_0 = Simd.Fmadd(v, w0, a8_0); a8_1 = Simd.Fmadd(v, w1, a8_1);
                    v = Vector512.Create(x9[i]);
                    a9_0 = Simd.Fmadd(v, w0, a9_0); a9_1 = Simd.Fmadd(v, w1, a9_1);
                    v = Vector512.Create(x10[i]);
                    a10_0 = Simd.Fmadd(v, w0, a10_0); a10_1 = Simd.Fmadd(v, w1, a10_1);
                    v = Vector512.Create(x11[i]);
                    a11_0 = Simd.Fmadd(v, w0, a11_0); a11_1 = Simd.Fmadd(v, w1, a11_1);
                }
            }
            Vector512<float> lo = Vector512.Create(clamp[0]), hi = Vector512.Create(clamp[1]);
            Put(a0_0, y, lo, hi);
            Put(a0_1, y + 16, lo, hi);
            Put(a1_0, y + kp, lo, hi);
            Put(a1_1, y + kp + 16, lo, hi);
            Put(a2_0, y + 2 * kp, lo, hi);
            Put(a2_1, y + 2 * kp + 16, lo, hi);
            Put(a3_0, y + 3 * kp, lo, hi);
            Put(a3_1, y + 3 * kp + 16, lo, hi);
            Put(a4_0, y + 4 * kp, lo, hi);
            Put(a4_1, y + 4 * kp + 16, lo, hi);
            Put(a5_0, y + 5 * kp, lo, hi);
            Put(a5_1, y + 5 * kp + 16, lo, hi);
            Put(a6_0, y + 6 * kp, lo, hi);
            Put(a6_1, y + 6 * kp + 16, lo, hi);
            Put(a7_0, y + 7 * kp, lo, hi);
            Put(a7_1, y + 7 * kp + 16, lo, hi);
            Put(a8_0, y + 8 * kp, lo, hi);
            Put(a8_1, y + 8 * kp + 16, lo, hi);
            Put(a9_0, y + 9 * kp, lo, hi);
            Put(a9_1, y + 9 * kp + 16, lo, hi);
            Put(a10_0, y + 10 * kp, lo, hi);
            Put(a10_1, y + 10 * kp + 16, lo, hi);
            Put(a11_0, y + 11 * kp, lo, hi);
            Put(a11_1, y + 11 * kp + 16, lo, hi);
        }

        /// <summary>12 positions x 16 filters in 12 accumulators (a panel of 16, or the first 16 of a panel of 24).</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void Z12x16(float* x, float* y, float* w, float* init, int initStride, int* bases, int* taps, int tapCount, int channels, int tapStride, int ws, int kp, float* clamp)
        {
            Vector512<float> a0_0 = Vector512.Load(init);
            Vector512<float> a1_0 = Vector512.Load(init + initStride);
            Vector512<float> a2_0 = Vector512.Load(init + 2 * initStride);
            Vector512<float> a3_0 = Vector512.Load(init + 3 * initStride);
            Vector512<float> a4_0 = Vector512.Load(init + 4 * initStride);
            Vector512<float> a5_0 = Vector512.Load(init + 5 * initStride);
            Vector512<float> a6_0 = Vector512.Load(init + 6 * initStride);
            Vector512<float> a7_0 = Vector512.Load(init + 7 * initStride);
            Vector512<float> a8_0 = Vector512.Load(init + 8 * initStride);
            Vector512<float> a9_0 = Vector512.Load(init + 9 * initStride);
            Vector512<float> a10_0 = Vector512.Load(init + 10 * initStride);
            Vector512<float> a11_0 = Vector512.Load(init + 11 * initStride);
            float* x0 = x + bases[0], x1 = x + bases[1], x2 = x + bases[2], x3 = x + bases[3], x4 = x + bases[4], x5 = x + bases[5];
            float* x6 = x + bases[6], x7 = x + bases[7], x8 = x + bases[8], x9 = x + bases[9], x10 = x + bases[10], x11 = x + bases[11];
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* wr = w + t * tapStride;
                nint i = taps[t], end = i + channels;
                for (; i < end; i++, wr += step)
                {
                    Vector512<float> w0 = Vector512.Load(wr);
                    Vector512<float> v;
                    v = Vector512.Create(x0[i]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0);
                    v = Vector512.Create(x1[i]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0);
                    v = Vector512.Create(x2[i]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0);
                    v = Vector512.Create(x3[i]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0);
                    v = Vector512.Create(x4[i]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0);
                    v = Vector512.Create(x5[i]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0);
                    v = Vector512.Create(x6[i]);
                    a6_0 = Simd.Fmadd(v, w0, a6_0);
                    v = Vector512.Create(x7[i]);
                    a7_0 = Simd.Fmadd(v, w0, a7_0);
                    v = Vector512.Create(x8[i]);
                    a8_0 = Simd.Fmadd(v, w0, a8_0);
                    v = Vector512.Create(x9[i]);
                    a9_0 = Simd.Fmadd(v, w0, a9_0);
                    v = Vector512.Create(x10[i]);
                    a10_0 = Simd.Fmadd(v, w0, a10_0);
                    v = Vector512.Create(x11[i]);
                    a11_0 = Simd.Fmadd(v, w0, a11_0);
                }
            }
            Vector512<float> lo = Vector512.Create(clamp[0]), hi = Vector512.Create(clamp[1]);
            Put(a0_0, y, lo, hi);
            Put(a1_0, y + kp, lo, hi);
            Put(a2_0, y + 2 * kp, lo, hi);
            Put(a3_0, y + 3 * kp, lo, hi);
            Put(a4_0, y + 4 * kp, lo, hi);
            Put(a5_0, y + 5 * kp, lo, hi);
            Put(a6_0, y + 6 * kp, lo, hi);
            Put(a7_0, y + 7 * kp, lo, hi);
            Put(a8_0, y + 8 * kp, lo, hi);
            Put(a9_0, y + 9 * kp, lo, hi);
            Put(a10_0, y + 10 * kp, lo, hi);
            Put(a11_0, y + 11 * kp, lo, hi);
        }

        /// <summary>6 consecutive positions of a row of a compact-input layer (input step along W: <typeparamref name="TStep"/>) x 64 filters.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowZ6x64<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int ws, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector512<float> b0 = Vector512.Load(bias), b1 = Vector512.Load(bias + 16), b2 = Vector512.Load(bias + 32), b3 = Vector512.Load(bias + 48);
            Vector512<float> a0_0 = b0, a0_1 = b1, a0_2 = b2, a0_3 = b3;
            Vector512<float> a1_0 = b0, a1_1 = b1, a1_2 = b2, a1_3 = b3;
            Vector512<float> a2_0 = b0, a2_1 = b1, a2_2 = b2, a2_3 = b3;
            Vector512<float> a3_0 = b0, a3_1 = b1, a3_2 = b2, a3_3 = b3;
            Vector512<float> a4_0 = b0, a4_1 = b1, a4_2 = b2, a4_3 = b3;
            Vector512<float> a5_0 = b0, a5_1 = b1, a5_2 = b2, a5_3 = b3;
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * ws;
                for (int c = 0; c < channels; c++, wr += step, at++)
                {
                    Vector512<float> w0 = Vector512.Load(wr); Vector512<float> w1 = Vector512.Load(wr + 16); Vector512<float> w2 = Vector512.Load(wr + 32); Vector512<float> w3 = Vector512.Load(wr + 48);
                    Vector512<float> v;
                    v = Vector512.Create(at[0]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0); a0_1 = Simd.Fmadd(v, w1, a0_1); a0_2 = Simd.Fmadd(v, w2, a0_2); a0_3 = Simd.Fmadd(v, w3, a0_3);
                    v = Vector512.Create(at[s]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0); a1_1 = Simd.Fmadd(v, w1, a1_1); a1_2 = Simd.Fmadd(v, w2, a1_2); a1_3 = Simd.Fmadd(v, w3, a1_3);
                    v = Vector512.Create(at[2 * s]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0); a2_1 = Simd.Fmadd(v, w1, a2_1); a2_2 = Simd.Fmadd(v, w2, a2_2); a2_3 = Simd.Fmadd(v, w3, a2_3);
                    v = Vector512.Create(at[3 * s]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0); a3_1 = Simd.Fmadd(v, w1, a3_1); a3_2 = Simd.Fmadd(v, w2, a3_2); a3_3 = Simd.Fmadd(v, w3, a3_3);
                    v = Vector512.Create(at[4 * s]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0); a4_1 = Simd.Fmadd(v, w1, a4_1); a4_2 = Simd.Fmadd(v, w2, a4_2); a4_3 = Simd.Fmadd(v, w3, a4_3);
                    v = Vector512.Create(at[5 * s]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0); a5_1 = Simd.Fmadd(v, w1, a5_1); a5_2 = Simd.Fmadd(v, w2, a5_2); a5_3 = Simd.Fmadd(v, w3, a5_3);
                }
            }
            a0_0.Store(y);
            a0_1.Store(y + 16);
            a0_2.Store(y + 32);
            a0_3.Store(y + 48);
            a1_0.Store(y + kp);
            a1_1.Store(y + kp + 16);
            a1_2.Store(y + kp + 32);
            a1_3.Store(y + kp + 48);
            a2_0.Store(y + 2 * kp);
            a2_1.Store(y + 2 * kp + 16);
            a2_2.Store(y + 2 * kp + 32);
            a2_3.Store(y + 2 * kp + 48);
            a3_0.Store(y + 3 * kp);
            a3_1.Store(y + 3 * kp + 16);
            a3_2.Store(y + 3 * kp + 32);
            a3_3.Store(y + 3 * kp + 48);
            a4_0.Store(y + 4 * kp);
            a4_1.Store(y + 4 * kp + 16);
            a4_2.Store(y + 4 * kp + 32);
            a4_3.Store(y + 4 * kp + 48);
            a5_0.Store(y + 5 * kp);
            a5_1.Store(y + 5 * kp + 16);
            a5_2.Store(y + 5 * kp + 32);
            a5_3.Store(y + 5 * kp + 48);
        }

        /// <summary>12 consecutive positions of a row x 32 filters.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowZ12x32<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int ws, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector512<float> b0 = Vector512.Load(bias), b1 = Vector512.Load(bias + 16);
            Vector512<float> a0_0 = b0, a0_1 = b1;
            Vector512<float> a1_0 = b0, a1_1 = b1;
            Vector512<float> a2_0 = b0, a2_1 = b1;
            Vector512<float> a3_0 = b0, a3_1 = b1;
            Vector512<float> a4_0 = b0, a4_1 = b1;
            Vector512<float> a5_0 = b0, a5_1 = b1;
            Vector512<float> a6_0 = b0, a6_1 = b1;
            Vector512<float> a7_0 = b0, a7_1 = b1;
            Vector512<float> a8_0 = b0, a8_1 = b1;
            Vector512<float> a9_0 = b0, a9_1 = b1;
            Vector512<float> a10_0 = b0, a10_1 = b1;
            Vector512<float> a11_0 = b0, a11_1 = b1;
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * ws;
                for (int c = 0; c < channels; c++, wr += step, at++)
                {
                    Vector512<float> w0 = Vector512.Load(wr); Vector512<float> w1 = Vector512.Load(wr + 16);
                    Vector512<float> v;
                    v = Vector512.Create(at[0]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0); a0_1 = Simd.Fmadd(v, w1, a0_1);
                    v = Vector512.Create(at[s]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0); a1_1 = Simd.Fmadd(v, w1, a1_1);
                    v = Vector512.Create(at[2 * s]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0); a2_1 = Simd.Fmadd(v, w1, a2_1);
                    v = Vector512.Create(at[3 * s]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0); a3_1 = Simd.Fmadd(v, w1, a3_1);
                    v = Vector512.Create(at[4 * s]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0); a4_1 = Simd.Fmadd(v, w1, a4_1);
                    v = Vector512.Create(at[5 * s]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0); a5_1 = Simd.Fmadd(v, w1, a5_1);
                    v = Vector512.Create(at[6 * s]);
                    a6_0 = Simd.Fmadd(v, w0, a6_0); a6_1 = Simd.Fmadd(v, w1, a6_1);
                    v = Vector512.Create(at[7 * s]);
                    a7_0 = Simd.Fmadd(v, w0, a7_0); a7_1 = Simd.Fmadd(v, w1, a7_1);
                    v = Vector512.Create(at[8 * s]);
                    a8_0 = Simd.Fmadd(v, w0, a8_0); a8_1 = Simd.Fmadd(v, w1, a8_1);
                    v = Vector512.Create(at[9 * s]);
                    a9_0 = Simd.Fmadd(v, w0, a9_0); a9_1 = Simd.Fmadd(v, w1, a9_1);
                    v = Vector512.Create(at[10 * s]);
                    a10_0 = Simd.Fmadd(v, w0, a10_0); a10_1 = Simd.Fmadd(v, w1, a10_1);
                    v = Vector512.Create(at[11 * s]);
                    a11_0 = Simd.Fmadd(v, w0, a11_0); a11_1 = Simd.Fmadd(v, w1, a11_1);
                }
            }
            a0_0.Store(y);
            a0_1.Store(y + 16);
            a1_0.Store(y + kp);
            a1_1.Store(y + kp + 16);
            a2_0.Store(y + 2 * kp);
            a2_1.Store(y + 2 * kp + 16);
            a3_0.Store(y + 3 * kp);
            a3_1.Store(y + 3 * kp + 16);
            a4_0.Store(y + 4 * kp);
            a4_1.Store(y + 4 * kp + 16);
            a5_0.Store(y + 5 * kp);
            a5_1.Store(y + 5 * kp + 16);
            a6_0.Store(y + 6 * kp);
            a6_1.Store(y + 6 * kp + 16);
            a7_0.Store(y + 7 * kp);
            a7_1.Store(y + 7 * kp + 16);
            a8_0.Store(y + 8 * kp);
            a8_1.Store(y + 8 * kp + 16);
            a9_0.Store(y + 9 * kp);
            a9_1.Store(y + 9 * kp + 16);
            a10_0.Store(y + 10 * kp);
            a10_1.Store(y + 10 * kp + 16);
            a11_0.Store(y + 11 * kp);
            a11_1.Store(y + 11 * kp + 16);
        }

        /// <summary>12 consecutive positions of a row x 16 filters.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowZ12x16<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int ws, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector512<float> b0 = Vector512.Load(bias);
            Vector512<float> a0_0 = b0;
            Vector512<float> a1_0 = b0;
            Vector512<float> a2_0 = b0;
            Vector512<float> a3_0 = b0;
            Vector512<float> a4_0 = b0;
            Vector512<float> a5_0 = b0;
            Vector512<float> a6_0 = b0;
            Vector512<float> a7_0 = b0;
            Vector512<float> a8_0 = b0;
            Vector512<float> a9_0 = b0;
            Vector512<float> a10_0 = b0;
            Vector512<float> a11_0 = b0;
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * ws;
                for (int c = 0; c < channels; c++, wr += step, at++)
                {
                    Vector512<float> w0 = Vector512.Load(wr);
                    Vector512<float> v;
                    v = Vector512.Create(at[0]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0);
                    v = Vector512.Create(at[s]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0);
                    v = Vector512.Create(at[2 * s]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0);
                    v = Vector512.Create(at[3 * s]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0);
                    v = Vector512.Create(at[4 * s]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0);
                    v = Vector512.Create(at[5 * s]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0);
                    v = Vector512.Create(at[6 * s]);
                    a6_0 = Simd.Fmadd(v, w0, a6_0);
                    v = Vector512.Create(at[7 * s]);
                    a7_0 = Simd.Fmadd(v, w0, a7_0);
                    v = Vector512.Create(at[8 * s]);
                    a8_0 = Simd.Fmadd(v, w0, a8_0);
                    v = Vector512.Create(at[9 * s]);
                    a9_0 = Simd.Fmadd(v, w0, a9_0);
                    v = Vector512.Create(at[10 * s]);
                    a10_0 = Simd.Fmadd(v, w0, a10_0);
                    v = Vector512.Create(at[11 * s]);
                    a11_0 = Simd.Fmadd(v, w0, a11_0);
                }
            }
            a0_0.Store(y);
            a1_0.Store(y + kp);
            a2_0.Store(y + 2 * kp);
            a3_0.Store(y + 3 * kp);
            a4_0.Store(y + 4 * kp);
            a5_0.Store(y + 5 * kp);
            a6_0.Store(y + 6 * kp);
            a7_0.Store(y + 7 * kp);
            a8_0.Store(y + 8 * kp);
            a9_0.Store(y + 9 * kp);
            a10_0.Store(y + 10 * kp);
            a11_0.Store(y + 11 * kp);
        }

        /// <summary>16 consecutive positions of a row x 16 filters: rows whose width is a multiple of 16 (32, 112, 224) in whole blocks, where blocks of 12 would compute some positions twice.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowZ16x16<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int ws, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector512<float> b0 = Vector512.Load(bias);
            Vector512<float> a0_0 = b0;
            Vector512<float> a1_0 = b0;
            Vector512<float> a2_0 = b0;
            Vector512<float> a3_0 = b0;
            Vector512<float> a4_0 = b0;
            Vector512<float> a5_0 = b0;
            Vector512<float> a6_0 = b0;
            Vector512<float> a7_0 = b0;
            Vector512<float> a8_0 = b0;
            Vector512<float> a9_0 = b0;
            Vector512<float> a10_0 = b0;
            Vector512<float> a11_0 = b0;
            Vector512<float> a12_0 = b0;
            Vector512<float> a13_0 = b0;
            Vector512<float> a14_0 = b0;
            Vector512<float> a15_0 = b0;
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * ws;
                for (int c = 0; c < channels; c++, wr += step, at++)
                {
                    Vector512<float> w0 = Vector512.Load(wr);
                    Vector512<float> v;
                    v = Vector512.Create(at[0]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0);
                    v = Vector512.Create(at[s]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0);
                    v = Vector512.Create(at[2 * s]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0);
                    v = Vector512.Create(at[3 * s]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0);
                    v = Vector512.Create(at[4 * s]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0);
                    v = Vector512.Create(at[5 * s]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0);
                    v = Vector512.Create(at[6 * s]);
                    a6_0 = Simd.Fmadd(v, w0, a6_0);
                    v = Vector512.Create(at[7 * s]);
                    a7_0 = Simd.Fmadd(v, w0, a7_0);
                    v = Vector512.Create(at[8 * s]);
                    a8_0 = Simd.Fmadd(v, w0, a8_0);
                    v = Vector512.Create(at[9 * s]);
                    a9_0 = Simd.Fmadd(v, w0, a9_0);
                    v = Vector512.Create(at[10 * s]);
                    a10_0 = Simd.Fmadd(v, w0, a10_0);
                    v = Vector512.Create(at[11 * s]);
                    a11_0 = Simd.Fmadd(v, w0, a11_0);
                    v = Vector512.Create(at[12 * s]);
                    a12_0 = Simd.Fmadd(v, w0, a12_0);
                    v = Vector512.Create(at[13 * s]);
                    a13_0 = Simd.Fmadd(v, w0, a13_0);
                    v = Vector512.Create(at[14 * s]);
                    a14_0 = Simd.Fmadd(v, w0, a14_0);
                    v = Vector512.Create(at[15 * s]);
                    a15_0 = Simd.Fmadd(v, w0, a15_0);
                }
            }
            a0_0.Store(y);
            a1_0.Store(y + kp);
            a2_0.Store(y + 2 * kp);
            a3_0.Store(y + 3 * kp);
            a4_0.Store(y + 4 * kp);
            a5_0.Store(y + 5 * kp);
            a6_0.Store(y + 6 * kp);
            a7_0.Store(y + 7 * kp);
            a8_0.Store(y + 8 * kp);
            a9_0.Store(y + 9 * kp);
            a10_0.Store(y + 10 * kp);
            a11_0.Store(y + 11 * kp);
            a12_0.Store(y + 12 * kp);
            a13_0.Store(y + 13 * kp);
            a14_0.Store(y + 14 * kp);
            a15_0.Store(y + 15 * kp);
        }
    }
}

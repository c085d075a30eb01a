using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>
    /// The 256-bit register blocks of the direct convolution (and of Winograd's element-wise products): output
    /// positions x filters held in vector accumulators, one input value broadcast per position and channel, the
    /// weights of a panel row loaded once for all positions. They only multiply and add (no calls: a call would spill
    /// the accumulators); their tails and the epilogue are the driver's.
    /// </summary>
    public static unsafe partial class Conv
    {
        /// <summary>6 positions x 16 filters in 12 accumulators, starting from <paramref name="init"/> (rows <paramref name="initStride"/> apart); weight rows <paramref name="ws"/> apart.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void Block6x16(float* x, float* y, float* w, float* init, int initStride, int* bases, int* taps, int tapCount, int channels, int tapStride, int ws, int kp)
        {
            Vector256<float> a0_0 = Vector256.Load(init), a0_1 = Vector256.Load(init + 8);
            Vector256<float> a1_0 = Vector256.Load(init + initStride), a1_1 = Vector256.Load(init + initStride + 8);
            Vector256<float> a2_0 = Vector256.Load(init + 2 * initStride), a2_1 = Vector256.Load(init + 2 * initStride + 8);
            Vector256<float> a3_0 = Vector256.Load(init + 3 * initStride), a3_1 = Vector256.Load(init + 3 * initStride + 8);
            Vector256<float> a4_0 = Vector256.Load(init + 4 * initStride), a4_1 = Vector256.Load(init + 4 * initStride + 8);
            Vector256<float> a5_0 = Vector256.Load(init + 5 * initStride), a5_1 = Vector256.Load(init + 5 * initStride + 8);
            float* x0 = x + bases[0], x1 = x + bases[1], x2 = x + bases[2], x3 = x + bases[3], x4 = x + bases[4], x5 = x + bases[5];
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* wr = w + t * tapStride;
                nint i = taps[t], end = i + channels;
                for (; i < end; i++, wr += step)
                {
                    Vector256<float> w0 = Vector256.Load(wr); Vector256<float> w1 = Vector256.Load(wr + 8);
                    Vector256<float> v;
                    v = Vector256.Create(x0[i]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0); a0_1 = Simd.Fmadd(v, w1, a0_1);
                    v = Vector256.Create(x1[i]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0); a1_1 = Simd.Fmadd(v, w1, a1_1);
                    v = Vector256.Create(x2[i]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0); a2_1 = Simd.Fmadd(v, w1, a2_1);
                    v = Vector256.Create(x3[i]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0); a3_1 = Simd.Fmadd(v, w1, a3_1);
                    v = Vector256.Create(x4[i]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0); a4_1 = Simd.Fmadd(v, w1, a4_1);
                    v = Vector256.Create(x5[i]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0); a5_1 = Simd.Fmadd(v, w1, a5_1);
                }
            }
            a0_0.Store(y);
            a0_1.Store(y + 8);
            a1_0.Store(y + kp);
            a1_1.Store(y + kp + 8);
            a2_0.Store(y + 2 * kp);
            a2_1.Store(y + 2 * kp + 8);
            a3_0.Store(y + 3 * kp);
            a3_1.Store(y + 3 * kp + 8);
            a4_0.Store(y + 4 * kp);
            a4_1.Store(y + 4 * kp + 8);
            a5_0.Store(y + 5 * kp);
            a5_1.Store(y + 5 * kp + 8);
        }

        /// <summary>12 positions x 8 filters in 12 accumulators.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void Block12x8(float* x, float* y, float* w, float* init, int initStride, int* bases, int* taps, int tapCount, int channels, int tapStride, int ws, int kp)
        {
            Vector256<float> a0_0 = Vector256.Load(init);
            Vector256<float> a1_0 = Vector256.Load(init + initStride);
            Vector256<float> a2_0 = Vector256.Load(init + 2 * initStride);
            Vector256<float> a3_0 = Vector256.Load(init + 3 * initStride);
            Vector256<float> a4_0 = Vector256.Load(init + 4 * initStride);
            Vector256<float> a5_0 = Vector256.Load(init + 5 * initStride);
            Vector256<float> a6_0 = Vector256.Load(init + 6 * initStride);
            Vector256<float> a7_0 = Vector256.Load(init + 7 * initStride);
            Vector256<float> a8_0 = Vector256.Load(init + 8 * initStride);
            Vector256<float> a9_0 = Vector256.Load(init + 9 * initStride);
            Vector256<float> a10_0 = Vector256.Load(init + 10 * initStride);
            Vector256<float> a11_0 = Vector256.Load(init + 11 * initStride);
            float* x0 = x + bases[0], x1 = x + bases[1], x2 = x + bases[2], x3 = x + bases[3], x4 = x + bases[4], x5 = x + bases[5];
            float* x6 = x + bases[6], x7 = x + bases[7], x8 = x + bases[8], x9 = x + bases[9], x10 = x + bases[10], x11 = x + bases[11];
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* wr = w + t * tapStride;
                nint i = taps[t], end = i + channels;
                for (; i < end; i++, wr += step)
                {
                    Vector256<float> w0 = Vector256.Load(wr);
                    Vector256<float> v;
                    v = Vector256.Create(x0[i]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0);
                    v = Vector256.Create(x1[i]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0);
                    v = Vector256.Create(x2[i]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0);
                    v = Vector256.Create(x3[i]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0);
                    v = Vector256.Create(x4[i]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0);
                    v = Vector256.Create(x5[i]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0);
                    v = Vector256.Create(x6[i]);
                    a6_0 = Simd.Fmadd(v, w0, a6_0);
                    v = Vector256.Create(x7[i]);
                    a7_0 = Simd.Fmadd(v, w0, a7_0);
                    v = Vector256.Create(x8[i]);
                    a8_0 = Simd.Fmadd(v, w0, a8_0);
                    v = Vector256.Create(x9[i]);
                    a9_0 = Simd.Fmadd(v, w0, a9_0);
                    v = Vector256.Create(x10[i]);
                    a10_0 = Simd.Fmadd(v, w0, a10_0);
                    v = Vector256.Create(x11[i]);
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

        /// <summary>6 consecutive positions of a row of a compact-input layer (input step along W: <typeparamref name="TStep"/>) x 16 filters.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock6x16<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int ws, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b0 = Vector256.Load(bias), b1 = Vector256.Load(bias + 8);
            Vector256<float> a0_0 = b0, a0_1 = b1;
            Vector256<float> a1_0 = b0, a1_1 = b1;
            Vector256<float> a2_0 = b0, a2_1 = b1;
            Vector256<float> a3_0 = b0, a3_1 = b1;
            Vector256<float> a4_0 = b0, a4_1 = b1;
            Vector256<float> a5_0 = b0, a5_1 = b1;
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * ws;
                for (int c = 0; c < channels; c++, wr += step, at++)
                {
                    Vector256<float> w0 = Vector256.Load(wr); Vector256<float> w1 = Vector256.Load(wr + 8);
                    Vector256<float> v;
                    v = Vector256.Create(at[0]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0); a0_1 = Simd.Fmadd(v, w1, a0_1);
                    v = Vector256.Create(at[s]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0); a1_1 = Simd.Fmadd(v, w1, a1_1);
                    v = Vector256.Create(at[2 * s]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0); a2_1 = Simd.Fmadd(v, w1, a2_1);
                    v = Vector256.Create(at[3 * s]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0); a3_1 = Simd.Fmadd(v, w1, a3_1);
                    v = Vector256.Create(at[4 * s]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0); a4_1 = Simd.Fmadd(v, w1, a4_1);
                    v = Vector256.Create(at[5 * s]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0); a5_1 = Simd.Fmadd(v, w1, a5_1);
                }
            }
            a0_0.Store(y);
            a0_1.Store(y + 8);
            a1_0.Store(y + kp);
            a1_1.Store(y + kp + 8);
            a2_0.Store(y + 2 * kp);
            a2_1.Store(y + 2 * kp + 8);
            a3_0.Store(y + 3 * kp);
            a3_1.Store(y + 3 * kp + 8);
            a4_0.Store(y + 4 * kp);
            a4_1.Store(y + 4 * kp + 8);
            a5_0.Store(y + 5 * kp);
            a5_1.Store(y + 5 * kp + 8);
        }

        /// <summary>12 consecutive positions of a row x 8 filters.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock12x8<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int ws, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b0 = Vector256.Load(bias);
            Vector256<float> a0_0 = b0;
            Vector256<float> a1_0 = b0;
            Vector256<float> a2_0 = b0;
            Vector256<float> a3_0 = b0;
            Vector256<float> a4_0 = b0;
            Vector256<float> a5_0 = b0;
            Vector256<float> a6_0 = b0;
            Vector256<float> a7_0 = b0;
            Vector256<float> a8_0 = b0;
            Vector256<float> a9_0 = b0;
            Vector256<float> a10_0 = b0;
            Vector256<float> a11_0 = b0;
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * ws;
                for (int c = 0; c < channels; c++, wr += step, at++)
                {
                    Vector256<float> w0 = Vector256.Load(wr);
                    Vector256<float> v;
                    v = Vector256.Create(at[0]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0);
                    v = Vector256.Create(at[s]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0);
                    v = Vector256.Create(at[2 * s]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0);
                    v = Vector256.Create(at[3 * s]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0);
                    v = Vector256.Create(at[4 * s]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0);
                    v = Vector256.Create(at[5 * s]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0);
                    v = Vector256.Create(at[6 * s]);
                    a6_0 = Simd.Fmadd(v, w0, a6_0);
                    v = Vector256.Create(at[7 * s]);
                    a7_0 = Simd.Fmadd(v, w0, a7_0);
                    v = Vector256.Create(at[8 * s]);
                    a8_0 = Simd.Fmadd(v, w0, a8_0);
                    v = Vector256.Create(at[9 * s]);
                    a9_0 = Simd.Fmadd(v, w0, a9_0);
                    v = Vector256.Create(at[10 * s]);
                    a10_0 = Simd.Fmadd(v, w0, a10_0);
                    v = Vector256.Create(at[11 * s]);
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

        /// <summary>4 consecutive positions of a row x 8 filters (row tails).</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowBlock4x8<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int ws, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector256<float> b0 = Vector256.Load(bias);
            Vector256<float> a0_0 = b0;
            Vector256<float> a1_0 = b0;
            Vector256<float> a2_0 = b0;
            Vector256<float> a3_0 = b0;
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * ws;
                for (int c = 0; c < channels; c++, wr += step, at++)
                {
                    Vector256<float> w0 = Vector256.Load(wr);
                    Vector256<float> v;
                    v = Vector256.Create(at[0]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0);
                    v = Vector256.Create(at[s]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0);
                    v = Vector256.Create(at[2 * s]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0);
                    v = Vector256.Create(at[3 * s]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0);
                }
            }
            a0_0.Store(y);
            a1_0.Store(y + kp);
            a2_0.Store(y + 2 * kp);
            a3_0.Store(y + 3 * kp);
        }

        /// <summary>
        /// Tails: <paramref name="rows"/> positions, 8 filters (of a panel <paramref name="ws"/> wide), one position at a
        /// time, each starting from <paramref name="init"/> (rows <paramref name="initStride"/> apart).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void Block1x8Rows(float* x, float* y, float* w, float* init, int initStride, int* bases, int rows, int* taps, int tapCount, int channels,
            int tapStride, int kp, int ws)
        {
            for (int r = 0; r < rows; r++)
            {
                Vector256<float> a = Vector256.Load(init + r * initStride), a2 = Vector256<float>.Zero;
                float* xr = x + bases[r];
                for (int t = 0; t < tapCount; t++)
                {
                    float* at = xr + taps[t];
                    float* wr = w + t * tapStride;
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
    }
}

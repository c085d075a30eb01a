using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>
    /// The 128-bit register blocks of the direct convolution (and of Winograd's element-wise products): output
    /// positions x filters held in vector accumulators, one input value broadcast per position and channel, the
    /// weights of a panel row loaded once for all positions. They only multiply and add (no calls: a call would spill
    /// the accumulators); their tails and the epilogue are the driver's. They run where Vector256 is not accelerated
    /// (ARM64's AdvSimd, x64 without AVX2 as in NativeAOT's default target, WebAssembly SIMD): 6 x 8 takes 12 of the 16
    /// vector registers x64 has (32 on ARM64), leaving the two weight vectors, the broadcast input and, without FMA, the product.
    /// </summary>
    public static unsafe partial class Conv
    {
        /// <summary>6 positions x 8 filters in 12 accumulators, starting from <paramref name="init"/> (rows <paramref name="initStride"/> apart); weight rows <paramref name="ws"/> apart.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void X6x8(float* x, float* y, float* w, float* init, int initStride, int* bases, int* taps, int tapCount, int channels, int tapStride, int ws, int kp)
        {
            Vector128<float> a0_0 = Vector128.Load(init), a0_1 = Vector128.Load(init + 4);
            Vector128<float> a1_0 = Vector128.Load(init + initStride), a1_1 = Vector128.Load(init + initStride + 4);
            Vector128<float> a2_0 = Vector128.Load(init + 2 * initStride), a2_1 = Vector128.Load(init + 2 * initStride + 4);
            Vector128<float> a3_0 = Vector128.Load(init + 3 * initStride), a3_1 = Vector128.Load(init + 3 * initStride + 4);
            Vector128<float> a4_0 = Vector128.Load(init + 4 * initStride), a4_1 = Vector128.Load(init + 4 * initStride + 4);
            Vector128<float> a5_0 = Vector128.Load(init + 5 * initStride), a5_1 = Vector128.Load(init + 5 * initStride + 4);
            float* x0 = x + bases[0], x1 = x + bases[1], x2 = x + bases[2], x3 = x + bases[3], x4 = x + bases[4], x5 = x + bases[5];
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* wr = w + t * tapStride;
                nint i = taps[t], end = i + channels;
                for (; i < end; i++, wr += step)
                {
                    Vector128<float> w0 = Vector128.Load(wr); Vector128<float> w1 = Vector128.Load(wr + 4);
                    Vector128<float> v;
                    v = Vector128.Create(x0[i]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0); a0_1 = Simd.Fmadd(v, w1, a0_1);
                    v = Vector128.Create(x1[i]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0); a1_1 = Simd.Fmadd(v, w1, a1_1);
                    v = Vector128.Create(x2[i]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0); a2_1 = Simd.Fmadd(v, w1, a2_1);
                    v = Vector128.Create(x3[i]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0); a3_1 = Simd.Fmadd(v, w1, a3_1);
                    v = Vector128.Create(x4[i]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0); a4_1 = Simd.Fmadd(v, w1, a4_1);
                    v = Vector128.Create(x5[i]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0); a5_1 = Simd.Fmadd(v, w1, a5_1);
                }
            }
            a0_0.Store(y);
            a0_1.Store(y + 4);
            a1_0.Store(y + kp);
            a1_1.Store(y + kp + 4);
            a2_0.Store(y + 2 * kp);
            a2_1.Store(y + 2 * kp + 4);
            a3_0.Store(y + 3 * kp);
            a3_1.Store(y + 3 * kp + 4);
            a4_0.Store(y + 4 * kp);
            a4_1.Store(y + 4 * kp + 4);
            a5_0.Store(y + 5 * kp);
            a5_1.Store(y + 5 * kp + 4);
        }

        /// <summary>6 consecutive positions of a row of a compact-input layer (input step along W: <typeparamref name="TStep"/>) x 8 filters.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void RowX6x8<TStep>(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int channels, int ws, int kp) where TStep : struct, IStep
        {
            int s = TStep.Value;
            Vector128<float> b0 = Vector128.Load(bias), b1 = Vector128.Load(bias + 4);
            Vector128<float> a0_0 = b0, a0_1 = b1;
            Vector128<float> a1_0 = b0, a1_1 = b1;
            Vector128<float> a2_0 = b0, a2_1 = b1;
            Vector128<float> a3_0 = b0, a3_1 = b1;
            Vector128<float> a4_0 = b0, a4_1 = b1;
            Vector128<float> a5_0 = b0, a5_1 = b1;
            nint step = ws;
            for (int t = 0; t < tapCount; t++)
            {
                float* at = x + taps[t];
                float* wr = w + t * channels * ws;
                for (int c = 0; c < channels; c++, wr += step, at++)
                {
                    Vector128<float> w0 = Vector128.Load(wr); Vector128<float> w1 = Vector128.Load(wr + 4);
                    Vector128<float> v;
                    v = Vector128.Create(at[0]);
                    a0_0 = Simd.Fmadd(v, w0, a0_0); a0_1 = Simd.Fmadd(v, w1, a0_1);
                    v = Vector128.Create(at[s]);
                    a1_0 = Simd.Fmadd(v, w0, a1_0); a1_1 = Simd.Fmadd(v, w1, a1_1);
                    v = Vector128.Create(at[2 * s]);
                    a2_0 = Simd.Fmadd(v, w0, a2_0); a2_1 = Simd.Fmadd(v, w1, a2_1);
                    v = Vector128.Create(at[3 * s]);
                    a3_0 = Simd.Fmadd(v, w0, a3_0); a3_1 = Simd.Fmadd(v, w1, a3_1);
                    v = Vector128.Create(at[4 * s]);
                    a4_0 = Simd.Fmadd(v, w0, a4_0); a4_1 = Simd.Fmadd(v, w1, a4_1);
                    v = Vector128.Create(at[5 * s]);
                    a5_0 = Simd.Fmadd(v, w0, a5_0); a5_1 = Simd.Fmadd(v, w1, a5_1);
                }
            }
            a0_0.Store(y);
            a0_1.Store(y + 4);
            a1_0.Store(y + kp);
            a1_1.Store(y + kp + 4);
            a2_0.Store(y + 2 * kp);
            a2_1.Store(y + 2 * kp + 4);
            a3_0.Store(y + 3 * kp);
            a3_1.Store(y + 3 * kp + 4);
            a4_0.Store(y + 4 * kp);
            a4_1.Store(y + 4 * kp + 4);
            a5_0.Store(y + 5 * kp);
            a5_1.Store(y + 5 * kp + 4);
        }

        /// <summary>
        /// Tails: <paramref name="rows"/> positions, 8 filters (of a panel <paramref name="ws"/> wide), one position at a
        /// time, each starting from <paramref name="init"/> (rows <paramref name="initStride"/> apart).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static void X1x8Rows(float* x, float* y, float* w, float* init, int initStride, int* bases, int rows, int* taps, int tapCount, int channels,
            int tapStride, int kp, int ws)
        {
            for (int r = 0; r < rows; r++)
            {
                Vector128<float> a0 = Vector128.Load(init + r * initStride), a1 = Vector128.Load(init + r * initStride + 4);
                float* xr = x + bases[r];
                for (int t = 0; t < tapCount; t++)
                {
                    float* at = xr + taps[t];
                    float* wr = w + t * tapStride;
                    for (int c = 0; c < channels; c++, wr += ws)
                    {
                        Vector128<float> v = Vector128.Create(at[c]);
                        a0 = Simd.Fmadd(v, Vector128.Load(wr), a0);
                        a1 = Simd.Fmadd(v, Vector128.Load(wr + 4), a1);
                    }
                }
                a0.Store(y + r * kp);
                a1.Store(y + r * kp + 4);
            }
        }
    }
}

using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>
    /// Fully connected: y = f(W x + b). One sample streams each 64-column weight panel once, 8 vector accumulators; rows
    /// of a batch read each panel once for 4 samples (8 on the 512-bit path), which turns the memory-bound
    /// matrix-vector product into a matrix-matrix one.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Dense
    {
        private static readonly Job s_job = new();

        /// <summary>One sample: <paramref name="x"/> holds N_in values, <paramref name="y"/> receives N_out (room for N_out padded to 8).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(DenseWeights w, ReadOnlySpan<float> x, Span<float> y, Activation activation = Activation.None, float alpha = 0f)
        {
            if (x.Length < w.Inputs || y.Length < w.PaddedUnits)
                throw new ArgumentException($"Dense: buffers of {x.Length} and {y.Length} floats for {w.Inputs} -> {w.Units} (room for {w.PaddedUnits}).");
            fixed (float* xp = x)
            fixed (float* yp = y)
            {
                var e = new Epilogue(activation, alpha, null, yp, Activation.None);
                // A large layer of a single sample: each thread streams its share of the weight panels.
                int threads = Batch.LayerThreads((long)w.Inputs * w.PaddedUnits);
                if (threads > 1)
                {
                    (s_job.Weights, s_job.Epilogue) = (w, e);
                    try
                    {
                        Batch.For(s_job, threads, threads * Batch.PartsPerThread, xp, yp);
                    }
                    finally
                    {
                        s_job.Weights = null;
                    }
                }
                else Columns(w, xp, yp, 0, w.PaddedUnits, e);
            }
        }

        private sealed class Job : IParallelJob
        {
            public DenseWeights? Weights;
            public Epilogue Epilogue;

            public void RunPart(float* x, float* y, int part, int parts, float* scratch)
            {
                (int from, int to) = Batch.Share(Weights!.PaddedUnits, 64, part, parts);
                Columns(Weights, x, y, from, to, Epilogue);
            }
        }

        /// <summary>
        /// <paramref name="rows"/> samples at once: row r of <paramref name="x"/> starts at r * <paramref name="xStride"/>,
        /// its outputs at r * <paramref name="yStride"/> of <paramref name="y"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Rows(DenseWeights w, ReadOnlySpan<float> x, int xStride, Span<float> y, int yStride, int rows, Activation activation = Activation.None, float alpha = 0f)
        {
            if (rows < 1 || x.Length < (long)(rows - 1) * xStride + w.Inputs || y.Length < (long)(rows - 1) * yStride + w.PaddedUnits)
                throw new ArgumentException($"Dense.Rows: buffers of {x.Length} and {y.Length} floats for {rows} rows of {w.Inputs} -> {w.Units}.");
            fixed (float* xp = x)
            fixed (float* yp = y)
            {
                var e = new Epilogue(activation, alpha, null, yp, Activation.None);
                int r = 0;
                float* wp = w.Packed.Pointer, bias = w.Bias.Pointer;
                // Groups of rows that share each weight read from cache: 8 rows in 16 vectors of 512 bits on the 512-bit
                // path (a large layer's panels come from L3 or memory for every group), else 4 rows in 16 vectors of 256
                // bits; on the 128-bit path each row goes on its own.
                while (Simd.Full && rows - r >= 4)
                {
                    int group = Simd.Wide && rows - r >= 8 ? 8 : 4;
                    float* xr = xp + r * xStride, yr = yp + r * yStride;
                    for (int j0 = 0; j0 < w.PaddedUnits; j0 += w.PanelWidth(j0))
                    {
                        float* panel = wp + (long)j0 * w.Inputs;
                        if (w.PanelWidth(j0) == 64)
                        {
                            for (int half = 0; half < 64; half += 32)
                            {
                                if (group == 8) RowsZ8x32(xr, xStride, panel + half, bias + j0 + half, yr + j0 + half, yStride, w.Inputs);
                                else Rows4x32(xr, xStride, panel + half, 64, bias + j0 + half, yr + j0 + half, yStride, w.Inputs);
                            }
                        }
                        else
                        {
                            for (int q = 0; q < group; q += 4)
                                Rows4x8(xr + q * xStride, xStride, panel, bias + j0, yr + q * yStride + j0, yStride, w.Inputs);
                        }
                    }
                    if (e.Any) for (int k = r; k < r + group; k++) e.Apply(yp + k * yStride, w.PaddedUnits);
                    r += group;
                }
                for (; r < rows; r++) Columns(w, xp + r * xStride, yp + r * yStride, 0, w.PaddedUnits, e);
            }
        }

        /// <summary>Outputs [from, to), a range that starts on a weight panel (a multiple of 64).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Columns(DenseWeights weights, float* x, float* y, int from, int to, in Epilogue e)
        {
            float* w = weights.Packed.Pointer, b = weights.Bias.Pointer;
            int n = weights.Inputs;
            if (Simd.Enabled)
            {
                int j = from;
                for (; j + 64 <= to; j += 64)
                {
                    if (Simd.Full) Block64(x, y + j, w + (long)j * n, b + j, n);
                    else
                    {
                        // 128-bit: a panel of 64 in two halves of 32 (8 accumulators of 128 bits each, as x64 has 16 registers).
                        Block32Of64(x, y + j, w + (long)j * n, b + j, n);
                        Block32Of64(x, y + j + 32, w + (long)j * n + 32, b + j + 32, n);
                    }
                }
                for (; j < to; j += 8) Block8(x, y + j, w + (long)j * n, b + j, n);
                if (e.Any) e.Apply(y + from, to - from);
                return;
            }
            for (int j0 = from; j0 < to; j0 += weights.PanelWidth(j0))
            {
                int width = weights.PanelWidth(j0);
                float* panel = w + (long)j0 * n;
                for (int jj = 0; jj < width; jj++)
                {
                    float sum = b[j0 + jj];
                    for (int i = 0; i < n; i++) sum += x[i] * panel[i * width + jj];
                    y[j0 + jj] = e.Apply(sum, y + j0 + jj);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Rows4x32(float* x, int xStride, float* w, int wStride, float* b, float* y, int yStride, int n)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8), b2 = Vector256.Load(b + 16), b3 = Vector256.Load(b + 24);
            Vector256<float> a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3;
            Vector256<float> a20 = b0, a21 = b1, a22 = b2, a23 = b3, a30 = b0, a31 = b1, a32 = b2, a33 = b3;
            float* x0 = x, x1 = x + xStride, x2 = x + 2 * xStride, x3 = x + 3 * xStride;
            for (int i = 0; i < n; i++, w += wStride)
            {
                Vector256<float> w0 = Vector256.Load(w), w1 = Vector256.Load(w + 8), w2 = Vector256.Load(w + 16), w3 = Vector256.Load(w + 24);
                Vector256<float> v = Vector256.Create(x0[i]);
                a00 = Simd.Fmadd(v, w0, a00); a01 = Simd.Fmadd(v, w1, a01); a02 = Simd.Fmadd(v, w2, a02); a03 = Simd.Fmadd(v, w3, a03);
                v = Vector256.Create(x1[i]);
                a10 = Simd.Fmadd(v, w0, a10); a11 = Simd.Fmadd(v, w1, a11); a12 = Simd.Fmadd(v, w2, a12); a13 = Simd.Fmadd(v, w3, a13);
                v = Vector256.Create(x2[i]);
                a20 = Simd.Fmadd(v, w0, a20); a21 = Simd.Fmadd(v, w1, a21); a22 = Simd.Fmadd(v, w2, a22); a23 = Simd.Fmadd(v, w3, a23);
                v = Vector256.Create(x3[i]);
                a30 = Simd.Fmadd(v, w0, a30); a31 = Simd.Fmadd(v, w1, a31); a32 = Simd.Fmadd(v, w2, a32); a33 = Simd.Fmadd(v, w3, a33);
            }
            Store4(a00, a01, a02, a03, y); y += yStride;
            Store4(a10, a11, a12, a13, y); y += yStride;
            Store4(a20, a21, a22, a23, y); y += yStride;
            Store4(a30, a31, a32, a33, y);
        }

        /// <summary>8 rows x 32 outputs of a 64-wide panel (rows of 64 floats) in 16 accumulators of 512 bits.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowsZ8x32(float* x, int xStride, float* w, float* b, float* y, int yStride, int n)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
            Vector512<float> a40 = b0, a41 = b1, a50 = b0, a51 = b1, a60 = b0, a61 = b1, a70 = b0, a71 = b1;
            float* x0 = x, x1 = x + xStride, x2 = x + 2 * xStride, x3 = x + 3 * xStride;
            float* x4 = x + 4 * xStride, x5 = x + 5 * xStride, x6 = x + 6 * xStride, x7 = x + 7 * xStride;
            for (int i = 0; i < n; i++, w += 64)
            {
                Vector512<float> w0 = Vector512.Load(w), w1 = Vector512.Load(w + 16);
                Vector512<float> v = Vector512.Create(x0[i]);
                a00 = Simd.Fmadd(v, w0, a00); a01 = Simd.Fmadd(v, w1, a01);
                v = Vector512.Create(x1[i]);
                a10 = Simd.Fmadd(v, w0, a10); a11 = Simd.Fmadd(v, w1, a11);
                v = Vector512.Create(x2[i]);
                a20 = Simd.Fmadd(v, w0, a20); a21 = Simd.Fmadd(v, w1, a21);
                v = Vector512.Create(x3[i]);
                a30 = Simd.Fmadd(v, w0, a30); a31 = Simd.Fmadd(v, w1, a31);
                v = Vector512.Create(x4[i]);
                a40 = Simd.Fmadd(v, w0, a40); a41 = Simd.Fmadd(v, w1, a41);
                v = Vector512.Create(x5[i]);
                a50 = Simd.Fmadd(v, w0, a50); a51 = Simd.Fmadd(v, w1, a51);
                v = Vector512.Create(x6[i]);
                a60 = Simd.Fmadd(v, w0, a60); a61 = Simd.Fmadd(v, w1, a61);
                v = Vector512.Create(x7[i]);
                a70 = Simd.Fmadd(v, w0, a70); a71 = Simd.Fmadd(v, w1, a71);
            }
            a00.Store(y); a01.Store(y + 16); y += yStride;
            a10.Store(y); a11.Store(y + 16); y += yStride;
            a20.Store(y); a21.Store(y + 16); y += yStride;
            a30.Store(y); a31.Store(y + 16); y += yStride;
            a40.Store(y); a41.Store(y + 16); y += yStride;
            a50.Store(y); a51.Store(y + 16); y += yStride;
            a60.Store(y); a61.Store(y + 16); y += yStride;
            a70.Store(y); a71.Store(y + 16);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, float* y)
        {
            a.Store(y);
            b.Store(y + 8);
            c.Store(y + 16);
            d.Store(y + 24);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Rows4x8(float* x, int xStride, float* w, float* b, float* y, int yStride, int n)
        {
            Vector256<float> bias = Vector256.Load(b);
            Vector256<float> a0 = bias, a1 = bias, a2 = bias, a3 = bias;
            float* x0 = x, x1 = x + xStride, x2 = x + 2 * xStride, x3 = x + 3 * xStride;
            for (int i = 0; i < n; i++, w += 8)
            {
                Vector256<float> wv = Vector256.Load(w);
                a0 = Simd.Fmadd(Vector256.Create(x0[i]), wv, a0);
                a1 = Simd.Fmadd(Vector256.Create(x1[i]), wv, a1);
                a2 = Simd.Fmadd(Vector256.Create(x2[i]), wv, a2);
                a3 = Simd.Fmadd(Vector256.Create(x3[i]), wv, a3);
            }
            a0.Store(y);
            a1.Store(y + yStride);
            a2.Store(y + 2 * yStride);
            a3.Store(y + 3 * yStride);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block64(float* x, float* y, float* w, float* b, int n)
        {
            Vector256<float> a0 = Vector256.Load(b), a1 = Vector256.Load(b + 8), a2 = Vector256.Load(b + 16), a3 = Vector256.Load(b + 24);
            Vector256<float> a4 = Vector256.Load(b + 32), a5 = Vector256.Load(b + 40), a6 = Vector256.Load(b + 48), a7 = Vector256.Load(b + 56);
            bool prefetch = System.Runtime.Intrinsics.X86.Sse.IsSupported;
            for (int i = 0; i < n; i++, w += 64)
            {
                if (prefetch) System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + 1024);
                Vector256<float> v = Vector256.Create(x[i]);
                a0 = Simd.Fmadd(v, Vector256.Load(w), a0); a1 = Simd.Fmadd(v, Vector256.Load(w + 8), a1);
                a2 = Simd.Fmadd(v, Vector256.Load(w + 16), a2); a3 = Simd.Fmadd(v, Vector256.Load(w + 24), a3);
                a4 = Simd.Fmadd(v, Vector256.Load(w + 32), a4); a5 = Simd.Fmadd(v, Vector256.Load(w + 40), a5);
                a6 = Simd.Fmadd(v, Vector256.Load(w + 48), a6); a7 = Simd.Fmadd(v, Vector256.Load(w + 56), a7);
            }
            Store4(a0, a1, a2, a3, y);
            Store4(a4, a5, a6, a7, y + 32);
        }

        /// <summary>32 outputs of a panel of 64 (rows of weights 64 apart), for the 128-bit path.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block32Of64(float* x, float* y, float* w, float* b, int n)
        {
            Vector128<float> a0 = Vector128.Load(b), a1 = Vector128.Load(b + 4), a2 = Vector128.Load(b + 8), a3 = Vector128.Load(b + 12);
            Vector128<float> a4 = Vector128.Load(b + 16), a5 = Vector128.Load(b + 20), a6 = Vector128.Load(b + 24), a7 = Vector128.Load(b + 28);
            for (int i = 0; i < n; i++, w += 64)
            {
                Vector128<float> v = Vector128.Create(x[i]);
                a0 = Simd.Fmadd(v, Vector128.Load(w), a0); a1 = Simd.Fmadd(v, Vector128.Load(w + 4), a1);
                a2 = Simd.Fmadd(v, Vector128.Load(w + 8), a2); a3 = Simd.Fmadd(v, Vector128.Load(w + 12), a3);
                a4 = Simd.Fmadd(v, Vector128.Load(w + 16), a4); a5 = Simd.Fmadd(v, Vector128.Load(w + 20), a5);
                a6 = Simd.Fmadd(v, Vector128.Load(w + 24), a6); a7 = Simd.Fmadd(v, Vector128.Load(w + 28), a7);
            }
            a0.Store(y); a1.Store(y + 4); a2.Store(y + 8); a3.Store(y + 12);
            a4.Store(y + 16); a5.Store(y + 20); a6.Store(y + 24); a7.Store(y + 28);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block8(float* x, float* y, float* w, float* b, int n)
        {
            Vector256<float> a0 = Vector256.Load(b), a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero;
            const int stride = 8;
            int i = 0;
            for (; i + 4 <= n; i += 4, w += 4 * stride)
            {
                a0 = Simd.Fmadd(Vector256.Create(x[i]), Vector256.Load(w), a0);
                a1 = Simd.Fmadd(Vector256.Create(x[i + 1]), Vector256.Load(w + stride), a1);
                a2 = Simd.Fmadd(Vector256.Create(x[i + 2]), Vector256.Load(w + 2 * stride), a2);
                a3 = Simd.Fmadd(Vector256.Create(x[i + 3]), Vector256.Load(w + 3 * stride), a3);
            }
            for (; i < n; i++, w += stride) a0 = Simd.Fmadd(Vector256.Create(x[i]), Vector256.Load(w), a0);
            ((a0 + a1) + (a2 + a3)).Store(y);
        }
    }
}

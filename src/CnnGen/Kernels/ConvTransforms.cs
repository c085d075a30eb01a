using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>Winograd F(2x2, 3x3)'s input and output transforms.</summary>
    public static unsafe partial class Conv
    {
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

        /// <summary>Y = A^T m A for 8 channels of one tile: a 2x2 block of outputs plus the bias, clipped at the edges.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void OutputTile(float* m, int mStride, Vector256<float> bias, float* y, int oh, int ow, int outH, int outW, int kp)
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
                (u0 + u1 + u2 + bias).Store(at);
                if (ow + 1 < outW) (u1 - u2 - u3 + bias).Store(at + kp);
            }
        }
    }

    /// <summary>Copies between channels-last buffers.</summary>
    internal static unsafe class Copy
    {
        /// <summary>
        /// Copies the map <paramref name="x"/> ([in, stride]) into the <paramref name="padded"/> buffer at
        /// <paramref name="begin"/> and zeroes the rest, the border: the padding. Only the lines [<paramref name="firstLine"/>,
        /// <paramref name="endLine"/>) of the padded buffer's D x H lines (what one thread's share of a layer reads), and
        /// of them only the border is cleared (clearing the whole buffer first would write it twice).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void WithBorder(float* x, float* to, Dims input, Dims padded, Dims begin, int stride, int firstLine, int endLine)
        {
            long line = (long)padded.W * stride, row = (long)input.W * stride;
            long before = (long)begin.W * stride, after = line - before - row;
            for (int l = firstLine; l < endLine; l++)
            {
                float* lineAt = to + l * line;
                int ia = l / padded.H - begin.D, ib = l % padded.H - begin.H;
                if (ia < 0 || ia >= input.D || ib < 0 || ib >= input.H)
                {
                    Clear(lineAt, line);
                    continue;
                }
                Clear(lineAt, before);
                System.Buffer.MemoryCopy(x + ((long)ia * input.H + ib) * row, lineAt + before, row * 4, row * 4);
                Clear(lineAt + before + row, after);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Clear(float* at, long floats)
        {
            if (floats > 0) new System.Span<float>(at, checked((int)floats)).Clear();
        }
    }
}

using System.Runtime.CompilerServices;

namespace CnnGen.Kernels
{
    /// <summary>
    /// The direct convolution's drivers: the scalar loop, and the order in which the vector register blocks
    /// (<c>ConvBlocks128.cs</c>, <c>ConvBlocks256.cs</c>, <c>ConvBlocks512.cs</c>) go over positions, panels of filters and rows of weights.
    /// </summary>
    public static unsafe partial class Conv
    {
        /// <summary>
        /// Floats of weights a pass goes over: 32 KB, so they stay in L1 or L2 for every block of positions (a block's
        /// multiply-adds outlast reading its weights from L2). A pass starts by loading the accumulators its block stored,
        /// so fewer, longer passes cost less: ResNet-18 at batch 1 on one thread went from 1.04x-1.08x to 1.15x-1.17x
        /// ONNX Runtime with 32 KB instead of 16 KB on a 48 KB L1 (2026-12-07); 64 KB measured no faster.
        /// </summary>
        private const int PassFloats = 8192;

        /// <summary>Positions per register block (of every block but the 6-position ones), and so per thread's share.</summary>
        private const int BlockPositions = 12;

        /// <summary>The register blocks: positions x filters, X 128-bit, Y 256-bit, Z 512-bit.</summary>
        private enum Block
        {
            X6x8,
            Y6x16,
            Y12x8,
            Z6x64,
            Z12x32,
            Z12x16,
        }

        /// <summary>Positions of a block.</summary>
        private static int BlockSize(Block kind) => kind is Block.Y6x16 or Block.Z6x64 or Block.X6x8 ? 6 : 12;

        /// <summary>Filters of a block.</summary>
        private static int BlockColumns(Block kind) => kind switch { Block.Z6x64 => 64, Block.Z12x32 => 32, Block.Y6x16 or Block.Z12x16 => 16, _ => 8 };

        /// <summary>
        /// The block for the columns of a panel <paramref name="width"/> wide from <paramref name="column"/> on: the widest
        /// that fits (a panel of 64 on the 512-bit path is one block wide; what is left of K goes in narrower ones).
        /// </summary>
        private static Block Widest(int width, int column)
        {
            int left = width - column;
            if (Simd.Narrow) return Block.X6x8;
            if (Simd.Wide) return left >= 64 ? Block.Z6x64 : left >= 32 ? Block.Z12x32 : left >= 16 ? Block.Z12x16 : Block.Y12x8;
            return left >= 16 ? Block.Y6x16 : Block.Y12x8;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Scalar(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, int size,
            int from, int to, in Epilogue e)
        {
            int rows = tapCount * channels;
            for (int p = from; p < to; p++)
            {
                float* dst = y + p * kp;
                for (int k = 0; k < kp; k++)
                {
                    // Filter k's column in its panel: [panel][taps][C][size (the last panel what is left)].
                    int width = ConvWeights.PanelWidth(kp, k / size, size);
                    float* column = w + ConvWeights.Panel(k, rows, size);
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
        /// How the rows (tap, channel pairs) of a panel <paramref name="size"/> wide split into passes of at most
        /// <see cref="PassFloats"/> weights: whole taps (several when they have few channels), or a tap's channels in equal parts.
        /// </summary>
        private static (int Taps, int Channels) Passes(int tapCount, int channels, int size)
        {
            int rows = PassFloats / size;
            if (channels <= rows) return (System.Math.Max(1, System.Math.Min(tapCount, rows / System.Math.Max(channels, 1))), channels);
            int parts = (channels + rows - 1) / rows;
            return (1, (channels + parts - 1) / parts);
        }

        /// <summary>
        /// Output positions [from, to) of panels [<paramref name="firstPanel"/>, <paramref name="endPanel"/>): in chunks whose inputs stay in L2, each panel of filters over the chunk's
        /// positions, a pass of at most <see cref="PassFloats"/> weights at a time so the pass's weights stay in L1 for every
        /// block of positions (the first pass starts from the bias, the others from what the one before stored); the
        /// epilogue then goes over what the panel wrote (the blocks only multiply and add: a call in them would spill their
        /// accumulators).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Vector(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, int cp, int size,
            int from, int to, int firstPanel, int endPanel, in Epilogue e)
        {
            int rows = tapCount * channels;
            int chunk = System.Math.Max(48, 32768 / System.Math.Max(cp, 1) / 12 * 12);
            (int tapsPer, int channelsPer) = Passes(tapCount, channels, size);
            float* open = stackalloc float[] { float.NegativeInfinity, float.PositiveInfinity }, clamp = stackalloc float[2];
            bool clamps = e.Clamps(clamp);
            for (int c0 = from, c1; c0 < to; c0 = c1)
            {
                c1 = System.Math.Min(to, c0 + chunk);
                if (to - c1 < chunk / 2) c1 = to; // no small last chunk
                // With several passes, only the first may let its last block overlap the one before it (the others add to
                // the outputs): they go over whole blocks of the panel's kernels, and the positions left get one such block
                // over all the rows at the end (a 7 x 7 map in blocks of 6: 8 blocks, then positions 43-48 again).
                bool split = tapsPer < tapCount || channelsPer < channels;
                for (int panel = firstPanel, k0 = panel * size; panel < endPanel; k0 += size, panel++)
                {
                    int width = System.Math.Min(size, kp - k0);
                    int unit = PassUnit(width);
                    int end = split && c1 - c0 >= unit ? c0 + (c1 - c0) / unit * unit : c1; // whole blocks, rounded down
                    // ReLU or ReLU6 alone is applied by the 512-bit blocks as they store the panel's last pass (no tail
                    // of single positions: a chunk of a block or more, columns in 16s); else the epilogue goes over the panel.
                    bool fused = clamps && Simd.Wide && width % 16 == 0 && c1 - c0 >= BlockPositions;
                    float* wp = w + (long)panel * rows * size;
                    for (int t0 = 0; t0 < tapCount; t0 += tapsPer)
                        for (int ch = 0; ch < channels; ch += channelsPer)
                        {
                            bool last = t0 + tapsPer >= tapCount && ch + channelsPer >= channels;
                            var pass = new Pass(x + ch, wp + (t0 * channels + ch) * width, width, t0 == 0 && ch == 0 ? bias + k0 : null, taps + t0,
                                System.Math.Min(tapsPer, tapCount - t0), System.Math.Min(channelsPer, channels - ch), channels * width, fused && last ? clamp : open);
                            RunPass(pass, y + k0, bases, kp, c0, end);
                        }
                    if (end < c1)
                        RunPass(new Pass(x, wp, width, bias + k0, taps, tapCount, channels, channels * width, fused ? clamp : open), y + k0, bases, kp, c1 - unit, c1);
                    if (e.Any && !fused) e.ApplyColumns(y + k0, c0, c1, width, kp);
                }
            }
        }

        /// <summary>
        /// One pass of the blocks over a panel: the input (from the pass's first channel), the weights of its rows and the
        /// panel's width (the floats from one row to the next), the bias it starts from (null: it adds to what the
        /// outputs hold), its taps and channels, and the floats from one tap's weights to the next.
        /// </summary>
        private readonly struct Pass
        {
            public Pass(float* x, float* w, int width, float* bias, int* taps, int tapCount, int channels, int tapStride, float* clamp)
            {
                Clamp = clamp;
                X = x;
                W = w;
                Width = width;
                Bias = bias;
                Taps = taps;
                TapCount = tapCount;
                Channels = channels;
                TapStride = tapStride;
            }

            public float* X { get; }
            public float* W { get; }
            public int Width { get; }
            public float* Bias { get; }
            public int* Taps { get; }
            public int TapCount { get; }
            public int Channels { get; }
            public int TapStride { get; }
            /// <summary>[lo, hi] the 512-bit blocks clamp their outputs to as they store them (see <see cref="Put"/>).</summary>
            public float* Clamp { get; }

            /// <summary>
            /// Whether the last block may overlap the one before it instead of leaving a slow tail: recomputing a few
            /// outputs writes the same values again only when the pass starts from the bias (one that adds would add twice).
            /// </summary>
            public bool Overlaps(int positions, int block) => Bias != null && positions >= block;

            /// <summary>Where a block's accumulators start for outputs at <paramref name="y"/> (column <paramref name="column"/> of the panel), and the floats between its rows.</summary>
            public float* Init(float* y, int kp, int column, out int stride)
            {
                stride = Bias == null ? kp : 0;
                return Bias == null ? y : Bias + column;
            }
        }

        /// <summary>The positions a block leaves, one at a time, 8 filters: 128-bit on the 128-bit path, else 256-bit.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Tail1x8(float* x, float* y, float* w, float* init, int initStride, int* bases, int rows, int* taps, int tapCount, int channels,
            int tapStride, int kp, int ws)
        {
            if (Simd.Narrow) X1x8Rows(x, y, w, init, initStride, bases, rows, taps, tapCount, channels, tapStride, kp, ws);
            else Block1x8Rows(x, y, w, init, initStride, bases, rows, taps, tapCount, channels, tapStride, kp, ws);
        }

        /// <summary>
        /// The positions a pass over a panel <paramref name="width"/> wide goes in: those of its widest blocks' kernels
        /// (6 for a 64-wide panel on the 512-bit path, 12 for narrower ones; the sizes divide one another).
        /// </summary>
        private static int PassUnit(int width)
        {
            int positions = 1;
            for (int column = 0; column < width; column += BlockColumns(Widest(width, column)))
                positions = System.Math.Max(positions, BlockSize(Widest(width, column)));
            return positions;
        }

        /// <summary><paramref name="count"/> rounded up to whole <paramref name="unit"/>s.</summary>
        private static int Whole(int count, int unit) => (count + unit - 1) / unit * unit;

        /// <summary>A pass over positions [from, to), the panel's columns in the widest blocks that fit.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RunPass(in Pass s, float* y, int* bases, int kp, int from, int to)
        {
            for (int column = 0; column < s.Width; )
            {
                Block kind = Widest(s.Width, column);
                Positions(s, y, bases, kp, from, to, column, kind);
                column += BlockColumns(kind);
            }
        }

        /// <summary>
        /// Positions [from, to) of the panel's columns from <paramref name="column"/> on with one kind of block; the last
        /// block overlaps the one before it where it may, else the few positions left go one at a time.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Positions(in Pass s, float* y, int* bases, int kp, int from, int to, int column, Block kind)
        {
            int size = BlockSize(kind), columns = BlockColumns(kind);
            float* w = s.W + column;
            bool overlap = s.Overlaps(to - from, size);
            int p = from;
            for (; p + size <= to || (overlap && p < to); p += size)
            {
                if (p + size > to) p = to - size;
                float* yb = y + p * kp + column;
                float* init = s.Init(yb, kp, column, out int initStride);
                switch (kind)
                {
                    case Block.Z6x64: Z6x64(s.X, yb, w, init, initStride, bases + p, s.Taps, s.TapCount, s.Channels, s.TapStride, s.Width, kp, s.Clamp); break;
                    case Block.Z12x32: Z12x32(s.X, yb, w, init, initStride, bases + p, s.Taps, s.TapCount, s.Channels, s.TapStride, s.Width, kp, s.Clamp); break;
                    case Block.Z12x16: Z12x16(s.X, yb, w, init, initStride, bases + p, s.Taps, s.TapCount, s.Channels, s.TapStride, s.Width, kp, s.Clamp); break;
                    case Block.Y6x16: Block6x16(s.X, yb, w, init, initStride, bases + p, s.Taps, s.TapCount, s.Channels, s.TapStride, s.Width, kp); break;
                    case Block.X6x8: X6x8(s.X, yb, w, init, initStride, bases + p, s.Taps, s.TapCount, s.Channels, s.TapStride, s.Width, kp); break;
                    default: Block12x8(s.X, yb, w, init, initStride, bases + p, s.Taps, s.TapCount, s.Channels, s.TapStride, s.Width, kp); break;
                }
            }
            for (int c = 0; p < to && c < columns; c += 8)
            {
                float* yb = y + p * kp + column + c;
                float* init = s.Init(yb, kp, column + c, out int initStride);
                Tail1x8(s.X, yb, w + c, init, initStride, bases + p, to - p, s.Taps, s.TapCount, s.Channels, s.TapStride, kp, s.Width);
            }
        }

        /// <summary>
        /// Whole output rows [from, to) of a compact-input layer, the input step along W a type the JIT specialises on:
        /// each row panel by panel, then the epilogue over the row (still in L1).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Rows<TStep>(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int kp, int size,
            int width, int from, int to, in Epilogue e) where TStep : struct, IStep
        {
            int rows = tapCount * channels;
            for (int row = from; row < to; row += width)
            {
                float* xr = x, yr = y + (long)row * kp;
                int* br = bases + row;
                for (int k0 = 0, panel = 0; k0 < kp; k0 += size, panel++)
                {
                    int ws = System.Math.Min(size, kp - k0);
                    float* wp = w + (long)panel * rows * size;
                    for (int column = 0; column < ws; )
                    {
                        Block kind = Widest(ws, column);
                        RowPositions<TStep>(xr, yr + k0, wp, bias + k0, br, taps, tapCount, channels, ws, kp, width, column, kind);
                        column += BlockColumns(kind);
                    }
                }
                if (e.Any) e.Apply(yr, width * kp);
            }
        }

        /// <summary>
        /// The <paramref name="width"/> positions of one row, columns from <paramref name="column"/> of a panel
        /// <paramref name="ws"/> wide, with one kind of row block; the last block overlaps, short rows end with smaller blocks.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowPositions<TStep>(float* x, float* y, float* w, float* bias, int* bases, int* taps, int tapCount, int channels, int ws, int kp,
            int width, int column, Block kind) where TStep : struct, IStep
        {
            int size = BlockSize(kind), columns = BlockColumns(kind);
            if (kind == Block.Z12x16 && width >= 16 && (16 - width % 16) % 16 < (12 - width % 12) % 12) size = 16; // fewer positions twice
            w += column;
            bias += column;
            int ow = 0;
            for (; ow + size <= width || (ow < width && width >= size); ow += size)
            {
                if (ow + size > width) ow = width - size; // overlapping last block
                float* xb = x + bases[ow], yb = y + ow * kp + column;
                switch (kind)
                {
                    case Block.Z6x64: RowZ6x64<TStep>(xb, yb, w, bias, taps, tapCount, channels, ws, kp); break;
                    case Block.Z12x32: RowZ12x32<TStep>(xb, yb, w, bias, taps, tapCount, channels, ws, kp); break;
                    case Block.Z12x16 when size == 16: RowZ16x16<TStep>(xb, yb, w, bias, taps, tapCount, channels, ws, kp); break;
                    case Block.Z12x16: RowZ12x16<TStep>(xb, yb, w, bias, taps, tapCount, channels, ws, kp); break;
                    case Block.Y6x16: RowBlock6x16<TStep>(xb, yb, w, bias, taps, tapCount, channels, ws, kp); break;
                    case Block.X6x8: RowX6x8<TStep>(xb, yb, w, bias, taps, tapCount, channels, ws, kp); break;
                    default: RowBlock12x8<TStep>(xb, yb, w, bias, taps, tapCount, channels, ws, kp); break;
                }
            }
            if (kind == Block.Y12x8)
                for (; ow + 4 <= width; ow += 4) RowBlock4x8<TStep>(x + bases[ow], y + ow * kp + column, w, bias, taps, tapCount, channels, ws, kp);
            for (int c = 0; ow < width && c < columns; c += 8)
                Tail1x8(x, y + ow * kp + column + c, w + c, bias + c, 0, bases + ow, width - ow, taps, tapCount, channels, channels * ws, kp, ws);
        }
    }
}

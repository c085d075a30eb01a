using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>Max and average pooling over channels-last data, 8 channels per vector; padded cells are skipped (max) or not counted (average, unless asked).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Pool
    {
        /// <summary>Max (<paramref name="max"/>) or average pooling with the window of <paramref name="shape"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(ReadOnlySpan<float> x, Span<float> y, in WindowShape shape, bool max, bool countIncludePad = false) =>
            Run(x, y, shape, 1, max, countIncludePad);

        /// <summary>The pooling of <paramref name="samples"/> maps stored back to back (each x.Length / samples floats apart, its output y.Length / samples).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(ReadOnlySpan<float> x, Span<float> y, in WindowShape shape, int samples, bool max, bool countIncludePad = false)
        {
            (int xs, int ys, _) = Samples.Steps("Pool", x.Length, y.Length, 0, samples);
            shape.Check(x.Slice(0, xs), y.Slice(0, ys), "Pool");
            bool separable = Separable(shape, out long room);
            float* passes = separable ? ThreadRoom.Get(room) : null;
            fixed (float* xp = x)
            fixed (float* yp = y)
            {
                for (int n = 0; n < samples; n++)
                {
                    if (separable) Passes(xp + (long)n * xs, yp + (long)n * ys, shape, max, countIncludePad, passes);
                    else Windows(xp + (long)n * xs, yp + (long)n * ys, shape, max, countIncludePad);
                }
            }
        }

        /// <summary>The most floats the separable passes keep between them (two maps, each at most this long).</summary>
        private const long SeparableRoom = 1 << 15;

        /// <summary>
        /// Whether a pooling runs as one pass per dimension: on the vector path, with padding (windows that the
        /// window-by-window path would clip one by one: most of a small 3D map's) and a map small enough for the passes'
        /// two intermediate maps to stay in cache. A box's maximum is the maximum along W of the maxima along H of the
        /// maxima along D, and its sum likewise; the count of its cells inside the input is the product of the counts
        /// along each dimension.
        /// </summary>
        private static bool Separable(in WindowShape s, out long room)
        {
            long afterW = (long)s.Input.D * s.Input.H * s.Output.W * s.InputStride, afterH = (long)s.Input.D * s.Output.H * s.Output.W * s.InputStride;
            room = afterW + afterH;
            return Simd.Enabled && s.InputStride % 8 == 0 && s.NeedsPadding && s.Kernel.D * s.Kernel.H * s.Kernel.W > 1
                && afterW <= SeparableRoom && afterH <= SeparableRoom;
        }

        /// <summary>The pooling as three passes, along W, H and D (see <see cref="Separable"/>); an average then scales each output by its count.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Passes(float* x, float* y, in WindowShape s, bool max, bool includePad, float* room)
        {
            int cp = s.InputStride;
            Dims i = s.Input, o = s.Output;
            float* alongW = room, alongH = room + (long)i.D * i.H * o.W * cp;
            // [D][H][W] -> [D][H][OW] -> [D][OH][OW] -> [OD][OH][OW], each pass over rows of `inner` floats.
            Reduce(x, alongW, i.D * i.H, i.W, o.W, cp, s.Kernel.W, s.Stride.W, s.PadBegin.W, max);
            Reduce(alongW, alongH, i.D, i.H, o.H, o.W * cp, s.Kernel.H, s.Stride.H, s.PadBegin.H, max);
            Reduce(alongH, y, 1, i.D, o.D, o.H * o.W * cp, s.Kernel.D, s.Stride.D, s.PadBegin.D, max);
            if (max) return;
            float taps = s.Taps;
            for (int od = 0; od < o.D; od++)
            {
                int cd = Inside(od, s.Stride.D, s.PadBegin.D, s.Kernel.D, i.D);
                for (int oh = 0; oh < o.H; oh++)
                {
                    int ch = Inside(oh, s.Stride.H, s.PadBegin.H, s.Kernel.H, i.H);
                    for (int ow = 0; ow < o.W; ow++)
                    {
                        float count = includePad ? taps : cd * ch * Inside(ow, s.Stride.W, s.PadBegin.W, s.Kernel.W, i.W);
                        var scale = Vector256.Create(1f / count);
                        float* at = y + (((long)od * o.H + oh) * o.W + ow) * cp;
                        for (int c = 0; c < cp; c += 8) (Vector256.Load(at + c) * scale).Store(at + c);
                    }
                }
            }
        }

        /// <summary>
        /// The input cells [From, To) of output <paramref name="j"/>'s window along one dimension, clipped to an input of
        /// <paramref name="length"/> (To at most From when the window lies in the padding).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (int From, int To) Cells(int j, int stride, int pad, int kernel, int length)
        {
            int from = j * stride - pad;
            return (Math.Max(from, 0), Math.Min(from + kernel, length));
        }

        /// <summary>How many cells of output <paramref name="j"/>'s window lie inside an input of <paramref name="length"/> along one dimension.</summary>
        private static int Inside(int j, int stride, int pad, int kernel, int length)
        {
            (int from, int to) = Cells(j, stride, pad, kernel, length);
            return Math.Max(0, to - from);
        }

        /// <summary>
        /// One dimension of a pooling: <paramref name="src"/> is [outer][inLength][inner], <paramref name="dst"/>
        /// [outer][outLength][inner]; output j is the maximum (or the sum) of inputs [j stride - pad, + kernel) inside
        /// [0, inLength), vector by vector over the inner floats. The outputs whose windows lie wholly inside run
        /// without clipping (windows of 2 and 3 as straight code: along W a row holds one vector per cell, so a loop
        /// over the cells cost more than the maxima); the few at the ends are clipped.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Reduce(float* src, float* dst, int outer, int inLength, int outLength, int inner, int kernel, int stride, int pad, bool max)
        {
            if (max) Reduce<MaxCell>(src, dst, outer, inLength, outLength, inner, kernel, stride, pad);
            else Reduce<SumCell>(src, dst, outer, inLength, outLength, inner, kernel, stride, pad);
        }

        /// <summary>A pooling pass's fold of one more cell into a window's running result: its maximum or its sum.</summary>
        private interface ICell
        {
            static abstract float Empty { get; }
            static abstract Vector256<float> Of(Vector256<float> cell, Vector256<float> acc);
        }

        private struct MaxCell : ICell
        {
            public static float Empty => float.NegativeInfinity;
            public static Vector256<float> Of(Vector256<float> cell, Vector256<float> acc) => Simd.MaxOf(cell, acc);
        }

        private struct SumCell : ICell
        {
            public static float Empty => 0f;
            public static Vector256<float> Of(Vector256<float> cell, Vector256<float> acc) => acc + cell;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Reduce<TCell>(float* src, float* dst, int outer, int inLength, int outLength, int inner, int kernel, int stride, int pad)
            where TCell : struct, ICell
        {
            if (inner == 8 && kernel == 3 && stride == 1 && pad == 1 && outLength == inLength && inLength >= 2)
            {
                Slide3<TCell>(src, dst, outer * inLength, inLength);
                return;
            }
            int wholeFrom = Math.Min(outLength, (pad + stride - 1) / stride);
            int wholeTo = inLength + pad - kernel < 0 ? wholeFrom : Math.Max(wholeFrom, Math.Min(outLength, (inLength + pad - kernel) / stride + 1));
            long step = (long)stride * inner;
            for (int q = 0; q < outer; q++)
            {
                float* from = src + (long)q * inLength * inner, to = dst + (long)q * outLength * inner;
                for (int j = 0; j < wholeFrom; j++) Clipped<TCell>(from, to, j, inLength, inner, kernel, stride, pad);
                if (wholeTo > wholeFrom)
                    Fold<TCell>(from + (long)(wholeFrom * stride - pad) * inner, to + (long)wholeFrom * inner, wholeTo - wholeFrom, step, inner, kernel);
                for (int j = wholeTo; j < outLength; j++) Clipped<TCell>(from, to, j, inLength, inner, kernel, stride, pad);
            }
        }

        /// <summary>
        /// Windows of 3 cells with stride 1 and one cell of padding at each end, one vector per cell (the W pass of a
        /// 3-wide "Same" pooling over at most 8 channels, whose rows are a few vectors each): all
        /// <paramref name="total"/> positions of the pass as one run, each cell loaded once as the window slides, then
        /// the two ends of every row of <paramref name="length"/> done again with their windows clipped to 2 cells. The
        /// same folds in the same order as <see cref="Fold{TCell}"/> and <see cref="Clipped{TCell}"/>; a row loop with
        /// its clipped ends and a fold of 3 outputs per row cost more than the maxima.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Slide3<TCell>(float* src, float* dst, int total, int length) where TCell : struct, ICell
        {
            Vector256<float> a = Vector256.Load(src), b = Vector256.Load(src + 8);
            for (long p = 1; p + 1 < total; p++)
            {
                Vector256<float> c = Vector256.Load(src + (p + 1) * 8);
                TCell.Of(c, TCell.Of(b, a)).Store(dst + p * 8);
                a = b;
                b = c;
            }
            for (long r = 0; r < total; r += length)
            {
                float* row = src + r * 8, end = row + (length - 2) * 8, to = dst + r * 8;
                TCell.Of(Vector256.Load(row + 8), Vector256.Load(row)).Store(to);
                TCell.Of(Vector256.Load(end + 8), Vector256.Load(end)).Store(to + (length - 1) * 8);
            }
        }

        /// <summary>
        /// Output j of a row (<see cref="Reduce"/>) with its window clipped to the input: none of it inside gives -inf (max)
        /// or 0. Inlined into the row loop, its window too: a call of its own per clipped output of every row cost a
        /// tenth of a small 3D network (a 3-wide window over rows of 5-7).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Clipped<TCell>(float* from, float* to, int j, int inLength, int inner, int kernel, int stride, int pad) where TCell : struct, ICell
        {
            (int a, int b) = Cells(j, stride, pad, kernel, inLength);
            float* outRow = to + (long)j * inner;
            if (b > a)
            {
                Window<TCell>(from + (long)a * inner, outRow, inner, b - a);
                return;
            }
            Vector256<float> empty = Vector256.Create(TCell.Empty);
            for (int c = 0; c < inner; c += 8) empty.Store(outRow + c);
        }

        /// <summary>
        /// <paramref name="count"/> outputs, <paramref name="step"/> floats apart in the input, each folding the
        /// <paramref name="cells"/> cells from where it starts (the first at <paramref name="at"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Fold<TCell>(float* at, float* to, int count, long step, int inner, int cells) where TCell : struct, ICell
        {
            for (int j = 0; j < count; j++, at += step, to += inner) Window<TCell>(at, to, inner, cells);
        }

        /// <summary>
        /// One output of a pass: the <paramref name="cells"/> cells from <paramref name="at"/> (<paramref name="inner"/>
        /// floats apart) folded, vector by vector over the inner floats; windows of 2 and 3 cells as straight code.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Window<TCell>(float* at, float* to, int inner, int cells) where TCell : struct, ICell
        {
            for (int c = 0; c < inner; c += 8)
            {
                float* p = at + c;
                Vector256<float> acc = Vector256.Load(p);
                if (cells == 3) acc = TCell.Of(Vector256.Load(p + 2L * inner), TCell.Of(Vector256.Load(p + inner), acc));
                else if (cells == 2) acc = TCell.Of(Vector256.Load(p + inner), acc);
                else for (int k = 1; k < cells; k++) acc = TCell.Of(Vector256.Load(p + (long)k * inner), acc);
                acc.Store(to + c);
            }
        }

        /// <summary>One window wholly inside the input: its cells by offset from <paramref name="window"/>, no clipping.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Whole(float* window, float* y, int* offsets, int taps, int cp, bool max, Vector256<float> scale)
        {
            for (int c = 0; c < cp; c += 8)
            {
                // Two running results, so each waits on every other tap rather than on the one before it.
                float* at = window + c;
                Vector256<float> a0 = Vector256.Load(at + offsets[0]), a1 = taps > 1 ? Vector256.Load(at + offsets[1]) : a0;
                int k = 2;
                if (max)
                {
                    for (; k + 1 < taps; k += 2)
                    {
                        a0 = Simd.MaxOf(Vector256.Load(at + offsets[k]), a0);
                        a1 = Simd.MaxOf(Vector256.Load(at + offsets[k + 1]), a1);
                    }
                    if (k < taps) a0 = Simd.MaxOf(Vector256.Load(at + offsets[k]), a0);
                    Simd.MaxOf(a1, a0).Store(y + c);
                }
                else
                {
                    if (taps == 1) a1 = Vector256<float>.Zero;
                    for (; k + 1 < taps; k += 2)
                    {
                        a0 += Vector256.Load(at + offsets[k]);
                        a1 += Vector256.Load(at + offsets[k + 1]);
                    }
                    if (k < taps) a0 += Vector256.Load(at + offsets[k]);
                    ((a0 + a1) * scale).Store(y + c);
                }
            }
        }

        /// <summary>
        /// Every window: those wholly inside the input (all of them without padding, most of a large map's with it) by the
        /// offsets of their cells; the border ones clipped to the input, where padded cells never win a max and count in
        /// an average only when asked.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Windows(float* x, float* y, in WindowShape s, bool max, bool includePad)
        {
            bool vector = Simd.Enabled;
            int cp = s.InputStride, inH = s.Input.H, inW = s.Input.W, inD = s.Input.D;
            int taps = s.Taps, rowH = inW * cp, rowD = inH * rowH;
            int* offsets = stackalloc int[taps];
            for (int a = 0, t = 0; a < s.Kernel.D; a++)
                for (int b = 0; b < s.Kernel.H; b++)
                    for (int e = 0; e < s.Kernel.W; e++) offsets[t++] = a * rowD + b * rowH + e * cp;
            Vector256<float> scale = Vector256.Create(1f / taps);
            // The outputs along W whose window lies inside the input along W: [wholeFrom, wholeTo).
            int wholeFrom = (s.PadBegin.W + s.Stride.W - 1) / s.Stride.W;
            int wholeTo = inW + s.PadBegin.W - s.Kernel.W < 0 ? 0 : Math.Min(s.Output.W, (inW + s.PadBegin.W - s.Kernel.W) / s.Stride.W + 1);
            for (int od = 0; od < s.Output.D; od++)
            {
                (int d0, int d1) = Cells(od, s.Stride.D, s.PadBegin.D, s.Kernel.D, inD);
                for (int oh = 0; oh < s.Output.H; oh++)
                {
                    (int h0, int h1) = Cells(oh, s.Stride.H, s.PadBegin.H, s.Kernel.H, inH);
                    bool wholeRows = d1 - d0 == s.Kernel.D && h1 - h0 == s.Kernel.H;
                    for (int ow = 0; ow < s.Output.W; ow++)
                    {
                        if (vector && wholeRows && ow >= wholeFrom && ow < wholeTo)
                        {
                            float* start = x + ((long)d0 * inH + h0) * rowH + (long)(ow * s.Stride.W - s.PadBegin.W) * cp;
                            Whole(start, y + ((od * s.Output.H + oh) * s.Output.W + ow) * cp, offsets, taps, cp, max, scale);
                            continue;
                        }
                        (int w0, int w1) = Cells(ow, s.Stride.W, s.PadBegin.W, s.Kernel.W, inW);
                        float* dst = y + ((od * s.Output.H + oh) * s.Output.W + ow) * cp;
                        float count = includePad ? taps : (d1 - d0) * (h1 - h0) * (w1 - w0);
                        if (vector)
                        {
                            if (max) MaxWindow(x, dst, d0, d1, h0, h1, w0, w1, inH, inW, cp);
                            else AvgWindow(x, dst, d0, d1, h0, h1, w0, w1, inH, inW, cp, 1f / count);
                            continue;
                        }
                        for (int j = 0; j < cp; j++)
                        {
                            float acc = max ? float.NegativeInfinity : 0f;
                            for (int a = d0; a < d1; a++)
                                for (int b = h0; b < h1; b++)
                                    for (int e = w0; e < w1; e++)
                                    {
                                        float v = x[((a * inH + b) * inW + e) * cp + j];
                                        acc = max ? (v > acc ? v : acc) : acc + v;
                                    }
                            dst[j] = max ? acc : acc / count;
                        }
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void MaxWindow(float* x, float* dst, int d0, int d1, int h0, int h1, int w0, int w1, int inH, int inW, int cp)
        {
            for (int c = 0; c < cp; c += 8)
            {
                // Two running maxima along each row, so a tap waits on the one two before it.
                Vector256<float> a0 = Vector256.Create(float.NegativeInfinity), a1 = a0;
                for (int a = d0; a < d1; a++)
                    for (int b = h0; b < h1; b++)
                    {
                        float* row = x + ((a * inH + b) * inW) * cp + c;
                        int e = w0;
                        for (; e + 1 < w1; e += 2)
                        {
                            a0 = Simd.MaxOf(Vector256.Load(row + e * cp), a0);
                            a1 = Simd.MaxOf(Vector256.Load(row + (e + 1) * cp), a1);
                        }
                        if (e < w1) a0 = Simd.MaxOf(Vector256.Load(row + e * cp), a0);
                    }
                Simd.MaxOf(a1, a0).Store(dst + c);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AvgWindow(float* x, float* dst, int d0, int d1, int h0, int h1, int w0, int w1, int inH, int inW, int cp, float scale)
        {
            for (int c = 0; c < cp; c += 8)
            {
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0;
                for (int a = d0; a < d1; a++)
                    for (int b = h0; b < h1; b++)
                    {
                        float* row = x + ((a * inH + b) * inW) * cp + c;
                        int e = w0;
                        for (; e + 1 < w1; e += 2)
                        {
                            a0 += Vector256.Load(row + e * cp);
                            a1 += Vector256.Load(row + (e + 1) * cp);
                        }
                        if (e < w1) a0 += Vector256.Load(row + e * cp);
                    }
                ((a0 + a1) * Vector256.Create(scale)).Store(dst + c);
            }
        }

        /// <summary>Global average or max pooling: the map [positions, stride] to the vector [C] (room for the stride).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Global(ReadOnlySpan<float> x, Span<float> y, int channels, int positions, bool max) => Global(x, y, channels, positions, max, 1);

        /// <summary>Global pooling of <paramref name="samples"/> maps stored back to back (each x.Length / samples floats apart, its vector y.Length / samples).</summary>
        public static void Global(ReadOnlySpan<float> x, Span<float> y, int channels, int positions, bool max, int samples) =>
            Global(x, y, channels, positions, max, samples, Simd.Pad8(channels));

        /// <summary>
        /// Global pooling of maps of <paramref name="stride"/> floats per position: the channels padded to 8 (y's lanes past
        /// the channels pool the map's padding lanes), or one channel kept compact (stride 1: y's lanes past it zero).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Global(ReadOnlySpan<float> x, Span<float> y, int channels, int positions, bool max, int samples, int stride)
        {
            int cp = Simd.Pad8(channels);
            if (stride != cp && !(channels == 1 && stride == 1))
                throw new ArgumentException($"Pool.Global: a map of {channels} channels lies {cp} floats per position (or 1, for one channel), not {stride}.", nameof(stride));
            (int xs, int ys, _) = Samples.Steps("Pool.Global", x.Length, y.Length, 0, samples);
            if (xs < (long)positions * stride || ys < cp)
                throw new ArgumentException($"Pool.Global: buffers of {xs} and {ys} floats per sample for {positions} positions of {channels} channels.");
            fixed (float* xp = x)
            fixed (float* yp = y)
                for (int n = 0; n < samples; n++)
                {
                    if (stride == 1) GlobalOfOne(xp + (long)n * xs, yp + (long)n * ys, positions, max);
                    else Global(xp + (long)n * xs, yp + (long)n * ys, channels, positions, max);
                }
        }

        /// <summary>One compact channel: its positions lie back to back, 8 to a vector, in four accumulators.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void GlobalOfOne(float* xp, float* yp, int positions, bool max)
        {
            float result = max ? float.NegativeInfinity : 0f;
            int p = 0;
            if (Simd.Enabled && positions >= 8)
            {
                Vector256<float> init = Vector256.Create(result);
                Vector256<float> a0 = init, a1 = init, a2 = init, a3 = init;
                if (max)
                {
                    for (; p + 32 <= positions; p += 32)
                    {
                        a0 = Simd.MaxOf(Vector256.Load(xp + p), a0); a1 = Simd.MaxOf(Vector256.Load(xp + p + 8), a1);
                        a2 = Simd.MaxOf(Vector256.Load(xp + p + 16), a2); a3 = Simd.MaxOf(Vector256.Load(xp + p + 24), a3);
                    }
                    for (; p + 8 <= positions; p += 8) a0 = Simd.MaxOf(Vector256.Load(xp + p), a0);
                    Vector256<float> m = Simd.MaxOf(Simd.MaxOf(a1, a0), Simd.MaxOf(a3, a2));
                    for (int i = 0; i < 8; i++) result = m.GetElement(i) > result ? m.GetElement(i) : result;
                }
                else
                {
                    for (; p + 32 <= positions; p += 32)
                    {
                        a0 += Vector256.Load(xp + p); a1 += Vector256.Load(xp + p + 8);
                        a2 += Vector256.Load(xp + p + 16); a3 += Vector256.Load(xp + p + 24);
                    }
                    for (; p + 8 <= positions; p += 8) a0 += Vector256.Load(xp + p);
                    result = Vector256.Sum((a0 + a1) + (a2 + a3));
                }
            }
            if (max) for (; p < positions; p++) result = xp[p] > result ? xp[p] : result;
            else for (; p < positions; p++) result += xp[p];
            yp[0] = max ? result : result / positions;
            for (int c = 1; c < 8; c++) yp[c] = 0f;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Global(float* xp, float* yp, int channels, int positions, bool max)
        {
            int cp = Simd.Pad8(channels);
            if (Simd.Enabled)
            {
                // Each group of 8 channels down the positions in four accumulators held in registers.
                Vector256<float> init = Vector256.Create(max ? float.NegativeInfinity : 0f), count = Vector256.Create((float)positions);
                for (int c = 0; c < cp; c += 8)
                {
                    Vector256<float> a0 = init, a1 = init, a2 = init, a3 = init;
                    float* at = xp + c;
                    int p = 0;
                    if (max)
                    {
                        for (; p + 4 <= positions; p += 4, at += 4 * cp)
                        {
                            a0 = Simd.MaxOf(Vector256.Load(at), a0); a1 = Simd.MaxOf(Vector256.Load(at + cp), a1);
                            a2 = Simd.MaxOf(Vector256.Load(at + 2 * cp), a2); a3 = Simd.MaxOf(Vector256.Load(at + 3 * cp), a3);
                        }
                        for (; p < positions; p++, at += cp) a0 = Simd.MaxOf(Vector256.Load(at), a0);
                        Simd.MaxOf(Simd.MaxOf(a1, a0), Simd.MaxOf(a3, a2)).Store(yp + c);
                    }
                    else
                    {
                        for (; p + 4 <= positions; p += 4, at += 4 * cp)
                        {
                            a0 += Vector256.Load(at); a1 += Vector256.Load(at + cp);
                            a2 += Vector256.Load(at + 2 * cp); a3 += Vector256.Load(at + 3 * cp);
                        }
                        for (; p < positions; p++, at += cp) a0 += Vector256.Load(at);
                        (((a0 + a1) + (a2 + a3)) / count).Store(yp + c);
                    }
                }
                return;
            }
            for (int c = 0; c < cp; c++) yp[c] = max ? float.NegativeInfinity : 0f;
            for (int p = 0; p < positions; p++)
            {
                float* row = xp + p * cp;
                if (max) for (int c = 0; c < channels; c++) yp[c] = row[c] > yp[c] ? row[c] : yp[c];
                else for (int c = 0; c < channels; c++) yp[c] += row[c];
            }
            if (!max) for (int c = 0; c < channels; c++) yp[c] /= positions;
        }
    }
}

using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>
    /// Convolution over channels-last data. <c>Direct</c>: a register-blocked kernel, 6 output positions x 16
    /// output channels (or 12 x 8) held in 12 vector accumulators, a panel of the packed weights (16 filters) streamed
    /// from cache for each block of positions; padding is a copy of the input into a zero border in the scratch buffer, so the hot loop has no bounds
    /// tests. <c>Winograd</c>: F(2x2, 3x3), 16 multiplies per 2x2 outputs instead of 36. Both add the bias, then
    /// apply the epilogue as they store: an activation, a residual sum, an activation after it.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe partial class Conv
    {
        private static readonly Job s_job = new();

        /// <summary>Direct convolution: y = epilogue(conv(x) + bias).</summary>
        /// <param name="w">The packed weights.</param>
        /// <param name="x">The input map, channels-last with <see cref="WindowShape.InputStride"/> floats per position.</param>
        /// <param name="y">The output map, K padded to 8 per position.</param>
        /// <param name="scratch">Room for the tap and position tables and the zero-bordered input.</param>
        /// <param name="shape">The layer's sizes.</param>
        /// <param name="activation">Applied to each output.</param>
        /// <param name="alpha">LeakyReLU's slope.</param>
        /// <param name="add">A tensor of y's shape added after the activation (a residual), or empty.</param>
        /// <param name="afterAdd">Applied after the sum.</param>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Direct(ConvWeights w, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, in WindowShape shape,
            Activation activation = Activation.None, float alpha = 0f, ReadOnlySpan<float> add = default, Activation afterAdd = Activation.None) =>
            Start(w, x, y, scratch, shape, winograd: false, activation, alpha, add, afterAdd);

        /// <summary>Winograd F(2x2, 3x3) (on the vector path; the scalar path sums the taps directly).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Winograd(ConvWeights w, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, in WindowShape shape,
            Activation activation = Activation.None, float alpha = 0f, ReadOnlySpan<float> add = default, Activation afterAdd = Activation.None)
        {
            if (w.Transformed is null) throw new ArgumentException("Conv.Winograd: the weights were made without winograd: true.", nameof(w));
            Start(w, x, y, scratch, shape, winograd: Simd.Enabled, activation, alpha, add, afterAdd);
        }

        /// <summary>
        /// Direct convolution of <paramref name="samples"/> samples stored back to back: each sample's input, output
        /// and residual take x, y and add's length divided by the count. The checks, tables and set-up are made once for
        /// all of them (the batched pass of a small network runs each layer once for a chunk of samples).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Direct(ConvWeights w, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, in WindowShape shape, int samples,
            Activation activation = Activation.None, float alpha = 0f, ReadOnlySpan<float> add = default, Activation afterAdd = Activation.None) =>
            Start(w, x, y, scratch, shape, winograd: false, activation, alpha, add, afterAdd, samples);

        /// <summary>Winograd F(2x2, 3x3) of <paramref name="samples"/> samples stored back to back (see the batched <see cref="Direct(ConvWeights, ReadOnlySpan{float}, Span{float}, Span{float}, in WindowShape, int, Activation, float, ReadOnlySpan{float}, Activation)"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Winograd(ConvWeights w, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, in WindowShape shape, int samples,
            Activation activation = Activation.None, float alpha = 0f, ReadOnlySpan<float> add = default, Activation afterAdd = Activation.None)
        {
            if (w.Transformed is null) throw new ArgumentException("Conv.Winograd: the weights were made without winograd: true.", nameof(w));
            Start(w, x, y, scratch, shape, winograd: Simd.Enabled, activation, alpha, add, afterAdd, samples);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Start(ConvWeights w, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, in WindowShape shape, bool winograd,
            Activation activation, float alpha, ReadOnlySpan<float> add, Activation afterAdd, int samples = 1)
        {
            if (shape.Channels != w.Channels || shape.Filters != w.Filters || !shape.Kernel.Equals(w.Kernel))
                throw new ArgumentException($"Conv: the weights are for {w.Filters} filters of {w.Kernel} over {w.Channels} channels, the call for {shape.Filters} of {shape.Kernel} over {shape.Channels}.");
            (int xStep, int yStep, int addStep) = Samples.Steps("Conv", x.Length, y.Length, add.Length, samples);
            shape.Check(x.Slice(0, xStep), y.Slice(0, yStep), "Conv");
            long needed = shape.ConvScratch(winograd);
            if (scratch.Length < needed) throw new ArgumentException($"Conv: the scratch buffer has {scratch.Length} floats, the layer needs {needed}.", nameof(scratch));
            if (!add.IsEmpty && addStep < (long)shape.Output.Product * shape.OutputStride) throw new ArgumentException("Conv: the residual is smaller than the output.", nameof(add));
            if (!add.IsEmpty && samples > 1 && addStep != yStep) throw new ArgumentException($"Conv: the residual has {addStep} floats per sample, the output {yStep}.", nameof(add));
            fixed (float* xp = x)
            fixed (float* yp = y)
            fixed (float* sp = scratch)
            fixed (float* ap = add)
            {
                var epilogue = new Epilogue(activation, alpha, add.IsEmpty ? null : ap, yp, afterAdd);
                int first = 0;
                // Samples back to back with nothing between them may run together (a residual's step is the output's:
                // checked above).
                bool together = samples > 1 && !winograd && (long)xStep == (long)shape.Input.Product * shape.InputStride
                    && (long)yStep == (long)shape.Output.Product * shape.OutputStride;
                if (together && Stacks(shape, samples, out int most, out long stackRoom))
                {
                    // Samples of a 3D map whose rows are too short for the row kernels as one list of output positions:
                    // their zero-bordered copies one after another, the position blocks running across them.
                    float* at = stackRoom <= scratch.Length ? sp : ThreadRoom.Get(stackRoom);
                    for (int m; first < samples; first += m)
                    {
                        m = Math.Min(most, samples - first);
                        new Call(w, shape, xp + (long)first * xStep, yp + (long)first * yStep, at, epilogue, false, m).RunPart(0, 1, at);
                    }
                    return;
                }
                if (together && AsOneMap(shape, samples, out WindowShape merged, out int size, out long room))
                {
                    // Groups of samples as one map: one set-up, one zero-bordered copy, the rows of every sample in the
                    // same blocks. Their room: the caller's scratch when it is large enough, else this thread's own.
                    float* at = room <= scratch.Length ? sp : ThreadRoom.Get(room);
                    var group = new Call(w, merged, xp, yp, at, epilogue, false);
                    if (merged.Input.D == 1)
                    {
                        // A row of points: all the samples at once.
                        group.RunPart(0, 1, at);
                        return;
                    }
                    // Groups of `size` lines, the last one of the samples left (the tables of the full group serve it).
                    for (int m; first < samples; first += m)
                    {
                        m = Math.Min(size, samples - first);
                        Call g = m == size ? group : new Call(w, AsLines(shape, m), xp, yp, at, epilogue, false);
                        g.At((long)first * xStep, (long)first * yStep).RunPart(0, 1, at);
                    }
                    return;
                }
                var call = new Call(w, shape, xp, yp, sp, epilogue, winograd);
                if (samples > 1)
                {
                    // One sample after another on this thread (a batch's threads split it by samples): the same call,
                    // moved along; the residual lies as far from each output as from the first.
                    for (int i = first; i < samples; i++) call.At((long)i * xStep, (long)i * yStep).RunPart(0, 1, sp);
                    return;
                }
                int threads = Batch.LayerThreads(call.Macs);
                if (threads > 1)
                {
                    s_job.Call = call;
                    try
                    {
                        Batch.For(s_job, threads, threads * Batch.PartsPerThread, xp, yp);
                    }
                    finally
                    {
                        s_job.Call = default;
                    }
                }
                else call.RunPart(0, 1, sp);
            }
        }

        /// <summary>
        /// The most floats of zero-bordered input a group of samples run as one map may take (small samples: their copy
        /// stays in L1/L2; larger maps run sample by sample).
        /// </summary>
        private const long OneMapCopy = 1 << 14;

        /// <summary>
        /// Whether samples stored back to back (nothing between them) run in groups as one map
        /// (<paramref name="merged"/>, <paramref name="size"/> samples each), and the scratch a group needs. A small
        /// network's layers cost more in set-up per sample (the call, the zero border, each row's blocks) than in
        /// multiply-adds.
        /// <list type="bullet">
        /// <item>Under a 1x1 convolution with stride 1 and no padding each position is read alone, so all the samples,
        /// 3D maps too, are one row of their positions (the weights' tables of the longest row serve the shorter ones:
        /// <see cref="WindowShape.IsRowOfPoints"/>).</item>
        /// <item>Samples of a 1D or 2D map are the D lines of one 3D map: a window of 1 along D, no stride, no padding,
        /// so no window reaches from one sample into the next. A group is 8 samples, or 4 or 2 where 8 would not fit
        /// <see cref="OneMapCopy"/> (fewer than that: none), and the last group takes the samples left: the tables of the
        /// full group serve it (their first lines), so the weights keep the tables of one group shape, whatever the chunk
        /// sizes.</item>
        /// </list>
        /// </summary>
        private static bool AsOneMap(WindowShape s, int samples, out WindowShape merged, out int size, out long room)
        {
            merged = default;
            size = 0;
            room = 0;
            if (s.IsPointwise)
            {
                long positions = (long)s.Input.Product * samples;
                if (positions > int.MaxValue / Math.Max(s.InputStride, s.OutputStride)) return false;
                merged = new WindowShape(s.Channels, s.InputStride, new Dims(1, 1, (int)positions), s.Filters, new Dims(1, 1, (int)positions),
                    new Dims(1, 1, 1), new Dims(1, 1, 1), new Dims(1, 1, 1), (0, 0, 0));
                size = samples;
                room = merged.ConvScratch(false);
                return true;
            }
            if (s.Input.D != 1 || s.Kernel.D != 1 || s.Output.D != 1 || s.PadBegin.D != 0)
                return false;
            for (size = 8; size >= 2; size /= 2)
            {
                merged = AsLines(s, size);
                if (merged.NeedsPadding && (long)merged.Padded.Product * s.InputStride > OneMapCopy) continue;
                room = merged.ConvScratch(false);
                return true;
            }
            return false;
        }

        /// <summary>A 1D or 2D shape over <paramref name="lines"/> samples as the D lines of one map (a window of 1 along D).</summary>
        private static WindowShape AsLines(in WindowShape s, int lines) =>
            new(s.Channels, s.InputStride, new Dims(lines, s.Input.H, s.Input.W), s.Filters, new Dims(lines, s.Output.H, s.Output.W),
                s.Kernel, new Dims(1, s.Stride.H, s.Stride.W), new Dims(1, s.Dilation.H, s.Dilation.W), (0, s.PadBegin.H, s.PadBegin.W));

        /// <summary>
        /// Whether samples stored back to back (nothing between them) run as one call over all their output positions, up to
        /// <paramref name="most"/> at a time (their copies within <see cref="OneMapCopy"/>), and the scratch that takes:
        /// layers of a 3D map, which <see cref="AsOneMap"/> cannot stack along D, whose rows are too short for the row
        /// kernels (those go through the position blocks sample by sample anyway). Each sample's own zero border keeps
        /// every window inside its sample. R14's first layer (2x2x2 over 2 channels, 5 x 3 x 7) 0.65 -> 0.56 us per image alone;
        /// at batch 64 on one thread R20 0.21 -> 0.14, R28 0.12 -> 0.085, R24 3.1 -> 2.6 us per image.
        /// </summary>
        private static bool Stacks(in WindowShape s, int samples, out int most, out long room)
        {
            most = 0;
            room = 0;
            if (s.Input.D == 1 || s.IsPointwise || s.Output.W >= Call.ShortRow)
                return false;
            long copy = s.NeedsPadding ? (long)s.Padded.Product * s.InputStride : 0;
            most = (int)Math.Min(samples, copy == 0 ? samples : OneMapCopy / copy);
            if (most < 2) return false;
            room = s.ConvScratch(false, samples: most);
            return true;
        }

        /// <summary>The parts of a large layer of a single sample, one per thread (only the thread that owns the workers starts one).</summary>
        private sealed class Job : IParallelJob
        {
            public Call Call;

            public void RunPart(float* x, float* y, int part, int parts, float* scratch) => Call.RunPart(part, parts, scratch);
        }

        /// <summary>One call: its sizes, the tables and the (zero-bordered) input in the caller's scratch, the epilogue.</summary>
        private struct Call
        {
            private readonly ConvWeights _w;
            private readonly ConvTables _tables;
            private float* _y;
            private readonly int* _taps, _bases;
            private readonly int _c, _cp, _k, _kp, _tapCount, _outPixels, _stepW;
            private readonly int _runs, _runLength; // what the kernels sum: runs of taps, each a contiguous run of floats of the input
            private readonly Dims _out;
            private readonly Epilogue _e;
            private readonly bool _winograd;
            private readonly int _tilesH, _tilesW;
            private readonly long _tilesAt; // where a part's Winograd buffers start in its scratch
            private float* _x;
            private readonly bool _pad;
            private readonly long _copyAt; // where a part's zero-bordered copy of the input starts in its scratch (floats)
            private readonly Dims _in, _padded, _padBegin;
            private readonly int _strideH, _reachH;
            private readonly int _samples; // samples run as one call (their inputs, outputs and copies one after another)
            private readonly long _inputStep, _copyStep;

            /// <summary>
            /// A call of shape <paramref name="s"/>; with several <paramref name="samples"/>, over that many samples
            /// stored back to back as one list of output positions (the position blocks of every sample together).
            /// </summary>
            public Call(ConvWeights w, in WindowShape s, float* x, float* y, float* scratch, Epilogue e, bool winograd, int samples = 1)
            {
                _w = w;
                _y = y;
                _e = e;
                _winograd = winograd;
                _c = s.Channels;
                _cp = s.InputStride;
                _k = s.Filters;
                _kp = s.OutputStride;
                _tapCount = s.Taps;
                _out = s.Output;
                _samples = samples;
                _outPixels = samples * s.Output.Product;
                Macs = (long)_outPixels * _k * _tapCount * (_c / w.Groups);

                // Scratch: [room for the tables][the input in a zero border][Winograd tiles], as KernelLayout.ConvScratch
                // counts it. The tables themselves (tap offsets, output position bases) depend only on the shape: the
                // weights keep them from the first call.
                _copyAt = Shapes.KernelLayout.Align(_tapCount) + Shapes.KernelLayout.Align(_outPixels + 16); // ints and floats are both 4 bytes
                bool pad = winograd || s.NeedsPadding;
                _tables = w.Tables(s, winograd, samples);
                Dims padded = winograd ? _tables.Padded : s.Padded; // (the tables may be those of a larger call: WindowShape.Covers)
                _tilesH = winograd ? (_out.H + 1) / 2 : 0;
                _tilesW = winograd ? (_out.W + 1) / 2 : 0;
                _taps = _tables.Taps;
                _bases = _tables.Bases;
                _runs = _tables.Runs;
                _runLength = _tables.RunLength;
                _stepW = s.Stride.W * _cp;
                _x = x;
                _pad = pad;
                _in = s.Input;
                _padded = padded;
                _padBegin = s.PadBegin;
                _strideH = s.Stride.H;
                _reachH = (s.Kernel.H - 1) * s.Dilation.H;
                _inputStep = (long)s.Input.Product * _cp;
                _copyStep = (long)padded.Product * _cp;
                _tilesAt = _copyAt + (pad ? Shapes.KernelLayout.Align(samples * _copyStep) : 0);
            }

            public long Macs { get; }

            /// <summary>This call for the sample whose input starts <paramref name="dx"/> floats on and whose output starts <paramref name="dy"/> on.</summary>
            public readonly Call At(long dx, long dy)
            {
                Call moved = this;
                moved._x = _x + dx;
                moved._y = _y + dy;
                return moved;
            }

            /// <summary>
            /// Whether a layer of few filters (at most 24) runs the row kernels on the 512-bit path: with one 16-wide
            /// vector of filters per position, each input value feeds one multiply-add, and the row kernels address the
            /// 12 positions from one pointer with constant offsets (the input step along W a type argument), which the
            /// core runs as single micro-ops where the position table's indexed addresses take two. Rows of 12 outputs or
            /// more, a step the row kernels have, weights that stay in L1 (no passes).
            /// </summary>
            private bool NarrowRows => Simd.Wide && _kp <= 24 && _out.W >= 12 && RowStep(_stepW) && (long)_runs * _runLength * _kp <= 8192;

            /// <summary>
            /// Rows shorter than this go to the position blocks even from a compact input: the row kernels of up to 32
            /// filters take 12 or 16 positions of one row, so a shorter row went one position at a time, where the
            /// position blocks take 12 from any rows (R20, a 3D layer with rows of 2: 0.75x -> 1.17x-1.20x ONNX
            /// Runtime at batch 64 on one thread).
            /// </summary>
            internal const int ShortRow = 12;

            /// <summary>The D x H lines of the zero-bordered input.</summary>
            private int Lines => _padded.D * _padded.H;

            /// <summary>
            /// The input a part's kernels read: x, or where there is padding, the lines
            /// [<paramref name="lines"/>) of its zero-bordered copy, made in the part's own scratch. Each thread copies
            /// what its share of the outputs reads, at the same time as the others and into its own cache.
            /// </summary>
            private float* Source(float* scratch, (int First, int End) lines)
            {
                if (!_pad) return _x;
                float* copy = scratch + _copyAt;
                for (int i = 0; i < _samples; i++)
                    Copy.WithBorder(_x + i * _inputStep, copy + i * _copyStep, _in, _padded, _padBegin, _cp, lines.First, lines.End);
                return copy;
            }

            /// <summary>
            /// The lines of the zero-bordered input that output positions [<paramref name="from"/>, <paramref name="to"/>)
            /// read, and those of the register block that may end there overlapping the one before (every line of a 3D input).
            /// </summary>
            private (int, int) LinesOf(int from, int to)
            {
                if (to <= from) return (0, 0);
                if (_padded.D > 1 || _samples > 1) return (0, Lines);
                from = Math.Max(0, Math.Min(from, to - 2 * BlockPositions));
                return (from / _out.W * _strideH, Math.Min(Lines, (to - 1) / _out.W * _strideH + _reachH + 1));
            }

            /// <summary>
            /// Part <paramref name="part"/> of <paramref name="parts"/>: an even share of the output rows, positions or
            /// Winograd tile blocks, rounded to whole register blocks.
            /// </summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public void RunPart(int part, int parts, float* scratch)
            {
                float* w = _w.Packed.Pointer, bias = _w.Bias.Pointer;
                if (_winograd)
                {
                    // Shares of whole register blocks of tiles (a 14 x 14 map's 49 tiles split 24 / 25, not 48 / 1);
                    // a tile row th reads the input lines 2 th to 2 th + 3.
                    (int t0, int t1) = Batch.Share(_tilesH * _tilesW, BlockPositions, part, parts);
                    var lines = t1 > t0 ? (2 * (t0 / _tilesW), Math.Min(Lines, 2 * ((t1 - 1) / _tilesW) + 4)) : (0, 0);
                    RunWinograd(Source(scratch, lines), scratch + _tilesAt, t0, t1);
                }
                else if (!Simd.Enabled)
                {
                    (int p0, int p1) = Batch.Share(_outPixels, 1, part, parts);
                    Scalar(Source(scratch, LinesOf(p0, p1)), _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, p0, p1, _e);
                }
                else if (_samples == 1 && ((_c < 8 && _cp == _c && RowStep(_stepW) && _out.W >= ShortRow) || NarrowRows))
                {
                    (int r0, int r1) = Batch.Share(_outPixels / _out.W, 1, part, parts);
                    RunRowsOf(Source(scratch, LinesOf(r0 * _out.W, r1 * _out.W)), r0 * _out.W, r1 * _out.W);
                }
                else
                {
                    // Threads share the panels of filters where the weights outweigh the input (late layers: each thread
                    // then streams only its panels' weights and reads the small input), else the output positions.
                    int panels = (_kp + _w.PanelSize - 1) / _w.PanelSize;
                    if (parts > 1 && panels >= parts && (long)_tapCount * _c * _kp > (long)_outPixels * _cp)
                    {
                        (int k0, int k1) = Batch.Share(panels, 1, part, parts);
                        Vector(Source(scratch, (0, Lines)), _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _cp, _w.PanelSize, 0, _outPixels, k0, k1, _e);
                    }
                    else
                    {
                        (int p0, int p1) = Batch.Share(_outPixels, BlockPositions, part, parts);
                        Vector(Source(scratch, LinesOf(p0, p1)), _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _cp, _w.PanelSize, p0, p1, 0, panels, _e);
                    }
                }
            }

            /// <summary>Output positions [from, to) (whole rows) with the row kernel specialised for this layer's input step.</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void RunRowsOf(float* x, int from, int to)
            {
                float* w = _w.Packed.Pointer, bias = _w.Bias.Pointer;
                switch (_stepW)
                {
                    case 1: Rows<Step1>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 2: Rows<Step2>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 3: Rows<Step3>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 4: Rows<Step4>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 6: Rows<Step6>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 8: Rows<Step8>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 16: Rows<Step16>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 24: Rows<Step24>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 32: Rows<Step32>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 48: Rows<Step48>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 64: Rows<Step64>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 96: Rows<Step96>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 128: Rows<Step128>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    case 144: Rows<Step144>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                    default: Rows<Step192>(x, _y, w, bias, _bases, _taps, _runs, _runLength, _kp, _w.PanelSize, _out.W, from, to, _e); break;
                }
            }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            private void RunWinograd(float* xp, float* scratch, int firstTile, int endTile)
            {
                // xp: the input copied into a zero border of [extH, extW, Cp]; scratch: this thread's room for V and M.
                const int tileBlock = Shapes.KernelLayout.WinogradTileBlock;
                const int stride = tileBlock + BlockPositions; // tiles per block, rounded up to whole kernel blocks
                int cp = _cp, kp = _kp, extW = _padded.W, c = _c, size = _w.PanelSize;
                float* v = scratch;
                float* m = v + 16 * stride * cp;
                int* tileBases = stackalloc int[stride];
                for (int i = 0; i < stride; i++) tileBases[i] = i * cp;
                int zeroTap = 0;
                float* open = stackalloc float[] { float.NegativeInfinity, float.PositiveInfinity };
                float* zeroBias = stackalloc float[kp];
                new Span<float>(zeroBias, kp).Clear();
                for (int t0 = firstTile; t0 < endTile; t0 += tileBlock)
                {
                    int count = Math.Min(tileBlock, endTile - t0);
                    int rounded = Whole(count, BlockPositions); // zero tiles up to whole blocks of any kernel; each panel computes up to whole blocks of its own
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
                        // M_e = V_e U_e: tiles x channels times channels x filters, panel by panel (U_e's panels: [C][width]).
                        float* ve = v + e * stride * cp, me = m + e * stride * kp, ue = _w.Transformed!.Pointer + (long)e * c * kp;
                        for (int k0 = 0; k0 < kp; k0 += size)
                        {
                            int width = Math.Min(size, kp - k0);
                            var pass = new Pass(ve, ue + (long)k0 * c, width, zeroBias + k0, &zeroTap, 1, c, c * width, open);
                            RunPass(pass, me + k0, tileBases, kp, 0, Whole(count, PassUnit(width)));
                        }
                    }
                    for (int i = 0; i < count; i++)
                    {
                        int th = (t0 + i) / _tilesW, tw = (t0 + i) % _tilesW;
                        for (int k0 = 0; k0 < kp; k0 += 8)
                            OutputTile(m + i * kp + k0, stride * kp, Vector256.Load(_w.Bias.Pointer + k0), _y + k0, 2 * th, 2 * tw, _out.H, _out.W, kp);
                        if (!_e.Any) continue;
                        // The epilogue over the tile's outputs, in cache: its (up to) two rows of (up to) two positions.
                        int columns = Math.Min(2, _out.W - 2 * tw) * kp;
                        for (int j = 0; j < 2 && 2 * th + j < _out.H; j++) _e.Apply(_y + ((2 * th + j) * _out.W + 2 * tw) * kp, columns);
                    }
                }
            }
        }

        /// <summary>
        /// The tap offsets and the output positions' bases of one call shape in the (zero-bordered) input the kernels
        /// read; the taps along W of a kernel row merged into one run where the input has no padding lanes and no
        /// dilation along W. Made on a layer's first call and kept by its weights.
        /// </summary>
        internal sealed class ConvTables
        {
            private readonly Aligned<int> _taps, _bases;

            public ConvTables(in WindowShape s, bool winograd, int samples = 1)
            {
                Shape = s;
                Winograd = winograd;
                Samples = samples;
                Dims padded = s.Padded, output = s.Output;
                if (winograd)
                    padded = new Dims(1, Math.Max(padded.H, 2 * ((output.H + 1) / 2) + 2), Math.Max(padded.W, 2 * ((output.W + 1) / 2) + 2));
                Padded = padded;
                int cp = s.InputStride, tapCount = s.Taps;
                int rowW = cp, rowH = padded.W * cp, rowD = padded.H * padded.W * cp;
                _taps = new Aligned<int>(tapCount);
                // 16 more as slack (zeros; a smaller call served by these tables sees the next positions' bases there): the
                // blocks and tails read the bases of their own positions only.
                _bases = new Aligned<int>(samples * output.Product + 16);
                int* taps = _taps.Pointer, bases = _bases.Pointer;
                int t = 0;
                for (int a = 0; a < s.Kernel.D; a++)
                    for (int b = 0; b < s.Kernel.H; b++)
                        for (int c = 0; c < s.Kernel.W; c++)
                            taps[t++] = a * s.Dilation.D * rowD + b * s.Dilation.H * rowH + c * s.Dilation.W * rowW;
                // Samples run as one call lie one (zero-bordered) input after another: sample i's positions read i
                // inputs further on.
                int p = 0;
                for (int i = 0; i < samples; i++)
                    for (int a = 0; a < output.D; a++)
                        for (int b = 0; b < output.H; b++)
                            for (int c = 0; c < output.W; c++)
                                bases[p++] = i * padded.D * rowD + a * s.Stride.D * rowD + b * s.Stride.H * rowH + c * s.Stride.W * rowW;
                if (!winograd && s.Dilation.W == 1 && cp == s.Channels && s.Kernel.W > 1)
                {
                    // The taps along W of a kernel row read one contiguous run of KW x C floats: the kernels sum such
                    // runs, fewer and longer inner loops. The packed weights [taps][C] are already in that order.
                    int kw = s.Kernel.W;
                    Runs = tapCount / kw;
                    RunLength = kw * s.Channels;
                    for (int r = 0; r < Runs; r++) taps[r] = taps[r * kw];
                }
                else
                {
                    Runs = tapCount;
                    RunLength = s.Channels;
                }
            }

            public WindowShape Shape { get; }
            public bool Winograd { get; }
            /// <summary>The samples whose positions the bases hold (those of fewer are their first part).</summary>
            public int Samples { get; }
            public Dims Padded { get; }
            public int* Taps => _taps.Pointer;
            public int* Bases => _bases.Pointer;
            public int Runs { get; }
            public int RunLength { get; }
        }

        /// <summary>Whether the row kernels have a version for this input step along W.</summary>
        private static bool RowStep(int step) => step is 1 or 2 or 3 or 4 or 6 or 8 or 16 or 24 or 32 or 48 or 64 or 96 or 128 or 144 or 192;
    }
}

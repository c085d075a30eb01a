using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Kernels
{
    /// <summary>
    /// Depthwise convolution (Groups = C): each output channel sums one input channel's window. Memory-bound, so it runs
    /// channels-last with the vector over channels (16 per vector on the 512-bit path, 8 on the 256-bit one) and reads
    /// the input where it lies: no padded copy. Row by row of outputs, the input rows a window covers are looked up once
    /// (a row in the padding is a row of zeros); the outputs whose windows stay inside the row run the fast loop (a 3x3
    /// kernel's 9 weights of a vector of channels held in registers along the row), the few at the ends skip the taps
    /// that fall in the padding. A multiplier M > 1 (K = M * C) first repeats each input channel M times into the
    /// scratch buffer, so the kernel always sees one input channel per output channel.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Depthwise
    {
        private static readonly Job s_job = new();

        /// <summary>y = epilogue(depthwise(x) + bias).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(DepthwiseWeights w, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, in WindowShape shape,
            Activation activation = Activation.None, float alpha = 0f, ReadOnlySpan<float> add = default, Activation afterAdd = Activation.None) =>
            Run(w, x, y, scratch, shape, 1, activation, alpha, add, afterAdd);

        /// <summary>
        /// <paramref name="samples"/> samples stored back to back: each sample's input, output and residual take x, y
        /// and add's length divided by the count; the checks are made once for all of them.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(DepthwiseWeights w, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, in WindowShape shape, int samples,
            Activation activation = Activation.None, float alpha = 0f, ReadOnlySpan<float> add = default, Activation afterAdd = Activation.None)
        {
            if (shape.Channels != w.Channels || shape.Filters != w.Filters || !shape.Kernel.Equals(w.Kernel))
                throw new ArgumentException($"Depthwise: the weights are for {w.Filters} filters of {w.Kernel} over {w.Channels} channels, the call for {shape.Filters} of {shape.Kernel} over {shape.Channels}.");
            (int xStep, int yStep, int addStep) = Samples.Steps("Depthwise", x.Length, y.Length, add.Length, samples);
            shape.Check(x.Slice(0, xStep), y.Slice(0, yStep), "Depthwise");
            if (!add.IsEmpty && (addStep < (long)shape.Output.Product * shape.OutputStride || (samples > 1 && addStep != yStep)))
                throw new ArgumentException($"Depthwise: the residual has {addStep} floats per sample, the output {yStep} (needs {(long)shape.Output.Product * shape.OutputStride}).", nameof(add));
            bool expand = w.Multiplier > 1;
            long needed = shape.ConvScratch(false, expand, shape.OutputStride);
            if (scratch.Length < needed) throw new ArgumentException($"Depthwise: the scratch buffer has {scratch.Length} floats, the layer needs {needed}.", nameof(scratch));
            // With a multiplier and a stride over D or H, the input rows some window reads (only those are repeated),
            // marked once for every sample.
            bool* read = null;
            if (expand && (shape.Stride.D > 1 || shape.Stride.H > 1))
            {
                bool* rows = stackalloc bool[shape.Input.D * shape.Input.H];
                MarkRead(rows, shape);
                read = rows;
            }
            // With a multiplier on the AVX2 path, the lanes each vector of the copy takes, worked out once for every sample.
            Lanes lanes = default;
            if (expand && Lanes.Apply(shape.InputStride, shape.OutputStride))
            {
                int chunks = shape.OutputStride / 8;
                int* bases = stackalloc int[chunks];
                Vector256<int>* indices = stackalloc Vector256<int>[chunks];
                Vector256<float>* masks = stackalloc Vector256<float>[chunks];
                lanes = new Lanes(bases, indices, masks, chunks, shape.Channels, shape.InputStride, w.Multiplier);
            }
            fixed (float* xp = x)
            fixed (float* yp = y)
            fixed (float* sp = scratch)
            fixed (float* ap = add)
            {
                var call = new Call(w, shape, xp, yp, sp, new Epilogue(activation, alpha, add.IsEmpty ? null : ap, yp, afterAdd), read, lanes);
                if (samples > 1)
                {
                    // One sample after another on this thread: the call set up once, then moved along (a multiplier's
                    // repeated channels made again for each sample). The residual lies as far from each output as from
                    // the first.
                    for (int i = 0; i < samples; i++)
                    {
                        if (i > 0) call.Load(xp + (long)i * xStep, yp + (long)i * yStep);
                        call.Rows(0, 1);
                    }
                    return;
                }
                // A depthwise multiply-add costs about as much time as eight of a full convolution's (each input value
                // feeds one filter, so the kernel streams its input and output rather than reusing them from registers):
                // its layers split at an eighth of the multiply-adds.
                int threads = Batch.LayerThreads(call.Macs * 8);
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
                else call.Rows(0, 1);
            }
        }

        private sealed class Job : IParallelJob
        {
            public Call Call;

            public void RunPart(float* x, float* y, int part, int parts, float* scratch) => Call.Rows(part, parts);
        }

        /// <summary>
        /// One call: the input the kernel reads (x, or its channels repeated), its sizes, the zero row that stands for the
        /// rows in the padding, and which outputs of a row have their whole window inside it.
        /// </summary>
        private struct Call
        {
            private float* _src, _y;
            private readonly float* _w, _bias, _zero, _copy;
            private readonly bool* _read; // the input rows a multiplier's copy repeats, or null: all
            private readonly Lanes _lanes; // the copy's lanes on the AVX2 path (Chunks 0: one by one)
            private readonly WindowShape _shape;
            private readonly int _multiplier;
            private readonly int* _columns; // per tap: its column offset in positions (c * dilation W)
            private readonly int _tapCount, _stride, _kp;
            private readonly Dims _in, _out, _kernel, _step, _dilation, _pad;
            private readonly int _first, _end; // outputs [first, end) of a row read no padding along W
            private readonly Epilogue _e;

            public Call(DepthwiseWeights w, in WindowShape s, float* x, float* y, float* scratch, Epilogue e, bool* read, Lanes lanes)
            {
                _read = read;
                _lanes = lanes;
                _e = e;
                _w = w.Packed.Pointer;
                _bias = w.Bias.Pointer;
                _kp = s.OutputStride;
                _tapCount = s.Taps;
                _in = s.Input;
                _out = s.Output;
                _kernel = s.Kernel;
                _step = s.Stride;
                _dilation = s.Dilation;
                _pad = s.PadBegin;
                Macs = (long)s.Output.Product * s.Filters * _tapCount;
                // Scratch, as KernelLayout.ConvScratch counts it: [taps][positions + 16 (unused here)][the copy: the
                // repeated channels, or a zero row].
                _columns = (int*)scratch;
                float* copy = (float*)(_columns + Shapes.KernelLayout.Align(_tapCount) + Shapes.KernelLayout.Align(s.Output.Product + 16));
                for (int t = 0; t < _tapCount; t++) _columns[t] = t % s.Kernel.W * s.Dilation.W;
                _copy = copy;
                _shape = s;
                _multiplier = w.Multiplier;
                _stride = _multiplier > 1 ? _kp : s.InputStride;
                // The zero row: past the repeated channels (the copy has room for a row past the input when there is
                // padding), or at the start of the copy's room.
                _zero = _multiplier > 1 ? copy + (long)s.Input.Product * _kp : copy;
                if (s.NeedsPadding) new Span<float>(_zero, s.Input.W * _stride).Clear();
                int reach = (s.Kernel.W - 1) * s.Dilation.W;
                _first = Math.Min(_out.W, (_pad.W + _step.W - 1) / _step.W);
                _end = Math.Max(_first, Math.Min(_out.W, _in.W - 1 - reach + _pad.W < 0 ? 0 : (_in.W - 1 - reach + _pad.W) / _step.W + 1));
                _src = null;
                _y = null;
                Load(x, y);
            }

            /// <summary>Points the call at a sample's input and output: with a multiplier, its channels repeated into the copy.</summary>
            public void Load(float* x, float* y)
            {
                _y = y;
                if (_multiplier > 1)
                {
                    Expand(x, _copy, _shape.Input.D * _shape.Input.H, _shape.Input.W, _read, _shape.Channels, _shape.InputStride, _multiplier, _kp, _lanes);
                    _src = _copy;
                }
                else _src = x;
            }

            public long Macs { get; }

            /// <summary>Part <paramref name="part"/> of <paramref name="parts"/>: an even share of the output rows.</summary>
            public void Rows(int part, int parts)
            {
                int kh = _kernel.D * _kernel.H;
                float** rows = stackalloc float*[kh];  // per (a, b) of the kernel: the input row, or the zero row
                float** taps = stackalloc float*[_tapCount]; // per tap: where output 0 of the row would read (may lie before the row)
                (int r0, int r1) = Batch.Share(_out.D * _out.H, 1, part, parts);
                for (int r = r0; r < r1; r++)
                {
                    int od = r / _out.H, oh = r % _out.H;
                    for (int a = 0; a < _kernel.D; a++)
                        for (int b = 0; b < _kernel.H; b++)
                        {
                            int id = od * _step.D - _pad.D + a * _dilation.D, ih = oh * _step.H - _pad.H + b * _dilation.H;
                            bool inside = id >= 0 && id < _in.D && ih >= 0 && ih < _in.H;
                            rows[a * _kernel.H + b] = inside ? _src + ((long)id * _in.H + ih) * _in.W * _stride : _zero;
                        }
                    for (int t = 0; t < _tapCount; t++) taps[t] = rows[t / _kernel.W] + (long)(_columns[t] - _pad.W) * _stride;
                    float* dst = _y + (long)r * _out.W * _kp;
                    int step = _step.W * _stride;
                    if (!Simd.Enabled)
                    {
                        Edges(taps, dst, 0, _out.W, step, scalar: true);
                        continue;
                    }
                    // The blocks only multiply and add (a call in them would spill the weights held in registers): the
                    // epilogue follows, the row still in cache.
                    if (_first > 0) Edges(taps, dst, 0, _first, step, scalar: false);
                    if (_end > _first)
                    {
                        int c = 0;
                        if (Simd.Wide)
                        {
                            for (; c + 16 <= _kp; c += 16)
                            {
                                if (_tapCount == 9) Row3x3Z(taps, dst, _w, _bias, c, _kp, _first, _end, step);
                                else RowZ(taps, dst, _w, _bias, _tapCount, c, _kp, _first, _end, step);
                            }
                        }
                        for (; c < _kp; c += 8)
                        {
                            if (_tapCount == 9) Row3x3Y(taps, dst, _w, _bias, c, _kp, _first, _end, step);
                            else RowY(taps, dst, _w, _bias, _tapCount, c, _kp, _first, _end, step);
                        }
                    }
                    if (_end < _out.W) Edges(taps, dst, _end, _out.W, step, scalar: false);
                    if (_e.Any) _e.Apply(dst, _out.W * _kp);
                }
            }

            /// <summary>
            /// Outputs [from, to) of a row with the taps that fall inside it (the rest read the padding, zeros); the scalar
            /// path runs every output this way, the epilogue included.
            /// </summary>
            private void Edges(float** taps, float* dst, int from, int to, int step, bool scalar)
            {
                int* inside = stackalloc int[_tapCount];
                float** at = stackalloc float*[_tapCount];
                for (int ow = from; ow < to; ow++)
                {
                    // The taps whose column lies inside the row, and where they read for this output.
                    int origin = ow * _step.W - _pad.W, count = 0;
                    for (int t = 0; t < _tapCount; t++)
                    {
                        int iw = origin + _columns[t];
                        if (iw < 0 || iw >= _in.W) continue;
                        inside[count] = t;
                        at[count++] = taps[t] + (long)ow * step;
                    }
                    float* y = dst + (long)ow * _kp;
                    if (scalar)
                    {
                        for (int c = 0; c < _kp; c++)
                        {
                            float sum = _bias[c];
                            for (int i = 0; i < count; i++) sum += at[i][c] * _w[inside[i] * _kp + c];
                            y[c] = _e.Apply(sum, y + c);
                        }
                    }
                    else Window(at, inside, count, y, _w, _bias, _kp);
                }
            }
        }

        /// <summary>One output position over all channels, summing <paramref name="count"/> taps (reading from <paramref name="at"/>, weights of tap <paramref name="taps"/>[i]).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Window(float** at, int* taps, int count, float* y, float* w, float* bias, int kp)
        {
            int c = 0;
            if (Simd.Wide)
                for (; c + 16 <= kp; c += 16)
                {
                    Vector512<float> sum = Vector512.Load(bias + c);
                    for (int i = 0; i < count; i++) sum = Simd.Fmadd(Vector512.Load(at[i] + c), Vector512.Load(w + taps[i] * kp + c), sum);
                    sum.Store(y + c);
                }
            for (; c < kp; c += 8)
            {
                Vector256<float> sum = Vector256.Load(bias + c);
                for (int i = 0; i < count; i++) sum = Simd.Fmadd(Vector256.Load(at[i] + c), Vector256.Load(w + taps[i] * kp + c), sum);
                sum.Store(y + c);
            }
        }

        /// <summary>Outputs [from, to) of a row, 16 channels from <paramref name="c"/>, 9 taps: their weights stay in registers along the row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Row3x3Z(float** taps, float* y, float* w, float* bias, int c, int kp, int from, int to, int step)
        {
            Vector512<float> w0 = Vector512.Load(w + c), w1 = Vector512.Load(w + kp + c), w2 = Vector512.Load(w + 2 * kp + c);
            Vector512<float> w3 = Vector512.Load(w + 3 * kp + c), w4 = Vector512.Load(w + 4 * kp + c), w5 = Vector512.Load(w + 5 * kp + c);
            Vector512<float> w6 = Vector512.Load(w + 6 * kp + c), w7 = Vector512.Load(w + 7 * kp + c), w8 = Vector512.Load(w + 8 * kp + c);
            Vector512<float> b = Vector512.Load(bias + c);
            nint at = (nint)from * step + c, by = step;
            float* p0 = taps[0], p1 = taps[1], p2 = taps[2], p3 = taps[3], p4 = taps[4], p5 = taps[5], p6 = taps[6], p7 = taps[7], p8 = taps[8];
            float* to0 = y + (long)from * kp + c;
            for (int ow = from; ow < to; ow++, at += by, to0 += kp)
            {
                Vector512<float> a = Simd.Fmadd(Vector512.Load(p0 + at), w0, b);
                Vector512<float> a2 = Vector512.Load(p1 + at) * w1;
                a = Simd.Fmadd(Vector512.Load(p2 + at), w2, a);
                a2 = Simd.Fmadd(Vector512.Load(p3 + at), w3, a2);
                a = Simd.Fmadd(Vector512.Load(p4 + at), w4, a);
                a2 = Simd.Fmadd(Vector512.Load(p5 + at), w5, a2);
                a = Simd.Fmadd(Vector512.Load(p6 + at), w6, a);
                a2 = Simd.Fmadd(Vector512.Load(p7 + at), w7, a2);
                a = Simd.Fmadd(Vector512.Load(p8 + at), w8, a);
                (a + a2).Store(to0);
            }
        }

        /// <summary>Outputs [from, to) of a row, 8 channels from <paramref name="c"/>, 9 taps in registers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Row3x3Y(float** taps, float* y, float* w, float* bias, int c, int kp, int from, int to, int step)
        {
            Vector256<float> w0 = Vector256.Load(w + c), w1 = Vector256.Load(w + kp + c), w2 = Vector256.Load(w + 2 * kp + c);
            Vector256<float> w3 = Vector256.Load(w + 3 * kp + c), w4 = Vector256.Load(w + 4 * kp + c), w5 = Vector256.Load(w + 5 * kp + c);
            Vector256<float> w6 = Vector256.Load(w + 6 * kp + c), w7 = Vector256.Load(w + 7 * kp + c), w8 = Vector256.Load(w + 8 * kp + c);
            Vector256<float> b = Vector256.Load(bias + c);
            nint at = (nint)from * step + c, by = step;
            float* p0 = taps[0], p1 = taps[1], p2 = taps[2], p3 = taps[3], p4 = taps[4], p5 = taps[5], p6 = taps[6], p7 = taps[7], p8 = taps[8];
            float* to0 = y + (long)from * kp + c;
            for (int ow = from; ow < to; ow++, at += by, to0 += kp)
            {
                Vector256<float> a = Simd.Fmadd(Vector256.Load(p0 + at), w0, b);
                Vector256<float> a2 = Vector256.Load(p1 + at) * w1;
                a = Simd.Fmadd(Vector256.Load(p2 + at), w2, a);
                a2 = Simd.Fmadd(Vector256.Load(p3 + at), w3, a2);
                a = Simd.Fmadd(Vector256.Load(p4 + at), w4, a);
                a2 = Simd.Fmadd(Vector256.Load(p5 + at), w5, a2);
                a = Simd.Fmadd(Vector256.Load(p6 + at), w6, a);
                a2 = Simd.Fmadd(Vector256.Load(p7 + at), w7, a2);
                a = Simd.Fmadd(Vector256.Load(p8 + at), w8, a);
                (a + a2).Store(to0);
            }
        }

        /// <summary>Outputs [from, to) of a row, 16 channels from <paramref name="c"/>, any kernel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowZ(float** taps, float* y, float* w, float* bias, int tapCount, int c, int kp, int from, int to, int step)
        {
            Vector512<float> b = Vector512.Load(bias + c);
            for (int ow = from; ow < to; ow++)
            {
                nint at = (nint)ow * step + c;
                Vector512<float> a = b, a2 = Vector512<float>.Zero;
                int t = 0;
                for (; t + 2 <= tapCount; t += 2)
                {
                    a = Simd.Fmadd(Vector512.Load(taps[t] + at), Vector512.Load(w + t * kp + c), a);
                    a2 = Simd.Fmadd(Vector512.Load(taps[t + 1] + at), Vector512.Load(w + (t + 1) * kp + c), a2);
                }
                if (t < tapCount) a = Simd.Fmadd(Vector512.Load(taps[t] + at), Vector512.Load(w + t * kp + c), a);
                (a + a2).Store(y + (long)ow * kp + c);
            }
        }

        /// <summary>Outputs [from, to) of a row, 8 channels from <paramref name="c"/>, any kernel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RowY(float** taps, float* y, float* w, float* bias, int tapCount, int c, int kp, int from, int to, int step)
        {
            Vector256<float> b = Vector256.Load(bias + c);
            for (int ow = from; ow < to; ow++)
            {
                nint at = (nint)ow * step + c;
                Vector256<float> a = b, a2 = Vector256<float>.Zero;
                int t = 0;
                for (; t + 2 <= tapCount; t += 2)
                {
                    a = Simd.Fmadd(Vector256.Load(taps[t] + at), Vector256.Load(w + t * kp + c), a);
                    a2 = Simd.Fmadd(Vector256.Load(taps[t + 1] + at), Vector256.Load(w + (t + 1) * kp + c), a2);
                }
                if (t < tapCount) a = Simd.Fmadd(Vector256.Load(taps[t] + at), Vector256.Load(w + t * kp + c), a);
                (a + a2).Store(y + (long)ow * kp + c);
            }
        }

        /// <summary>
        /// Marks the input rows (D x H lines of W positions) that some window reads: with a stride over D or H the others
        /// are never read (a stride of 2 reads every other row), so a multiplier's copy need not repeat them.
        /// </summary>
        private static void MarkRead(bool* rows, in WindowShape s)
        {
            Dims input = s.Input;
            bool* depths = stackalloc bool[input.D], heights = stackalloc bool[input.H];
            Read(depths, input.D, s.Output.D, s.Kernel.D, s.Stride.D, s.Dilation.D, s.PadBegin.D);
            Read(heights, input.H, s.Output.H, s.Kernel.H, s.Stride.H, s.Dilation.H, s.PadBegin.H);
            for (int d = 0; d < input.D; d++)
                for (int h = 0; h < input.H; h++) rows[d * input.H + h] = depths[d] && heights[h];
        }

        /// <summary>Marks the input indices along one dimension that a window of some output covers.</summary>
        private static void Read(bool* read, int length, int outputs, int kernel, int stride, int dilation, int padBegin)
        {
            for (int i = 0; i < length; i++) read[i] = false;
            for (int o = 0; o < outputs; o++)
                for (int k = 0; k < kernel; k++)
                {
                    int i = o * stride - padBegin + k * dilation;
                    if (i >= 0 && i < length) read[i] = true;
                }
        }

        /// <summary>
        /// Which input lanes each vector of 8 output channels [k0, k0 + 8) of a multiplier's copy takes: it reads input
        /// channels k0 / M to (k0 + 7) / M, fewer than 8, so one load of 8 input lanes within the position (from Bases[q],
        /// at most the input stride - 8), one vpermps that picks channel k / M for lane k, and a mask that zeroes the
        /// lanes past C * M. The same lanes serve every position (and every sample).
        /// </summary>
        private readonly struct Lanes
        {
            public readonly int* Bases;
            public readonly Vector256<int>* Indices;
            public readonly Vector256<float>* Masks;
            public readonly int Chunks;

            /// <summary>
            /// Whether the copy goes by lanes: AVX2, and whole vectors out; the input in whole vectors, or compact (fewer
            /// than 8 channels, all within one load from the position).
            /// </summary>
            public static bool Apply(int inStride, int outStride) => Avx2.IsSupported && outStride % 8 == 0;

            public Lanes(int* bases, Vector256<int>* indices, Vector256<float>* masks, int chunks, int channels, int inStride, int multiplier)
            {
                Bases = bases;
                Indices = indices;
                Masks = masks;
                Chunks = chunks;
                int* lanes = stackalloc int[8];
                float* keep = stackalloc float[8];
                for (int q = 0; q < chunks; q++)
                {
                    int k0 = q * 8;
                    int b = Math.Max(0, Math.Min(Math.Min(k0 / multiplier, channels - 1), inStride - 8));
                    bases[q] = b;
                    for (int l = 0; l < 8; l++)
                    {
                        int k = k0 + l;
                        bool real = k < channels * multiplier;
                        lanes[l] = real ? k / multiplier - b : 0;
                        keep[l] = real ? BitConverter.Int32BitsToSingle(-1) : 0f;
                    }
                    indices[q] = Vector256.Load(lanes);
                    masks[q] = Vector256.Load(keep);
                }
            }
        }

        /// <summary>
        /// The input with each channel repeated <paramref name="multiplier"/> times (channel c * M + m is c),
        /// <paramref name="outStride"/> floats per position: the <paramref name="rows"/> rows of
        /// <paramref name="rowLength"/> positions, or those of them <paramref name="read"/> marks (all when it is null);
        /// by <paramref name="lanes"/> where they were worked out, else one float at a time.
        /// </summary>
        private static void Expand(float* x, float* to, int rows, int rowLength, bool* read, int channels, int inStride, int multiplier, int outStride, Lanes lanes)
        {
            if (Simd.Enabled && channels == 1 && inStride == 1 && outStride == 8)
            {
                // One compact channel: each value into the first `multiplier` lanes of its position, the others zero.
                Vector256<float> keep = Simd.Lanes(0, multiplier);
                for (int r = 0; r < rows; r++)
                {
                    if (read != null && !read[r]) continue;
                    for (long p = (long)r * rowLength, end = p + rowLength; p < end; p++) (Vector256.Create(x[p]) & keep).Store(to + p * 8);
                }
                return;
            }
            if (lanes.Chunks > 0)
            {
                int chunks = lanes.Chunks;
                int* bases = lanes.Bases;
                Vector256<int>* indices = lanes.Indices;
                Vector256<float>* masks = lanes.Masks;
                // A compact input (fewer than 8 floats per position) is loaded 8 floats from each position, which runs
                // into the next ones: its last positions, whose load would leave the map, go one float at a time.
                long floats = (long)rows * rowLength * inStride;
                long whole = inStride >= 8 ? (long)rows * rowLength : floats < 8 ? 0 : (floats - 8) / inStride + 1;
                for (int r = 0; r < rows; r++)
                {
                    if (read != null && !read[r]) continue;
                    for (long p = (long)r * rowLength, end = p + rowLength; p < end; p++)
                    {
                        float* from = x + p * inStride;
                        float* into = to + p * outStride;
                        if (p >= whole)
                        {
                            Repeat(from, into, channels, multiplier, outStride);
                            continue;
                        }
                        for (int q = 0; q < chunks; q++)
                            (Avx2.PermuteVar8x32(Vector256.Load(from + bases[q]), indices[q]) & masks[q]).Store(into + q * 8);
                    }
                }
                return;
            }
            for (int r = 0; r < rows; r++)
            {
                if (read != null && !read[r]) continue;
                for (long p = (long)r * rowLength, end = p + rowLength; p < end; p++) Repeat(x + p * inStride, to + p * outStride, channels, multiplier, outStride);
            }
        }

        /// <summary>One position of a multiplier's copy, one float at a time.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Repeat(float* from, float* into, int channels, int multiplier, int outStride)
        {
            for (int ch = 0; ch < channels; ch++)
                for (int m = 0; m < multiplier; m++) into[ch * multiplier + m] = from[ch];
            for (int k = channels * multiplier; k < outStride; k++) into[k] = 0f;
        }
    }
}

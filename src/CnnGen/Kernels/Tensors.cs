using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Kernels
{
    /// <summary>Merges of branches: the residual sum, the gate, the concatenation along channels.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Merge
    {
        /// <summary>y = f(a + b) over <paramref name="length"/> floats (two tensors of one shape and layout); y may be a or b.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int length, Activation activation = Activation.None)
        {
            if (a.Length < length || b.Length < length || y.Length < length) throw new ArgumentException($"Merge.Add: buffers of {a.Length}, {b.Length} and {y.Length} floats for {length}.");
            fixed (float* ap = a)
            fixed (float* bp = b)
            fixed (float* yp = y)
            {
                if (Simd.Enabled && !Activations.NeedsExp(activation)) Activations.Add(ap, bp, yp, length, activation);
                else for (int i = 0; i < length; i++) yp[i] = Activations.Apply(ap[i] + bp[i], activation, 0f);
            }
        }

        /// <summary>
        /// y = x * gate: the gate is one factor per channel ([C], <paramref name="broadcast"/>) for every one of
        /// <paramref name="positions"/> positions of <paramref name="stride"/> floats, or a tensor of x's layout. y may be x.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> gate, Span<float> y, int positions, int stride, bool broadcast) =>
            Multiply(x, gate, y, positions, stride, broadcast, 1);

        /// <summary>
        /// The gate of <paramref name="samples"/> samples stored back to back: each sample's x, gate and y take their
        /// buffers' length divided by the count.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> gate, Span<float> y, int positions, int stride, bool broadcast, int samples)
        {
            long length = (long)positions * stride;
            (int xs, int ys, int gs) = Samples.Steps("Merge.Multiply", x.Length, y.Length, gate.Length, samples);
            if (xs < length || ys < length || gs < (broadcast ? stride : length))
                throw new ArgumentException($"Merge.Multiply: buffers of {xs}, {gs} and {ys} floats per sample for {positions} positions of {stride}.");
            fixed (float* xp = x)
            fixed (float* gp = gate)
            fixed (float* yp = y)
                for (int n = 0; n < samples; n++) Multiply(xp + (long)n * xs, gp + (long)n * gs, yp + (long)n * ys, positions, stride, broadcast);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Multiply(float* xp, float* gp, float* yp, int positions, int stride, bool broadcast)
        {
            long length = (long)positions * stride;
            if (!broadcast)
            {
                // Two tensors of one layout: one run over all their floats.
                long i = 0;
                if (Simd.Enabled) for (; i + 8 <= length; i += 8) (Vector256.Load(xp + i) * Vector256.Load(gp + i)).Store(yp + i);
                for (; i < length; i++) yp[i] = xp[i] * gp[i];
                return;
            }
            if (stride == 1)
            {
                // One channel kept compact: one factor for the whole map.
                Vector256<float> g = Vector256.Create(gp[0]);
                long i = 0;
                if (Simd.Enabled) for (; i + 8 <= length; i += 8) (Vector256.Load(xp + i) * g).Store(yp + i);
                for (; i < length; i++) yp[i] = xp[i] * gp[0];
                return;
            }
            if (Simd.Enabled && stride % 8 == 0)
            {
                // Each group of 8 channels down the positions, its 8 factors held in a register (a position-by-position
                // loop over a few channels spent more on its own loop than on the multiplies).
                for (int c = 0; c < stride; c += 8)
                {
                    Vector256<float> g = Vector256.Load(gp + c);
                    float* xr = xp + c, yr = yp + c;
                    int p = 0;
                    for (; p + 4 <= positions; p += 4, xr += 4L * stride, yr += 4L * stride)
                    {
                        Vector256<float> v0 = Vector256.Load(xr), v1 = Vector256.Load(xr + stride);
                        Vector256<float> v2 = Vector256.Load(xr + 2 * stride), v3 = Vector256.Load(xr + 3 * stride);
                        (v0 * g).Store(yr);
                        (v1 * g).Store(yr + stride);
                        (v2 * g).Store(yr + 2 * stride);
                        (v3 * g).Store(yr + 3 * stride);
                    }
                    for (; p < positions; p++, xr += stride, yr += stride) (Vector256.Load(xr) * g).Store(yr);
                }
                return;
            }
            for (int p = 0; p < positions; p++)
            {
                float* xr = xp + (long)p * stride, yr = yp + (long)p * stride;
                for (int c = 0; c < stride; c++) yr[c] = xr[c] * gp[c];
            }
        }

        /// <summary>
        /// Copies the <paramref name="channels"/> channels of each of <paramref name="positions"/> positions of x (stride
        /// <paramref name="inputStride"/>) into y from channel <paramref name="offset"/> on (stride <paramref name="outputStride"/>).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Concat(ReadOnlySpan<float> x, Span<float> y, int positions, int channels, int inputStride, int outputStride, int offset)
        {
            if (x.Length < (long)(positions - 1) * inputStride + channels || y.Length < (long)(positions - 1) * outputStride + offset + channels)
                throw new ArgumentException($"Merge.Concat: buffers of {x.Length} and {y.Length} floats for {positions} positions of {channels} channels.");
            fixed (float* xp = x)
            fixed (float* yp = y)
            {
                if (channels >= 32)
                {
                    long bytes = channels * 4L;
                    for (int q = 0; q < positions; q++)
                        Buffer.MemoryCopy(xp + (long)q * inputStride, yp + (long)q * outputStride + offset, bytes, bytes);
                    return;
                }
                int p = 0;
                if (Simd.Enabled && inputStride >= 8 && outputStride % 8 == 0)
                {
                    // A few channels per position: each position as whole vectors of the output, from the vector that
                    // holds channel `offset` on. A load of the input moved back by the offset's place in its vector puts
                    // the branch's channels in their lanes; a select keeps the other lanes as they are (the other
                    // branches', the padding). The moved loads read up to 7 floats before and after a position's own,
                    // inside its neighbours': the positions at the ends whose reads or writes would leave the buffers
                    // go one channel at a time. (A copy call per position cost more than the copy.)
                    int start = offset & ~7, shift = offset - start, blocks = (shift + channels + 7) / 8;
                    var masks = stackalloc Vector256<float>[blocks];
                    for (int b = 0; b < blocks; b++) masks[b] = Simd.Lanes(shift - 8 * b, shift - 8 * b + channels); // lane l holds channel l + 8 b - shift
                    long readEnd = 8L * blocks - shift, writeEnd = start + 8L * blocks;
                    int first = shift > 0 ? 1 : 0;
                    // The last position whose moved reads and whole-vector writes stay inside x and y.
                    long last = x.Length < readEnd || y.Length < writeEnd ? -1
                        : Math.Min(positions - 1, Math.Min((x.Length - readEnd) / inputStride, (y.Length - writeEnd) / outputStride));
                    for (; p < first && p < positions; p++) Channels(xp + (long)p * inputStride, yp + (long)p * outputStride + offset, channels);
                    float* from = xp + (long)p * inputStride - shift, to = yp + (long)p * outputStride + start;
                    if (blocks == 1)
                    {
                        Vector256<float> mask = masks[0];
                        for (; p <= last; p++, from += inputStride, to += outputStride)
                            Vector256.ConditionalSelect(mask, Vector256.Load(from), Vector256.Load(to)).Store(to);
                    }
                    else if (blocks == 2)
                    {
                        // A branch straddling two vectors (6 channels at offset 6 or 12): both masks in registers.
                        Vector256<float> mask0 = masks[0], mask1 = masks[1];
                        for (; p <= last; p++, from += inputStride, to += outputStride)
                        {
                            Vector256.ConditionalSelect(mask0, Vector256.Load(from), Vector256.Load(to)).Store(to);
                            Vector256.ConditionalSelect(mask1, Vector256.Load(from + 8), Vector256.Load(to + 8)).Store(to + 8);
                        }
                    }
                    else
                    {
                        for (; p <= last; p++, from += inputStride, to += outputStride)
                            for (int b = 0; b < blocks; b++)
                                Vector256.ConditionalSelect(masks[b], Vector256.Load(from + 8 * b), Vector256.Load(to + 8 * b)).Store(to + 8 * b);
                    }
                }
                for (; p < positions; p++) Channels(xp + (long)p * inputStride, yp + (long)p * outputStride + offset, channels);
            }
        }

        /// <summary>
        /// A concatenation of two to four branches into a map of up to 32 channels, padded to whole vectors of 8 floats
        /// per position, in one pass: each output vector is put together from the moved loads of the branches whose
        /// channels it holds (as <see cref="Concat"/> does for one branch) and stored once, its lanes past the channels
        /// zero, instead of a pass per branch that reads y back to keep the others' lanes (R17: 2.08 -> 1.90 us per image;
        /// R14, 18 channels in 24 floats: 0.35 -> 0.16 us per image for its three branches). Branch i has
        /// <c>channels_i</c> channels <c>stride_i</c> floats apart per position (8 or more) and goes after the branches
        /// before it; the positions at the ends, whose moved reads would leave a branch, go channel by channel. Unused
        /// branches are empty. The output vectors go one after another over all the positions, so the inner loop reads
        /// at most four branches from registers. (A loop over each vector's branches inside the loop over positions
        /// measured slower than a pass per branch.)
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Join(Span<float> y, int positions,
            ReadOnlySpan<float> x0, int channels0, int stride0, ReadOnlySpan<float> x1, int channels1, int stride1,
            ReadOnlySpan<float> x2 = default, int channels2 = 0, int stride2 = 0, ReadOnlySpan<float> x3 = default, int channels3 = 0, int stride3 = 0)
        {
            int count = x3.IsEmpty ? x2.IsEmpty ? 2 : 3 : 4;
            int* channels = stackalloc int[] { channels0, channels1, channels2, channels3 };
            int* strides = stackalloc int[] { stride0, stride1, stride2, stride3 };
            long* lengths = stackalloc long[] { x0.Length, x1.Length, x2.Length, x3.Length };
            int* offsets = stackalloc int[4];
            int total = 0;
            for (int i = 0; i < count; i++)
            {
                if (channels[i] < 1 || strides[i] < 8 || lengths[i] < (long)(positions - 1) * strides[i] + channels[i])
                    throw new ArgumentException($"Merge.Join: branch {i} of {channels[i]} channels ({strides[i]} floats per position, {lengths[i]} floats) for {positions} positions; a branch has 8 or more floats per position.");
                offsets[i] = total;
                total += channels[i];
            }
            int vectors = (total + 7) / 8, stride = 8 * vectors;
            if (total > 32 || y.Length < (long)positions * stride)
                throw new ArgumentException($"Merge.Join: {total} channels (at most 32) into {stride} floats per position of a buffer of {y.Length} floats for {positions} positions.");
            fixed (float* y0 = y)
            fixed (float* a = x0)
            fixed (float* b = x1)
            fixed (float* c = x2)
            fixed (float* d = x3)
            {
                float** xs = stackalloc float*[] { a, b, c, d };
                // Output vector v of position p takes branch i's load from p stride_i + 8 v - offset_i on, so that the
                // branch's channel k lands in lane offset_i + k - 8 v; the positions whose such loads stay inside every
                // branch (for each of its vectors) go as vectors.
                long first = 0, last = positions - 1;
                for (int i = 0; i < count; i++)
                {
                    int low = offsets[i] & ~7, high = (offsets[i] + channels[i] - 1) & ~7; // its first and last vectors' lanes
                    first = Math.Max(first, (offsets[i] - low + strides[i] - 1) / strides[i]);
                    long room = lengths[i] - 8 - (high - offsets[i]);
                    last = Math.Min(last, room < 0 ? -1 : room / strides[i]);
                }
                long p = 0;
                if (Simd.Enabled && first <= last)
                {
                    for (; p < first; p++) JoinChannels(xs, channels, strides, offsets, count, y0 + p * stride, p, total, stride);
                    for (int v = 0; v < vectors; v++) JoinVector(xs, channels, strides, offsets, count, v, y0 + 8 * v, stride, first, last);
                    p = last + 1;
                }
                for (; p < positions; p++) JoinChannels(xs, channels, strides, offsets, count, y0 + p * stride, p, total, stride);
            }
        }

        /// <summary>
        /// Output vector <paramref name="v"/> of positions [<paramref name="first"/>, <paramref name="last"/>] of
        /// <see cref="Join"/> (<paramref name="y"/>: that vector of position 0), from the branches holding its lanes.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void JoinVector(float** xs, int* channels, int* strides, int* offsets, int count, int v, float* y, int stride, long first, long last)
        {
            // The branches whose channels fall in this vector (one to four, in order), their moved pointers and lanes.
            var from = stackalloc float*[4];
            var steps = stackalloc long[4];
            var masks = stackalloc Vector256<float>[4];
            int n = 0;
            for (int i = 0; i < count; i++)
            {
                if (offsets[i] + channels[i] <= 8 * v || offsets[i] >= 8 * v + 8) continue;
                from[n] = xs[i] + first * strides[i] + 8 * v - offsets[i];
                steps[n] = strides[i];
                masks[n] = Simd.Lanes(offsets[i] - 8 * v, offsets[i] + channels[i] - 8 * v);
                n++;
            }
            float* s0 = from[0], s1 = n > 1 ? from[1] : s0, s2 = n > 2 ? from[2] : s0, s3 = n > 3 ? from[3] : s0;
            long t0 = steps[0], t1 = n > 1 ? steps[1] : 0, t2 = n > 2 ? steps[2] : 0, t3 = n > 3 ? steps[3] : 0;
            Vector256<float> m0 = masks[0], m1 = masks[1], m2 = masks[2], m3 = masks[3];
            float* to = y + first * stride;
            for (long p = first; p <= last; p++, s0 += t0, s1 += t1, s2 += t2, s3 += t3, to += stride)
            {
                Vector256<float> value = Vector256.Load(s0) & m0;
                if (n > 1) value = Vector256.ConditionalSelect(m1, Vector256.Load(s1), value);
                if (n > 2) value = Vector256.ConditionalSelect(m2, Vector256.Load(s2), value);
                if (n > 3) value = Vector256.ConditionalSelect(m3, Vector256.Load(s3), value);
                value.Store(to);
            }
        }

        /// <summary>Position <paramref name="p"/> of every branch of <see cref="Join"/>, channel by channel, its lanes past the channels zero.</summary>
        private static void JoinChannels(float** xs, int* channels, int* strides, int* offsets, int count, float* to, long p, int total, int stride)
        {
            for (int i = 0; i < count; i++) Channels(xs[i] + p * strides[i], to + offsets[i], channels[i]);
            for (int c = total; c < stride; c++) to[c] = 0;
        }

        /// <summary>One position's channels, one by one.</summary>
        private static void Channels(float* from, float* to, int channels)
        {
            for (int c = 0; c < channels; c++) to[c] = from[c];
        }
    }

    /// <summary>Per-channel scale and shift (an inference BatchNorm on its own): y = x * s + t; y may be x.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Affine
    {
        /// <summary>Every one of <paramref name="positions"/> positions of <paramref name="stride"/> floats (a vector: 1 position).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(AffineWeights w, ReadOnlySpan<float> x, Span<float> y, int positions, int stride)
        {
            long length = (long)positions * stride;
            if (x.Length < length || y.Length < length) throw new ArgumentException($"Affine: buffers of {x.Length} and {y.Length} floats for {length}.");
            fixed (float* xp = x)
            fixed (float* yp = y)
            {
                float* s = w.Scale.Pointer, t = w.Shift.Pointer;
                for (int p = 0; p < positions; p++)
                {
                    float* xr = xp + (long)p * stride, yr = yp + (long)p * stride;
                    int c = 0;
                    if (Simd.Enabled) for (; c + 8 <= stride; c += 8) (Vector256.Load(xr + c) * Vector256.Load(s + c) + Vector256.Load(t + c)).Store(yr + c);
                    for (; c < stride; c++) yr[c] = xr[c] * s[c] + t[c];
                }
            }
        }
    }

    /// <summary>Conversions between the public channels-first layout and the internal channels-last one, and layers that move values.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Layout
    {
        /// <summary>[C, P] to [P, stride], the channels past C zero.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ToChannelsLast(ReadOnlySpan<float> x, Span<float> y, int channels, int positions, int stride) =>
            ToChannelsLast(x, y, channels, positions, stride, 1);

        /// <summary><paramref name="samples"/> maps stored back to back (each x.Length / samples floats apart, its output y.Length / samples).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ToChannelsLast(ReadOnlySpan<float> x, Span<float> y, int channels, int positions, int stride, int samples)
        {
            (int xs, int ys, _) = Samples.Steps("Layout.ToChannelsLast", x.Length, y.Length, 0, samples);
            if (xs < (long)channels * positions || ys < (long)positions * stride)
                throw new ArgumentException($"Layout.ToChannelsLast: buffers of {xs} and {ys} floats per sample for {channels} x {positions}.");
            fixed (float* xp = x)
            fixed (float* yp = y)
                for (int n = 0; n < samples; n++) ToChannelsLast(xp + (long)n * xs, yp + (long)n * ys, channels, positions, stride);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ToChannelsLast(float* xp, float* yp, int channels, int positions, int stride)
        {
            if (positions == 1 || (channels == 1 && stride == 1))
            {
                // One position, or one channel kept compact: the layouts are the same.
                Buffer.MemoryCopy(xp, yp, (long)channels * positions * 4, (long)channels * positions * 4);
                for (int c = channels; c < stride; c++) yp[c] = 0f;
                return;
            }
            if (Simd.Enabled && stride == 8 && channels == 1)
            {
                // A grey image into 8 lanes per position: each value with its 7 zero lanes in one store.
                for (int p = 0; p < positions; p++) Vector256.CreateScalar(xp[p]).Store(yp + (long)p * 8);
                return;
            }
            int first = 0;
            if (Avx.IsSupported && stride % 8 == 0 && positions >= 8)
            {
                // 8 channels of 8 positions at a time, transposed in registers (the channels past C zero), then the
                // groups of 8 lanes past the channels' as zero vectors; the last positions as below.
                first = positions & ~7;
                int groups = (channels + 7) & ~7;
                for (int g = 0; g < groups; g += 8)
                    for (int p = 0; p < first; p += 8)
                        Transpose8(xp + (long)g * positions + p, positions, Math.Min(8, channels - g), yp + (long)p * stride + g, stride, 8);
                for (int p = 0; p < first; p++)
                    for (int c = groups; c < stride; c += 8) Vector256<float>.Zero.Store(yp + (long)p * stride + c);
            }
            if (Simd.Enabled && stride % 8 == 0 && channels < stride)
            {
                // The padded lanes as whole zero vectors (the channels' partial vector first), then the channels.
                int from = channels & ~7;
                for (int p = first; p < positions; p++)
                    for (int c = from; c < stride; c += 8) Vector256<float>.Zero.Store(yp + (long)p * stride + c);
            }
            else if (channels < stride)
            {
                for (int p = first; p < positions; p++)
                    for (int c = channels; c < stride; c++) yp[(long)p * stride + c] = 0f;
            }
            // Channel by channel: each reads its plane in order and writes every stride-th float (a loop over the
            // positions' few channels cost more in branches than the copies, 2-7 channels of a small input).
            for (int c = 0; c < channels; c++)
            {
                float* plane = xp + (long)c * positions, at = yp + (long)first * stride + c;
                int p = first;
                for (; p + 4 <= positions; p += 4, at += 4L * stride)
                {
                    at[0] = plane[p];
                    at[stride] = plane[p + 1];
                    at[2 * stride] = plane[p + 2];
                    at[3 * stride] = plane[p + 3];
                }
                for (; p < positions; p++, at += stride) *at = plane[p];
            }
        }

        /// <summary>[P, stride] to [C, P]: the public layout of an output map, and Flatten's C-order vector.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ToChannelsFirst(ReadOnlySpan<float> x, Span<float> y, int channels, int positions, int stride) =>
            ToChannelsFirst(x, y, channels, positions, stride, 1);

        /// <summary><paramref name="samples"/> maps stored back to back (each x.Length / samples floats apart, its output y.Length / samples).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ToChannelsFirst(ReadOnlySpan<float> x, Span<float> y, int channels, int positions, int stride, int samples)
        {
            (int xs, int ys, _) = Samples.Steps("Layout.ToChannelsFirst", x.Length, y.Length, 0, samples);
            if (xs < (long)(positions - 1) * stride + channels || ys < (long)channels * positions)
                throw new ArgumentException($"Layout.ToChannelsFirst: buffers of {xs} and {ys} floats per sample for {channels} x {positions}.");
            fixed (float* xp = x)
            fixed (float* yp = y)
                for (int n = 0; n < samples; n++) ToChannelsFirst(xp + (long)n * xs, yp + (long)n * ys, channels, positions, stride);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ToChannelsFirst(float* xp, float* yp, int channels, int positions, int stride)
        {
            if (positions == 1 || (channels == 1 && stride == 1))
            {
                // One position, or one channel kept compact: the layouts are the same.
                Buffer.MemoryCopy(xp, yp, (long)channels * positions * 4, (long)channels * positions * 4);
                return;
            }
            int from = 0;
            if (Avx.IsSupported && stride % 8 == 0 && positions >= 8)
            {
                // 8 positions of 8 channels at a time, transposed in registers: 8 loads, 24 shuffles, a store per channel
                // (a strided gather moved each float on its own).
                from = positions & ~7;
                for (int g = 0; g < channels; g += 8)
                    for (int p = 0; p < from; p += 8)
                        Transpose8(xp + (long)p * stride + g, stride, 8, yp + (long)g * positions + p, positions, Math.Min(8, channels - g));
            }
            for (int c = 0; c < channels; c++)
            {
                float* dst = yp + (long)c * positions;
                for (int p = from; p < positions; p++) dst[p] = xp[(long)p * stride + c];
            }
        }

        /// <summary>
        /// An 8 x 8 block transposed in registers: rows [0, <paramref name="rows"/>) of 8 floats at <paramref name="x"/>
        /// (<paramref name="xStride"/> apart; the rows past them zero) become the columns stored at <paramref name="y"/>,
        /// rows [0, <paramref name="columns"/>) of 8 floats <paramref name="yStride"/> apart. Positions by channels one way
        /// (channels-last to channels-first), channels by positions the other.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Transpose8(float* x, long xStride, int rows, float* y, long yStride, int columns)
        {
            Vector256<float> R(int k) => k < rows ? Avx.LoadVector256(x + k * xStride) : Vector256<float>.Zero;
            Vector256<float> r0 = R(0), r1 = R(1), r2 = R(2), r3 = R(3), r4 = R(4), r5 = R(5), r6 = R(6), r7 = R(7);
            // Pairs of rows interleaved, then quadruples, then the halves of 128 bits swapped into place.
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
            Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
            Avx.Store(y, Avx.Permute2x128(s0, s4, 0x20));
            if (columns > 1) Avx.Store(y + yStride, Avx.Permute2x128(s1, s5, 0x20));
            if (columns > 2) Avx.Store(y + 2 * yStride, Avx.Permute2x128(s2, s6, 0x20));
            if (columns > 3) Avx.Store(y + 3 * yStride, Avx.Permute2x128(s3, s7, 0x20));
            if (columns > 4) Avx.Store(y + 4 * yStride, Avx.Permute2x128(s0, s4, 0x31));
            if (columns > 5) Avx.Store(y + 5 * yStride, Avx.Permute2x128(s1, s5, 0x31));
            if (columns > 6) Avx.Store(y + 6 * yStride, Avx.Permute2x128(s2, s6, 0x31));
            if (columns > 7) Avx.Store(y + 7 * yStride, Avx.Permute2x128(s3, s7, 0x31));
        }

        /// <summary>Nearest-neighbour upsampling: output position (d, h, w) is input position (d / sD, h / sH, w / sW).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Upsample(ReadOnlySpan<float> x, Span<float> y, Dims input, Dims scale, int stride)
        {
            var output = new Dims(input.D * scale.D, input.H * scale.H, input.W * scale.W);
            if (x.Length < (long)input.Product * stride || y.Length < (long)output.Product * stride)
                throw new ArgumentException($"Layout.Upsample: buffers of {x.Length} and {y.Length} floats for {input} x{scale} with {stride} per position.");
            fixed (float* xp = x)
            fixed (float* yp = y)
            {
                long bytes = stride * 4L;
                // A position of a few vectors moves as vectors (a copy call per position cost more than its copy).
                bool vectors = Simd.Enabled && stride % 8 == 0 && stride <= 64;
                float* to = yp, xEnd = xp + (long)input.Product * stride, yEnd = yp + (long)output.Product * stride;
                for (int d = 0; d < output.D; d++)
                    for (int h = 0; h < output.H; h++)
                    {
                        float* row = xp + ((long)(d / scale.D) * input.H + h / scale.H) * input.W * stride;
                        for (int w = 0; w < output.W; w++, to += stride)
                        {
                            float* from = row + (long)(w / scale.W) * stride;
                            if (vectors) for (int c = 0; c < stride; c += 8) Vector256.Load(from + c).Store(to + c);
                            else if (stride < 8)
                            {
                                // A compact map's few channels: 8 floats moved, the ones past the position written over by
                                // the positions after it; at the ends of the maps, one by one.
                                if (Simd.Enabled && from + 8 <= xEnd && to + 8 <= yEnd) Vector256.Load(from).Store(to);
                                else for (int c = 0; c < stride; c++) to[c] = from[c];
                            }
                            else Buffer.MemoryCopy(from, to, bytes, bytes);
                        }
                    }
            }
        }

        /// <summary>
        /// Zero padding: the map <paramref name="input"/> ([positions, inputStride], C channels) into the middle of a zeroed
        /// <paramref name="output"/> map at <paramref name="padBegin"/> with <paramref name="outputStride"/> floats per position
        /// (the appended zero channels are in it).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ZeroPad(ReadOnlySpan<float> x, Span<float> y, int channels, Dims input, int inputStride, Dims output, int outputStride, PadSizes padBegin)
        {
            if (x.Length < (long)input.Product * inputStride || y.Length < (long)output.Product * outputStride)
                throw new ArgumentException($"Layout.ZeroPad: buffers of {x.Length} and {y.Length} floats for {input} to {output}.");
            y.Slice(0, output.Product * outputStride).Clear();
            Dims begin = padBegin.Value;
            fixed (float* xp = x)
            fixed (float* yp = y)
            {
                long bytes = channels * 4L;
                for (int d = 0; d < input.D; d++)
                    for (int h = 0; h < input.H; h++)
                        for (int w = 0; w < input.W; w++)
                            Buffer.MemoryCopy(xp + (((long)d * input.H + h) * input.W + w) * inputStride,
                                yp + (((long)(d + begin.D) * output.H + h + begin.H) * output.W + w + begin.W) * outputStride, bytes, bytes);
            }
        }
    }
}

using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>
    /// Depthwise convolution (Groups = C): each output channel sums one input channel's window. Memory-bound, so it runs
    /// channels-last with the vector over channels: 8 channels of one output position per vector, the 3x3 weights of
    /// those channels held in registers along a row of outputs. A multiplier M > 1 (K = M * C) repeats each input
    /// channel M times in the zero-bordered copy, so the kernel always sees one input channel per output channel.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Depthwise
    {
        private static readonly Job s_job = new();

        /// <summary>y = epilogue(depthwise(x) + bias).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(DepthwiseWeights w, ReadOnlySpan<float> x, Span<float> y, Span<float> scratch, in WindowShape shape,
            Activation activation = Activation.None, float alpha = 0f, ReadOnlySpan<float> add = default, Activation afterAdd = Activation.None)
        {
            if (shape.Channels != w.Channels || shape.Filters != w.Filters || !shape.Kernel.Equals(w.Kernel))
                throw new ArgumentException($"Depthwise: the weights are for {w.Filters} filters of {w.Kernel} over {w.Channels} channels, the call for {shape.Filters} of {shape.Kernel} over {shape.Channels}.");
            shape.Check(x, y, "Depthwise");
            bool expand = w.Multiplier > 1;
            long needed = shape.ConvScratch(false, expand, shape.OutputStride);
            if (scratch.Length < needed) throw new ArgumentException($"Depthwise: the scratch buffer has {scratch.Length} floats, the layer needs {needed}.", nameof(scratch));
            fixed (float* xp = x)
            fixed (float* yp = y)
            fixed (float* sp = scratch)
            fixed (float* ap = add)
            {
                var call = new Call(w, shape, xp, yp, sp, new Epilogue(activation, alpha, add.IsEmpty ? null : ap, yp, afterAdd));
                int threads = Batch.LayerThreads(call.Macs);
                if (threads > 1)
                {
                    s_job.Call = call;
                    try
                    {
                        Batch.For(s_job, threads, xp, yp);
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

        private readonly struct Call
        {
            private readonly float* _src, _y, _w, _bias;
            private readonly int* _taps;
            private readonly int _tapCount, _kp, _rowH, _rowD, _stepW, _stepH, _stepD;
            private readonly Dims _out;
            private readonly Epilogue _e;

            public Call(DepthwiseWeights w, in WindowShape s, float* x, float* y, float* scratch, Epilogue e)
            {
                _y = y;
                _e = e;
                _w = w.Packed.Pointer;
                _bias = w.Bias.Pointer;
                _kp = s.OutputStride;
                _tapCount = s.Taps;
                _out = s.Output;
                Macs = (long)s.Output.Product * s.Filters * _tapCount;
                _taps = (int*)scratch;
                float* copy = (float*)(_taps + Shapes.KernelLayout.Align(_tapCount) + Shapes.KernelLayout.Align(s.Output.Product + 16));
                Dims padded = s.Padded;
                int stride = s.InputStride;
                if (w.Multiplier > 1)
                {
                    Expand(x, copy, s.Input, padded, s.PadBegin, s.Channels, s.InputStride, w.Multiplier, _kp);
                    _src = copy;
                    stride = _kp;
                }
                else if (s.NeedsPadding)
                {
                    Copy.WithBorder(x, copy, s.Input, padded, s.PadBegin, stride);
                    _src = copy;
                }
                else _src = x;
                int rowW = stride;
                _rowH = padded.W * stride;
                _rowD = padded.H * _rowH;
                _stepW = s.Stride.W * rowW;
                _stepH = s.Stride.H * _rowH;
                _stepD = s.Stride.D * _rowD;
                int t = 0;
                for (int a = 0; a < s.Kernel.D; a++)
                    for (int b = 0; b < s.Kernel.H; b++)
                        for (int c = 0; c < s.Kernel.W; c++)
                            _taps[t++] = a * s.Dilation.D * _rowD + b * s.Dilation.H * _rowH + c * s.Dilation.W * rowW;
            }

            public long Macs { get; }

            /// <summary>Part <paramref name="part"/> of <paramref name="parts"/>: an even share of the output rows.</summary>
            public void Rows(int part, int parts)
            {
                (int r0, int r1) = Batch.Share(_out.D * _out.H, 1, part, parts);
                for (int r = r0; r < r1; r++)
                {
                    int od = r / _out.H, oh = r % _out.H;
                    float* src = _src + od * _stepD + oh * _stepH;
                    float* dst = _y + (long)r * _out.W * _kp;
                    if (!Simd.Enabled) ScalarRow(src, dst, _w, _bias, _taps, _tapCount, _kp, _out.W, _stepW, _e);
                    else
                    {
                        // The rows only multiply and add (a call in them would spill the weights held in registers): the epilogue follows, the row still in L1.
                        if (_tapCount == 9) Row3x3(src, dst, _w, _bias, _taps, _kp, _out.W, _stepW);
                        else Row(src, dst, _w, _bias, _taps, _tapCount, _kp, _out.W, _stepW);
                        if (_e.Any) _e.Apply(dst, _out.W * _kp);
                    }
                }
            }
        }

        /// <summary>One output row, 9 taps: for each 8 channels, their 9 weights stay in registers along the row.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Row3x3(float* x, float* y, float* w, float* bias, int* taps, int kp, int width, int step)
        {
            int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4], t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
            for (int c = 0; c < kp; c += 8)
            {
                Vector256<float> w0 = Vector256.Load(w + c), w1 = Vector256.Load(w + kp + c), w2 = Vector256.Load(w + 2 * kp + c);
                Vector256<float> w3 = Vector256.Load(w + 3 * kp + c), w4 = Vector256.Load(w + 4 * kp + c), w5 = Vector256.Load(w + 5 * kp + c);
                Vector256<float> w6 = Vector256.Load(w + 6 * kp + c), w7 = Vector256.Load(w + 7 * kp + c), w8 = Vector256.Load(w + 8 * kp + c);
                Vector256<float> b = Vector256.Load(bias + c);
                float* at = x + c;
                float* to = y + c;
                for (int ow = 0; ow < width; ow++, at += step, to += kp)
                {
                    Vector256<float> a = Simd.Fmadd(Vector256.Load(at + t0), w0, b);
                    Vector256<float> a2 = Vector256.Load(at + t1) * w1;
                    a = Simd.Fmadd(Vector256.Load(at + t2), w2, a);
                    a2 = Simd.Fmadd(Vector256.Load(at + t3), w3, a2);
                    a = Simd.Fmadd(Vector256.Load(at + t4), w4, a);
                    a2 = Simd.Fmadd(Vector256.Load(at + t5), w5, a2);
                    a = Simd.Fmadd(Vector256.Load(at + t6), w6, a);
                    a2 = Simd.Fmadd(Vector256.Load(at + t7), w7, a2);
                    a = Simd.Fmadd(Vector256.Load(at + t8), w8, a);
                    (a + a2).Store(to);
                }
            }
        }

        /// <summary>One output row, any kernel.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Row(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int kp, int width, int step)
        {
            for (int c = 0; c < kp; c += 8)
            {
                Vector256<float> b = Vector256.Load(bias + c);
                float* at = x + c;
                float* to = y + c;
                for (int ow = 0; ow < width; ow++, at += step, to += kp)
                {
                    Vector256<float> a = b, a2 = Vector256<float>.Zero;
                    int t = 0;
                    for (; t + 2 <= tapCount; t += 2)
                    {
                        a = Simd.Fmadd(Vector256.Load(at + taps[t]), Vector256.Load(w + t * kp + c), a);
                        a2 = Simd.Fmadd(Vector256.Load(at + taps[t + 1]), Vector256.Load(w + (t + 1) * kp + c), a2);
                    }
                    if (t < tapCount) a = Simd.Fmadd(Vector256.Load(at + taps[t]), Vector256.Load(w + t * kp + c), a);
                    (a + a2).Store(to);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ScalarRow(float* x, float* y, float* w, float* bias, int* taps, int tapCount, int kp, int width, int step, in Epilogue e)
        {
            for (int ow = 0; ow < width; ow++, x += step, y += kp)
            {
                for (int c = 0; c < kp; c++)
                {
                    float a = bias[c];
                    for (int t = 0; t < tapCount; t++) a += x[taps[t] + c] * w[t * kp + c];
                    y[c] = e.Apply(a, y + c);
                }
            }
        }

        /// <summary>The input in a zero border with each channel repeated <paramref name="multiplier"/> times (channel c * M + m is c).</summary>
        private static void Expand(float* x, float* to, Dims input, Dims padded, Dims begin, int channels, int inStride, int multiplier, int outStride)
        {
            new Span<float>(to, padded.Product * outStride).Clear();
            for (int a = 0; a < input.D; a++)
                for (int b = 0; b < input.H; b++)
                    for (int c = 0; c < input.W; c++)
                    {
                        float* from = x + ((a * input.H + b) * input.W + c) * inStride;
                        float* into = to + (((a + begin.D) * padded.H + b + begin.H) * padded.W + c + begin.W) * outStride;
                        for (int ch = 0; ch < channels; ch++)
                            for (int m = 0; m < multiplier; m++) into[ch * multiplier + m] = from[ch];
                    }
        }
    }
}

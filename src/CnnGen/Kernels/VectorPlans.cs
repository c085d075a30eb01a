using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>Fully connected: y = W x + b, with W packed at construction as [N_in, N_out padded to 8] so the kernel
    /// streams it once, 64 outputs at a time in 8 vector accumulators.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class DensePlan : LayerPlan, IParallelJob
    {
        private readonly int _in, _out, _outP;
        private readonly bool _relu;
        private readonly Aligned<float> _weights;
        private readonly Aligned<float> _bias;

        /// <param name="inputs">N_in.</param>
        /// <param name="units">N_out.</param>
        /// <param name="weight">[N_out, N_in] (PyTorch layout).</param>
        /// <param name="bias">[N_out], or empty.</param>
        /// <param name="relu">Whether a ReLU follows (fused).</param>
        public DensePlan(int inputs, int units, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, bool relu)
        {
            _in = inputs;
            _out = units;
            _outP = Simd.Pad8(units);
            _relu = relu;
            // Blocked: 64 outputs at a time (then 8), each block's [N_in, width] slice contiguous, so the kernel streams it.
            _weights = new Aligned<float>(inputs * _outP);
            float* packed = _weights.Pointer;
            for (int j0 = 0; j0 < _outP; j0 += BlockWidth(j0))
            {
                int width = BlockWidth(j0);
                float* block = packed + (long)j0 * inputs;
                for (int i = 0; i < inputs; i++)
                    for (int jj = 0; jj < width; jj++)
                        block[i * width + jj] = j0 + jj < units ? weight[(j0 + jj) * inputs + i] : 0f;
            }
            _bias = new Aligned<float>(_outP);
            if (!bias.IsEmpty) bias.CopyTo(_bias.Span);
        }

        private int BlockWidth(int j0) => j0 + 64 <= _outP ? 64 : 8;

        /// <inheritdoc/>
        public override int OutputLength => _outP;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch)
        {
            // A large layer of a single sample: each thread streams its share of the weight blocks.
            int threads = Batch.LayerThreads((long)_in * _outP);
            if (threads > 1) Batch.For(this, threads, x, y);
            else RunColumns(x, y, 0, _outP);
        }

        void IParallelJob.RunPart(float* x, float* y, int part, int parts, float* scratch)
        {
            (int from, int to) = Batch.Share(_outP, 64, part, parts);
            RunColumns(x, y, from, to);
        }

        /// <summary>Outputs [from, to), a range that starts on a weight block (a multiple of 64).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunColumns(float* x, float* y, int from, int to)
        {
            float* w = _weights.Pointer, b = _bias.Pointer;
            if (Simd.Enabled)
            {
                int j = from;
                for (; j + 64 <= to; j += 64) Block64(x, y + j, w + (long)j * _in, b + j);
                for (; j < to; j += 8) Block8(x, y + j, w + (long)j * _in, b + j);
            }
            else
            {
                for (int j0 = from; j0 < to; j0 += BlockWidth(j0))
                {
                    int width = BlockWidth(j0);
                    float* block = w + (long)j0 * _in;
                    for (int jj = 0; jj < width; jj++)
                    {
                        float sum = b[j0 + jj];
                        for (int i = 0; i < _in; i++) sum += x[i] * block[i * width + jj];
                        y[j0 + jj] = _relu && sum < 0f ? 0f : sum;
                    }
                }
            }
        }

        /// <summary>Floats this layer reads per sample.</summary>
        internal int InputLength => _in;

        /// <summary>
        /// The layer on several samples at once (rows of a batch): each weight panel is read once for 4 samples, which
        /// turns the memory-bound matrix-vector product into a matrix-matrix one.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void RunRows(float* x, int xStride, float* y, int yStride, int rows)
        {
            int r = 0;
            if (Simd.Enabled)
            {
                float* w = _weights.Pointer, b = _bias.Pointer;
                for (; r + 4 <= rows; r += 4)
                {
                    for (int j0 = 0; j0 < _outP; j0 += BlockWidth(j0))
                    {
                        int width = BlockWidth(j0);
                        float* panel = w + (long)j0 * _in;
                        if (width == 64)
                        {
                            Rows4x32(x + r * xStride, xStride, panel, 64, b + j0, y + r * yStride + j0, yStride);
                            Rows4x32(x + r * xStride, xStride, panel + 32, 64, b + j0 + 32, y + r * yStride + j0 + 32, yStride);
                        }
                        else
                        {
                            Rows4x8(x + r * xStride, xStride, panel, b + j0, y + r * yStride + j0, yStride);
                        }
                    }
                }
            }
            for (; r < rows; r++) Run(x + r * xStride, y + r * yStride, null);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Rows4x32(float* x, int xStride, float* w, int wStride, float* b, float* y, int yStride)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8), b2 = Vector256.Load(b + 16), b3 = Vector256.Load(b + 24);
            Vector256<float> a00 = b0, a01 = b1, a02 = b2, a03 = b3, a10 = b0, a11 = b1, a12 = b2, a13 = b3;
            Vector256<float> a20 = b0, a21 = b1, a22 = b2, a23 = b3, a30 = b0, a31 = b1, a32 = b2, a33 = b3;
            float* x0 = x, x1 = x + xStride, x2 = x + 2 * xStride, x3 = x + 3 * xStride;
            int n = _in;
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
            if (_relu)
            {
                Vector256<float> z = Vector256<float>.Zero;
                a00 = Vector256.Max(a00, z); a01 = Vector256.Max(a01, z); a02 = Vector256.Max(a02, z); a03 = Vector256.Max(a03, z);
                a10 = Vector256.Max(a10, z); a11 = Vector256.Max(a11, z); a12 = Vector256.Max(a12, z); a13 = Vector256.Max(a13, z);
                a20 = Vector256.Max(a20, z); a21 = Vector256.Max(a21, z); a22 = Vector256.Max(a22, z); a23 = Vector256.Max(a23, z);
                a30 = Vector256.Max(a30, z); a31 = Vector256.Max(a31, z); a32 = Vector256.Max(a32, z); a33 = Vector256.Max(a33, z);
            }
            a00.Store(y); a01.Store(y + 8); a02.Store(y + 16); a03.Store(y + 24); y += yStride;
            a10.Store(y); a11.Store(y + 8); a12.Store(y + 16); a13.Store(y + 24); y += yStride;
            a20.Store(y); a21.Store(y + 8); a22.Store(y + 16); a23.Store(y + 24); y += yStride;
            a30.Store(y); a31.Store(y + 8); a32.Store(y + 16); a33.Store(y + 24);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Rows4x8(float* x, int xStride, float* w, float* b, float* y, int yStride)
        {
            Vector256<float> bias = Vector256.Load(b);
            Vector256<float> a0 = bias, a1 = bias, a2 = bias, a3 = bias;
            float* x0 = x, x1 = x + xStride, x2 = x + 2 * xStride, x3 = x + 3 * xStride;
            int n = _in;
            for (int i = 0; i < n; i++, w += 8)
            {
                Vector256<float> wv = Vector256.Load(w);
                a0 = Simd.Fmadd(Vector256.Create(x0[i]), wv, a0);
                a1 = Simd.Fmadd(Vector256.Create(x1[i]), wv, a1);
                a2 = Simd.Fmadd(Vector256.Create(x2[i]), wv, a2);
                a3 = Simd.Fmadd(Vector256.Create(x3[i]), wv, a3);
            }
            if (_relu)
            {
                Vector256<float> z = Vector256<float>.Zero;
                a0 = Vector256.Max(a0, z); a1 = Vector256.Max(a1, z); a2 = Vector256.Max(a2, z); a3 = Vector256.Max(a3, z);
            }
            a0.Store(y); a1.Store(y + yStride); a2.Store(y + 2 * yStride); a3.Store(y + 3 * yStride);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Block64(float* x, float* y, float* w, float* b)
        {
            Vector256<float> a0 = Vector256.Load(b), a1 = Vector256.Load(b + 8), a2 = Vector256.Load(b + 16), a3 = Vector256.Load(b + 24);
            Vector256<float> a4 = Vector256.Load(b + 32), a5 = Vector256.Load(b + 40), a6 = Vector256.Load(b + 48), a7 = Vector256.Load(b + 56);
            int n = _in;
            for (int i = 0; i < n; i++, w += 64)
            {
                if (System.Runtime.Intrinsics.X86.Sse.IsSupported) System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + 1024);
                Vector256<float> v = Vector256.Create(x[i]);
                a0 = Simd.Fmadd(v, Vector256.Load(w), a0); a1 = Simd.Fmadd(v, Vector256.Load(w + 8), a1);
                a2 = Simd.Fmadd(v, Vector256.Load(w + 16), a2); a3 = Simd.Fmadd(v, Vector256.Load(w + 24), a3);
                a4 = Simd.Fmadd(v, Vector256.Load(w + 32), a4); a5 = Simd.Fmadd(v, Vector256.Load(w + 40), a5);
                a6 = Simd.Fmadd(v, Vector256.Load(w + 48), a6); a7 = Simd.Fmadd(v, Vector256.Load(w + 56), a7);
            }
            if (_relu)
            {
                Vector256<float> z = Vector256<float>.Zero;
                a0 = Vector256.Max(a0, z); a1 = Vector256.Max(a1, z); a2 = Vector256.Max(a2, z); a3 = Vector256.Max(a3, z);
                a4 = Vector256.Max(a4, z); a5 = Vector256.Max(a5, z); a6 = Vector256.Max(a6, z); a7 = Vector256.Max(a7, z);
            }
            a0.Store(y); a1.Store(y + 8); a2.Store(y + 16); a3.Store(y + 24); a4.Store(y + 32); a5.Store(y + 40); a6.Store(y + 48); a7.Store(y + 56);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Block8(float* x, float* y, float* w, float* b)
        {
            Vector256<float> a0 = Vector256.Load(b), a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero;
            int n = _in, stride = 8, i = 0;
            for (; i + 4 <= n; i += 4, w += 4 * stride)
            {
                a0 = Simd.Fmadd(Vector256.Create(x[i]), Vector256.Load(w), a0);
                a1 = Simd.Fmadd(Vector256.Create(x[i + 1]), Vector256.Load(w + stride), a1);
                a2 = Simd.Fmadd(Vector256.Create(x[i + 2]), Vector256.Load(w + 2 * stride), a2);
                a3 = Simd.Fmadd(Vector256.Create(x[i + 3]), Vector256.Load(w + 3 * stride), a3);
            }
            for (; i < n; i++, w += stride) a0 = Simd.Fmadd(Vector256.Create(x[i]), Vector256.Load(w), a0);
            Vector256<float> a = (a0 + a1) + (a2 + a3);
            if (_relu) a = Vector256.Max(a, Vector256<float>.Zero);
            a.Store(y);
        }
    }

    /// <summary>Inference batch normalisation as a per-channel scale and shift (precomputed from weight, bias, mean, variance).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class BatchNormPlan : LayerPlan
    {
        private readonly int _pixels, _cp;
        private readonly float[] _scale, _shift;

        /// <param name="inputShape">C then the spatial sizes; a vector [N] has N channels.</param>
        /// <param name="parameters">weight, bias, running_mean, running_var, C values each.</param>
        /// <param name="epsilon">Added to the variance.</param>
        public BatchNormPlan(int[] inputShape, ReadOnlySpan<float> parameters, float epsilon)
        {
            int c = inputShape[0];
            bool vector = inputShape.Length == 1;
            _cp = vector ? c : Simd.Pad8(c);
            _pixels = 1;
            for (int i = 1; i < inputShape.Length; i++) _pixels *= inputShape[i];
            _scale = new float[_cp];
            _shift = new float[_cp];
            for (int i = 0; i < c; i++)
            {
                float scale = parameters[i] / MathF.Sqrt(parameters[3 * c + i] + epsilon);
                _scale[i] = scale;
                _shift[i] = parameters[c + i] - parameters[2 * c + i] * scale;
            }
        }

        /// <inheritdoc/>
        public override int OutputLength => _pixels * _cp;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch)
        {
            for (int p = 0; p < _pixels; p++)
            {
                float* xr = x + p * _cp, yr = y + p * _cp;
                for (int c = 0; c < _cp; c++) yr[c] = xr[c] * _scale[c] + _shift[c];
            }
        }
    }

    /// <summary>The element-wise activations.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public enum Activation
    {
        /// <summary>max(0, z).</summary>
        ReLU,
        /// <summary>z, or alpha z below 0.</summary>
        LeakyReLU,
        /// <summary>z, or alpha (e^z - 1) below 0.</summary>
        ELU,
        /// <summary>1 / (1 + e^-z).</summary>
        Sigmoid,
        /// <summary>tanh z.</summary>
        Tanh,
    }

    /// <summary>An element-wise activation over the whole buffer (padded channels included: they are never read as data).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class ActivationPlan : LayerPlan
    {
        private readonly Activation _kind;
        private readonly float _alpha;
        private readonly int _length;

        /// <param name="kind">The function.</param>
        /// <param name="alpha">LeakyReLU slope or ELU alpha.</param>
        /// <param name="inputShape">C then the spatial sizes (channels-last, C padded to 8, inside), or a vector [N].</param>
        public ActivationPlan(Activation kind, float alpha, int[] inputShape)
        {
            _kind = kind;
            _alpha = alpha;
            int pixels = 1;
            for (int i = 1; i < inputShape.Length; i++) pixels *= inputShape[i];
            _length = inputShape.Length == 1 ? inputShape[0] : pixels * Simd.Pad8(inputShape[0]);
        }

        /// <inheritdoc/>
        public override int OutputLength => _length;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch)
        {
            int i = 0;
            if (Simd.Enabled && _kind is Activation.ReLU or Activation.LeakyReLU)
            {
                Vector256<float> z = Vector256<float>.Zero, alpha = Vector256.Create(_alpha);
                for (; i + 8 <= _length; i += 8)
                {
                    Vector256<float> v = Vector256.Load(x + i);
                    (_kind == Activation.ReLU ? Vector256.Max(v, z) : Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, z), v, v * alpha)).Store(y + i);
                }
            }
            for (; i < _length; i++)
            {
                float v = x[i];
                y[i] = _kind switch
                {
                    Activation.ReLU => v > 0f ? v : 0f,
                    Activation.LeakyReLU => v >= 0f ? v : _alpha * v,
                    Activation.ELU => v > 0f ? v : _alpha * (MathF.Exp(v) - 1f),
                    Activation.Sigmoid => 1f / (1f + MathF.Exp(-v)),
                    _ => MathF.Tanh(v),
                };
            }
        }
    }

    /// <summary>Softmax of a vector: e^(x_i - max) / sum_j e^(x_j - max).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class SoftmaxPlan : LayerPlan
    {
        private readonly int _length;

        /// <param name="length">N.</param>
        public SoftmaxPlan(int length) => _length = length;

        /// <inheritdoc/>
        public override int OutputLength => _length;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch)
        {
            float max = float.NegativeInfinity;
            for (int i = 0; i < _length; i++) if (x[i] > max) max = x[i];
            float sum = 0f;
            for (int i = 0; i < _length; i++)
            {
                float e = MathF.Exp(x[i] - max);
                y[i] = e;
                sum += e;
            }
            for (int i = 0; i < _length; i++) y[i] /= sum;
        }
    }

    /// <summary>Channels-last [P, Cp] to the C-order vector [C * P] (as PyTorch's flatten of [C, spatial...]).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class FlattenPlan : LayerPlan
    {
        private readonly int _c, _cp, _pixels;

        /// <param name="inputShape">C then the spatial sizes.</param>
        public FlattenPlan(int[] inputShape)
        {
            _c = inputShape[0];
            _cp = Simd.Pad8(_c);
            _pixels = 1;
            for (int i = 1; i < inputShape.Length; i++) _pixels *= inputShape[i];
        }

        /// <inheritdoc/>
        public override int OutputLength => _c * _pixels;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(float* x, float* y, float* scratch) => Layout.ToChannelsFirst(x, y, _c, _pixels);
    }

    /// <summary>Conversions between the public channels-first layout and the internal channels-last one.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Layout
    {
        /// <summary>[C, P] to [P, stride], the channels past C zero.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ToChannelsLast(float* x, float* y, int channels, int pixels, int stride)
        {
            int cp = stride;
            if (channels == cp && pixels == 1) { Buffer.MemoryCopy(x, y, channels * 4L, channels * 4L); return; }
            for (int p = 0; p < pixels; p++)
            {
                float* row = y + p * cp;
                for (int c = 0; c < channels; c++) row[c] = x[c * pixels + p];
                for (int c = channels; c < cp; c++) row[c] = 0f;
            }
        }

        /// <summary>[P, Cp] to [C, P].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void ToChannelsFirst(float* x, float* y, int channels, int pixels)
        {
            int cp = Simd.Pad8(channels);
            for (int c = 0; c < channels; c++)
            {
                float* dst = y + c * pixels;
                for (int p = 0; p < pixels; p++) dst[p] = x[p * cp + c];
            }
        }
    }
}

using System;
using System.ComponentModel;

namespace CnnGen.Kernels
{
    /// <summary>
    /// A convolution's weights, packed once when the network is created in panels of filters: [panel][taps][C][P], each
    /// panel contiguous, so the kernel streams a panel in the order it multiplies and keeps it in cache over many output
    /// positions. P is 64 where the 512-bit kernels run, else 16; the last panel holds what is left of K padded to 8.
    /// A grouped convolution's filters see zeros outside their group.
    /// A BatchNorm that follows the convolution is folded in (W' = W * s, b' = (b - mean) * s + beta,
    /// s = gamma / sqrt(var + eps)). For Winograd F(2x2, 3x3) the transformed weights G g G^T are kept as well.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class ConvWeights
    {
        /// <param name="weight">[K, C/G, F...] (PyTorch/ONNX layout).</param>
        /// <param name="bias">[K], or empty for none.</param>
        /// <param name="filters">K.</param>
        /// <param name="channels">C.</param>
        /// <param name="kernel">The kernel sizes.</param>
        /// <param name="groups">G.</param>
        /// <param name="winograd">Also transform the weights for <c>Conv.Winograd</c> (3x3, no groups).</param>
        /// <param name="batchNorm">A BatchNorm to fold in: scale, bias, mean, variance, K values each (empty: none).</param>
        /// <param name="epsilon">The BatchNorm's epsilon.</param>
        public ConvWeights(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int filters, int channels, Dims kernel, int groups = 1,
            bool winograd = false, ReadOnlySpan<float> batchNorm = default, float epsilon = 1e-5f)
        {
            Filters = filters;
            Channels = channels;
            Kernel = kernel;
            Groups = groups;
            int taps = kernel.Product, kp = Simd.Pad8(filters), perGroup = channels / groups, filtersPerGroup = filters / groups;
            if (weight.Length != filters * perGroup * taps)
                throw new ArgumentException($"A convolution of {filters} filters of {kernel} over {channels} channels in {groups} group(s) has {filters * perGroup * taps} weights, not {weight.Length}.", nameof(weight));
            (float[] scale, float[] shift) = Folding.Affine(bias, batchNorm, filters, epsilon);
            PanelSize = Simd.Wide ? 64 : 16;
            Packed = new Aligned<float>(taps * channels * kp);
            float* packed = Packed.Pointer;
            for (int k = 0; k < filters; k++)
            {
                int g = k / filtersPerGroup;
                for (int cc = 0; cc < perGroup; cc++)
                {
                    int c = g * perGroup + cc;
                    for (int tap = 0; tap < taps; tap++)
                        packed[Panel(k, taps * channels, PanelSize) + (tap * channels + c) * PanelWidth(kp, k / PanelSize, PanelSize)] = weight[(k * perGroup + cc) * taps + tap] * scale[k];
                }
            }
            Bias = new Aligned<float>(kp);
            shift.CopyTo(Bias.Span);
            if (winograd) Transformed = Transform(weight, scale, filters, channels, kernel, groups, PanelSize);
        }

        internal int Filters { get; }
        internal int Channels { get; }
        internal Dims Kernel { get; }
        internal int Groups { get; }

        /// <summary>[panel][taps][C][<see cref="PanelSize"/> (the last panel what is left)].</summary>
        internal Aligned<float> Packed { get; }

        /// <summary>Filters per panel: 64 for the 512-bit kernels, 16 for the others.</summary>
        internal int PanelSize { get; }

        /// <summary>The width of panel <paramref name="panel"/>: <paramref name="size"/> filters, the last one what is left of <paramref name="kp"/>.</summary>
        internal static int PanelWidth(int kp, int panel, int size) => Math.Min(size, kp - size * panel);

        /// <summary>
        /// Where filter <paramref name="k"/>'s column starts: its panel (the panels before it are full: <paramref name="rows"/>
        /// rows of <paramref name="size"/>) and its place in it.
        /// </summary>
        internal static int Panel(int k, int rows, int size) => k / size * rows * size + k % size;

        /// <summary>[Kp]: the bias (BatchNorm folded in), zeros past K.</summary>
        internal Aligned<float> Bias { get; }

        private readonly Conv.ConvTables?[] _tables = new Conv.ConvTables?[4];
        private int _nextTables;

        /// <summary>
        /// The kernel's tables for a call of shape <paramref name="s"/>: those of an earlier call of the same shape, else
        /// new ones. A layer calls with its own shape, and with one more for a group of small samples run as one map
        /// (<see cref="Conv"/>): the last four are kept, so none are made in steady state, whatever the batch sizes (two
        /// threads making them at once make the same). A call takes the tables of one with its shape and as many samples
        /// or more, a row of points (a 1x1 convolution over a chunk's samples as one row) those of a row as long or
        /// longer, and a group of samples as the D lines of one map those of as many lines or more
        /// (<see cref="WindowShape.Covers"/>): its tables are the first part of those.
        /// </summary>
        internal Conv.ConvTables Tables(in WindowShape s, bool winograd, int samples = 1)
        {
            foreach (Conv.ConvTables? kept in _tables)
                if (kept is not null && kept.Winograd == winograd && kept.Samples >= samples
                    && (kept.Shape.SameAs(s) || (!winograd && samples == 1 && kept.Samples == 1 && kept.Shape.Covers(s))))
                    return kept;
            var t = new Conv.ConvTables(s, winograd, samples);
            _tables[_nextTables++ & 3] = t;
            return t;
        }

        /// <summary>[16][panel][C][<see cref="PanelSize"/>]: G g G^T for Winograd F(2x2, 3x3), or null.</summary>
        internal Aligned<float>? Transformed { get; }

        private static Aligned<float> Transform(ReadOnlySpan<float> weight, float[] scale, int filters, int channels, Dims kernel, int groups, int size)
        {
            if (groups != 1 || kernel.D != 1 || kernel.H != 3 || kernel.W != 3)
                throw new ArgumentException($"Winograd F(2x2, 3x3) needs a 3x3 kernel without groups, not {kernel} in {groups} group(s).");
            int kp = Simd.Pad8(filters);
            var result = new Aligned<float>(16 * channels * kp);
            float* u = result.Pointer;
            Span<float> q = stackalloc float[12];
            for (int k = 0; k < filters; k++)
                for (int c = 0; c < channels; c++)
                {
                    // g: the 3x3 kernel of (k, c); q = G g (4x3); U = q G^T (4x4).
                    int g0 = (k * channels + c) * 9;
                    for (int col = 0; col < 3; col++)
                    {
                        float a = weight[g0 + col] * scale[k], b = weight[g0 + 3 + col] * scale[k], e = weight[g0 + 6 + col] * scale[k];
                        q[col] = a;
                        q[3 + col] = 0.5f * (a + b + e);
                        q[6 + col] = 0.5f * (a - b + e);
                        q[9 + col] = e;
                    }
                    int at = Panel(k, channels, size) + c * PanelWidth(kp, k / size, size);
                    for (int row = 0; row < 4; row++)
                    {
                        float a = q[row * 3], b = q[row * 3 + 1], e = q[row * 3 + 2];
                        u[(row * 4 + 0) * channels * kp + at] = a;
                        u[(row * 4 + 1) * channels * kp + at] = 0.5f * (a + b + e);
                        u[(row * 4 + 2) * channels * kp + at] = 0.5f * (a - b + e);
                        u[(row * 4 + 3) * channels * kp + at] = e;
                    }
                }
            return result;
        }
    }

    /// <summary>
    /// A depthwise convolution's weights: [taps, Kp] (output channel k reads input channel k / M), bias [Kp], a following
    /// BatchNorm folded in.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class DepthwiseWeights
    {
        /// <param name="weight">[M * C, 1, F...].</param>
        /// <param name="bias">[M * C], or empty.</param>
        /// <param name="channels">C.</param>
        /// <param name="multiplier">M.</param>
        /// <param name="kernel">The kernel sizes.</param>
        /// <param name="batchNorm">A BatchNorm to fold in (scale, bias, mean, variance), or empty.</param>
        /// <param name="epsilon">The BatchNorm's epsilon.</param>
        public DepthwiseWeights(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int channels, int multiplier, Dims kernel,
            ReadOnlySpan<float> batchNorm = default, float epsilon = 1e-5f)
        {
            Channels = channels;
            Multiplier = multiplier;
            Kernel = kernel;
            int filters = channels * multiplier, taps = kernel.Product, kp = Simd.Pad8(filters);
            if (weight.Length != filters * taps)
                throw new ArgumentException($"A depthwise convolution of {filters} filters of {kernel} has {filters * taps} weights, not {weight.Length}.", nameof(weight));
            (float[] scale, float[] shift) = Folding.Affine(bias, batchNorm, filters, epsilon);
            Packed = new Aligned<float>(taps * kp);
            for (int k = 0; k < filters; k++)
                for (int tap = 0; tap < taps; tap++)
                    Packed.Pointer[tap * kp + k] = weight[k * taps + tap] * scale[k];
            Bias = new Aligned<float>(kp);
            shift.CopyTo(Bias.Span);
        }

        internal int Channels { get; }
        internal int Multiplier { get; }
        internal Dims Kernel { get; }
        internal int Filters => Channels * Multiplier;

        /// <summary>[taps, Kp].</summary>
        internal Aligned<float> Packed { get; }

        /// <summary>[Kp].</summary>
        internal Aligned<float> Bias { get; }
    }

    /// <summary>
    /// A fully connected layer's weights, packed as [N_in, N_out padded to 8] in 64-column panels (then 8), each panel
    /// contiguous so the kernel streams it once; a following BatchNorm folded in.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class DenseWeights
    {
        /// <param name="weight">[N_out, N_in] (PyTorch layout).</param>
        /// <param name="bias">[N_out], or empty.</param>
        /// <param name="inputs">N_in.</param>
        /// <param name="units">N_out.</param>
        /// <param name="batchNorm">A BatchNorm over the outputs to fold in, or empty.</param>
        /// <param name="epsilon">The BatchNorm's epsilon.</param>
        public DenseWeights(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int inputs, int units, ReadOnlySpan<float> batchNorm = default, float epsilon = 1e-5f)
        {
            Inputs = inputs;
            Units = units;
            if (weight.Length != inputs * units)
                throw new ArgumentException($"A dense layer {inputs} -> {units} has {inputs * units} weights, not {weight.Length}.", nameof(weight));
            (float[] scale, float[] shift) = Folding.Affine(bias, batchNorm, units, epsilon);
            int outP = Simd.Pad8(units);
            Packed = new Aligned<float>(inputs * outP);
            float* packed = Packed.Pointer;
            for (int j0 = 0; j0 < outP; j0 += PanelWidth(j0))
            {
                int width = PanelWidth(j0);
                float* panel = packed + (long)j0 * inputs;
                for (int i = 0; i < inputs; i++)
                    for (int jj = 0; jj < width; jj++)
                        panel[i * width + jj] = j0 + jj < units ? weight[(j0 + jj) * inputs + i] * scale[j0 + jj] : 0f;
            }
            Bias = new Aligned<float>(outP);
            shift.CopyTo(Bias.Span);
        }

        internal int Inputs { get; }
        internal int Units { get; }
        internal int PaddedUnits => Simd.Pad8(Units);

        /// <summary>Panels of 64 columns, and of 8 for the last ones.</summary>
        internal int PanelWidth(int j0) => j0 + 64 <= PaddedUnits ? 64 : 8;

        internal Aligned<float> Packed { get; }
        internal Aligned<float> Bias { get; }
    }

    /// <summary>A per-channel scale and shift: an inference BatchNorm that nothing before it could absorb.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class AffineWeights
    {
        /// <param name="batchNorm">scale, bias, mean, variance: C values each.</param>
        /// <param name="channels">C.</param>
        /// <param name="epsilon">Added to the variance.</param>
        public AffineWeights(ReadOnlySpan<float> batchNorm, int channels, float epsilon)
        {
            Channels = channels;
            (float[] scale, float[] shift) = Folding.Affine(default, batchNorm, channels, epsilon);
            Scale = new Aligned<float>(Simd.Pad8(channels));
            Shift = new Aligned<float>(Simd.Pad8(channels));
            scale.CopyTo(Scale.Span);
            shift.CopyTo(Shift.Span);
        }

        internal int Channels { get; }
        internal Aligned<float> Scale { get; }
        internal Aligned<float> Shift { get; }
    }

    /// <summary>BatchNorm as a scale and shift per channel, folded into the bias of the layer before it.</summary>
    internal static class Folding
    {
        /// <summary>
        /// Per output: the factor for the weights and the bias, from the layer's <paramref name="bias"/> (empty: 0) and a
        /// BatchNorm (empty: none): s = gamma / sqrt(var + eps), b' = (b - mean) * s + beta.
        /// </summary>
        public static (float[] Scale, float[] Shift) Affine(ReadOnlySpan<float> bias, ReadOnlySpan<float> batchNorm, int count, float epsilon)
        {
            var scale = new float[count];
            var shift = new float[count];
            if (!bias.IsEmpty && bias.Length != count) throw new ArgumentException($"The bias has {bias.Length} values, not {count}.", nameof(bias));
            if (!batchNorm.IsEmpty && batchNorm.Length != 4 * count)
                throw new ArgumentException($"The BatchNorm has {batchNorm.Length} values, not 4 x {count}.", nameof(batchNorm));
            for (int k = 0; k < count; k++)
            {
                float b = bias.IsEmpty ? 0f : bias[k];
                if (batchNorm.IsEmpty)
                {
                    scale[k] = 1f;
                    shift[k] = b;
                    continue;
                }
                float s = batchNorm[k] / MathF.Sqrt(batchNorm[3 * count + k] + epsilon);
                scale[k] = s;
                shift[k] = (b - batchNorm[2 * count + k]) * s + batchNorm[count + k];
            }
            return (scale, shift);
        }
    }
}

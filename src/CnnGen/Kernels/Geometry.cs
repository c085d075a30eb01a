using System;
using System.ComponentModel;

namespace CnnGen.Kernels
{
    /// <summary>
    /// Spatial sizes as D, H, W: a 1D size is (1, 1, L), a 2D one (1, H, W). Generated code writes them as the numbers of
    /// the layer's rank: <c>28</c>, <c>(28, 28)</c> or <c>(16, 28, 28)</c>.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct Dims : IEquatable<Dims>
    {
        /// <summary>Sizes along D, H and W.</summary>
        public Dims(int d, int h, int w)
        {
            D = d;
            H = h;
            W = w;
        }

        /// <summary>Depth.</summary>
        public int D { get; }

        /// <summary>Height.</summary>
        public int H { get; }

        /// <summary>Width (the length of a 1D sequence).</summary>
        public int W { get; }

        /// <summary>D * H * W.</summary>
        public int Product => D * H * W;

        /// <summary>A 1D size.</summary>
        public static implicit operator Dims(int length) => new(1, 1, length);

        /// <summary>A 2D size (H, W).</summary>
        public static implicit operator Dims((int H, int W) size) => new(1, size.H, size.W);

        /// <summary>A 3D size (D, H, W).</summary>
        public static implicit operator Dims((int D, int H, int W) size) => new(size.D, size.H, size.W);

        /// <summary>The sizes as the shared layout rules take them.</summary>
        internal Shapes.Size3 Size => new(D, H, W);

        /// <inheritdoc/>
        public bool Equals(Dims other) => D == other.D && H == other.H && W == other.W;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is Dims other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode() => (D * 31 + H) * 31 + W;

        /// <inheritdoc/>
        public override string ToString() => D == 1 && H == 1 ? W.ToString(System.Globalization.CultureInfo.InvariantCulture) : D == 1 ? $"{H}x{W}" : $"{D}x{H}x{W}";
    }

    /// <summary>
    /// Zero padding before the input along D, H, W: a 1D pad is (0, 0, P), a 2D one (0, P_H, P_W). Generated code writes
    /// them as the numbers of the layer's rank, as <see cref="Dims"/>.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct PadSizes
    {
        private PadSizes(int d, int h, int w) => Value = new Dims(d, h, w);

        /// <summary>The pads as D, H, W.</summary>
        public Dims Value { get; }

        /// <summary>A 1D pad.</summary>
        public static implicit operator PadSizes(int pad) => new(0, 0, pad);

        /// <summary>A 2D pad (H, W).</summary>
        public static implicit operator PadSizes((int H, int W) pad) => new(0, pad.H, pad.W);

        /// <summary>A 3D pad (D, H, W).</summary>
        public static implicit operator PadSizes((int D, int H, int W) pad) => new(pad.D, pad.H, pad.W);
    }

    /// <summary>
    /// The sizes of one convolution or pooling layer, written out at the call in generated code: the input (its channels,
    /// the floats per position of its buffer and its spatial sizes), the output, the window and how it moves.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct WindowShape
    {
        /// <summary>A window layer's sizes.</summary>
        /// <param name="channels">C, the input channels.</param>
        /// <param name="inputStride">Floats per input position (C padded to 8, or C for a compact network input).</param>
        /// <param name="input">Input spatial sizes.</param>
        /// <param name="filters">K, the output channels (pooling: C).</param>
        /// <param name="output">Output spatial sizes.</param>
        /// <param name="kernel">Window sizes.</param>
        /// <param name="stride">Strides.</param>
        /// <param name="dilation">Dilations (1: none).</param>
        /// <param name="padBegin">Zero padding before the input; padding after it follows from the output size.</param>
        public WindowShape(int channels, int inputStride, Dims input, int filters, Dims output, Dims kernel, Dims stride, Dims dilation, PadSizes padBegin)
        {
            Channels = channels;
            InputStride = inputStride;
            Input = input;
            Filters = filters;
            Output = output;
            Kernel = kernel;
            Stride = stride;
            Dilation = dilation;
            PadBegin = padBegin.Value;
        }

        /// <summary>C.</summary>
        public int Channels { get; }

        /// <summary>Floats per input position.</summary>
        public int InputStride { get; }

        /// <summary>Input spatial sizes.</summary>
        public Dims Input { get; }

        /// <summary>K.</summary>
        public int Filters { get; }

        /// <summary>Output spatial sizes.</summary>
        public Dims Output { get; }

        /// <summary>Window sizes.</summary>
        public Dims Kernel { get; }

        /// <summary>Strides.</summary>
        public Dims Stride { get; }

        /// <summary>Dilations.</summary>
        public Dims Dilation { get; }

        /// <summary>Pads before the input.</summary>
        public Dims PadBegin { get; }

        /// <summary>Floats per output position: K padded to 8.</summary>
        internal int OutputStride => Simd.Pad8(Filters);

        internal int Taps => Kernel.Product;

        /// <summary>Whether <paramref name="other"/> has the same sizes (a kernel's tables for one fit the other).</summary>
        internal bool SameAs(in WindowShape other) =>
            Channels == other.Channels && InputStride == other.InputStride && Filters == other.Filters && Input.Equals(other.Input)
            && Output.Equals(other.Output) && Kernel.Equals(other.Kernel) && Stride.Equals(other.Stride) && Dilation.Equals(other.Dilation)
            && PadBegin.Equals(other.PadBegin);

        /// <summary>Whether this is a 1x1 window with stride 1 and no padding: each output position reads its own input position alone.</summary>
        internal bool IsPointwise => Kernel.Product == 1 && Stride.Equals(new Dims(1, 1, 1)) && PadBegin.Equals(new Dims(0, 0, 0)) && Input.Equals(Output);

        /// <summary>
        /// Whether this is a pointwise window over one row of positions: its tables (a tap at 0, the i-th position's
        /// input at i steps) are the first part of a longer such row's.
        /// </summary>
        internal bool IsRowOfPoints => IsPointwise && Input.D == 1 && Input.H == 1;

        /// <summary>
        /// Whether the tables of this shape (for one sample) hold those of <paramref name="other"/> as their first part:
        /// the same window over the same channels, and either a row of points as long or longer, or a map of as many D
        /// lines or more under a window of 1 along D (no stride, no padding along D: samples run as the lines of one map).
        /// </summary>
        internal bool Covers(in WindowShape other)
        {
            if (Channels != other.Channels || InputStride != other.InputStride || Filters != other.Filters || !Kernel.Equals(other.Kernel)
                || !Stride.Equals(other.Stride) || !Dilation.Equals(other.Dilation) || !PadBegin.Equals(other.PadBegin))
                return false;
            if (IsRowOfPoints && other.IsRowOfPoints) return Input.W >= other.Input.W;
            return Kernel.D == 1 && Stride.D == 1 && PadBegin.D == 0 && Input.D == Output.D && other.Input.D == other.Output.D
                && Input.H == other.Input.H && Input.W == other.Input.W && Output.H == other.Output.H && Output.W == other.Output.W
                && Input.D >= other.Input.D;
        }

        /// <summary>The extent the window reads of the zero-bordered input, per dimension.</summary>
        internal Dims Padded => new(
            Shapes.KernelLayout.PaddedExtent(Input.D, Output.D, Kernel.D, Stride.D, Dilation.D, PadBegin.D),
            Shapes.KernelLayout.PaddedExtent(Input.H, Output.H, Kernel.H, Stride.H, Dilation.H, PadBegin.H),
            Shapes.KernelLayout.PaddedExtent(Input.W, Output.W, Kernel.W, Stride.W, Dilation.W, PadBegin.W));

        /// <summary>Whether the window reaches outside the input (so the input is copied into a zero border first).</summary>
        internal bool NeedsPadding => !Padded.Equals(Input) || PadBegin.D + PadBegin.H + PadBegin.W > 0;

        /// <summary>Scratch floats a convolution of this shape needs (<see cref="Shapes.KernelLayout.ConvScratch"/>).</summary>
        internal long ConvScratch(bool winograd, bool copyAlways = false, int copyStride = 0, int samples = 1) =>
            Shapes.KernelLayout.ConvScratch(InputStride, Input.Size, Output.Size, Kernel.Size, Stride.Size, Dilation.Size, PadBegin.Size,
                winograd, Filters, copyAlways, copyStride, samples);

        internal void Check(ReadOnlySpan<float> x, Span<float> y, string kernel)
        {
            long inFloats = (long)Input.Product * InputStride, outFloats = (long)Output.Product * OutputStride;
            if (x.Length < inFloats || y.Length < outFloats)
                throw new ArgumentException($"{kernel}: the input buffer has {x.Length} floats (needs {inFloats}), the output {y.Length} (needs {outFloats}).");
        }
    }
}

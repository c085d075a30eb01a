using System;
using System.Collections.Generic;

namespace CnnGen.Shapes
{
    /// <summary>
    /// How the runtime kernels lay tensors out and what room they need, in one place for the generator (which plans the
    /// buffers of a network at compile time) and the runtime (whose kernels check the buffers they get).
    /// Feature maps are channels-last: [D, H, W, Cs] with the channels padded to a multiple of 8 (Cs, "the stride"), so
    /// that a Vector256 holds 8 channels; the network input may be compact (Cs = C) for a first convolution with few
    /// channels. Vectors are N floats, with room for N padded to 8.
    /// </summary>
    internal static class KernelLayout
    {
        /// <summary>Floats in a vector register of the kernels (Vector256).</summary>
        public const int Lanes = 8;

        /// <summary>The fewest input channels a convolution runs Winograd F(2x2, 3x3) with (see <see cref="UsesWinograd"/>).</summary>
        public const int WinogradChannels = 24;

        /// <summary>Winograd tiles transformed at a time, so the transformed data stays in L2.</summary>
        public const int WinogradTileBlock = 48;

        /// <summary>
        /// The fewest channels a depthwise convolution (groups = channels) runs its own kernel with, and the fewest for a
        /// kernel of 9 taps (see <see cref="RunsDepthwise"/>).
        /// </summary>
        public const int DepthwiseChannels = 8, DepthwiseChannels9 = 3;

        /// <summary>
        /// Whether a convolution whose groups are its <paramref name="channels"/> runs the depthwise kernel (a vector over
        /// the channels, row by row) or the direct convolution with each group's weights and zeros for the other channels.
        /// The direct kernel broadcasts one input value over a vector of filters and reuses it over a block of positions:
        /// with C channels it does C times the depthwise kernel's vector multiply-adds, but each costs a fraction (the
        /// depthwise kernel loads a tap's pointer, input and weight per multiply-add and sets up every row; with a
        /// multiplier it first copies the repeated channels). Measured on the random networks at batch 64 on one thread:
        /// 1-2 channels of any kernel and 3-4 channels of 3x3x3 kernels ran 1.1x-1.8x faster direct (R28 0.20 -> 0.13 us
        /// per image, R14 2.8 -> 2.2, R36 5.9 -> 3.2); 3-4 channels of a 3x3 kernel (9 taps, whose weights the depthwise
        /// kernel keeps in registers along rows of 10-11) ran 12-26% slower direct (R18, R27), so they stay depthwise.
        /// </summary>
        public static bool RunsDepthwise(int channels, int taps) => channels >= DepthwiseChannels || channels >= DepthwiseChannels9 && taps == 9;

        /// <summary>Channels padded to a multiple of 8.</summary>
        public static int Pad8(int n) => (n + 7) & ~7;

        /// <summary>Offsets and lengths in a workspace are multiples of 16 floats (64 bytes: a cache line).</summary>
        public static long Align(long floats) => (floats + 15) & ~15L;

        /// <summary>The floats a tensor of <paramref name="shape"/> takes in a workspace (<paramref name="stride"/> per position of a map).</summary>
        public static long Floats(IReadOnlyList<int> shape, int stride)
        {
            if (shape.Count == 1) return Pad8(shape[0]);
            return ShapeMath.Product(shape, 1) * stride;
        }

        /// <summary>The stride of a map with <paramref name="channels"/> channels (padded to 8).</summary>
        public static int Stride(int channels) => Pad8(channels);

        /// <summary>
        /// Whether a convolution runs Winograd F(2x2, 3x3): a 2D 3x3 kernel with stride 1 and no dilation, no groups,
        /// filters padded to a multiple of 16, 24 or more input channels and an output of 10 x 10 or more. With fewer
        /// channels the transforms cost more than the multiplies they save (16 channels into 16 filters: 15% slower than
        /// the direct row kernels on the 512-bit path), and on small maps the 2 x 2 tiles waste too many outputs
        /// (measured: docs/performance.md).
        /// </summary>
        public static bool UsesWinograd(int channels, int filters, int groups, IReadOnlyList<int> kernel, IReadOnlyList<int> strides,
            IReadOnlyList<int> dilations, IReadOnlyList<int> output) =>
            kernel.Count == 2 && kernel[0] == 3 && kernel[1] == 3 && strides[0] == 1 && strides[1] == 1 && dilations[0] == 1 && dilations[1] == 1
            && groups == 1 && channels >= WinogradChannels && Pad8(filters) % 16 == 0 && output[0] >= 10 && output[1] >= 10;

        /// <summary>
        /// Which activations the convolution and dense kernels apply to what they store (each panel's columns while they
        /// are in cache; ReLU and ReLU6 in the registers): every one the kernels have, those with an exponential too
        /// (vectorised from .NET 9, value by value before, as the activation step would be there).
        /// </summary>
        public static bool Fusable(LayerKind kind) =>
            kind is LayerKind.ReLU or LayerKind.ReLU6 or LayerKind.LeakyReLU or LayerKind.HardSigmoid or LayerKind.HardSwish
                or LayerKind.ELU or LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.SiLU;

        /// <summary>
        /// Which activations a kernel applies to a residual sum as it stores it: the piecewise-linear ones without a
        /// parameter (the sum's activation takes none, so a LeakyReLU or ELU after a sum runs as a step of its own, with
        /// its alpha; <c>Merge.Add</c> applies an exponential value by value, so those run as their own vectorised step too).
        /// </summary>
        public static bool FusableAfterSum(LayerKind kind) => kind is LayerKind.ReLU or LayerKind.ReLU6 or LayerKind.HardSigmoid or LayerKind.HardSwish;

        /// <summary>
        /// The extent the kernel reads along one dimension of the zero-bordered input: the input after its begin pad, or
        /// as far as the last window reaches, whichever is larger.
        /// </summary>
        public static int PaddedExtent(int input, int output, int kernel, int stride, int dilation, int padBegin) =>
            Math.Max(padBegin + input, (output - 1) * stride + dilation * (kernel - 1) + 1);

        /// <summary>
        /// Scratch floats a convolution needs: its tap and output position offsets, the input copied into a zero border (when it has padding,
        /// or for Winograd, or to repeat the channels of a depthwise convolution with a multiplier), and Winograd's tiles;
        /// for <paramref name="samples"/> samples run as one call, the offsets and copies of all of them.
        /// </summary>
        public static long ConvScratch(int inStride, Size3 input, Size3 output, Size3 kernel, Size3 strides, Size3 dilations, Size3 padBegin,
            bool winograd, int filters, bool copyAlways = false, int copyStride = 0, int samples = 1)
        {
            long tables = Align(kernel.Product) + Align((long)samples * output.Product + 16);
            long d = PaddedExtent(input.D, output.D, kernel.D, strides.D, dilations.D, padBegin.D);
            long h = PaddedExtent(input.H, output.H, kernel.H, strides.H, dilations.H, padBegin.H);
            long w = PaddedExtent(input.W, output.W, kernel.W, strides.W, dilations.W, padBegin.W);
            bool pad = copyAlways || winograd || d > input.D || h > input.H || w > input.W || padBegin.D + padBegin.H + padBegin.W > 0;
            if (winograd)
            {
                h = Math.Max(h, 2 * ((output.H + 1) / 2) + 2);
                w = Math.Max(w, 2 * ((output.W + 1) / 2) + 2);
            }
            long copy = pad ? Align(samples * d * h * w * (copyStride > 0 ? copyStride : inStride)) : 0;
            long tiles = winograd ? 16L * (WinogradTileBlock + 12) * (inStride + Pad8(filters)) + 64 : 0;
            return tables + copy + tiles;
        }
    }

    /// <summary>Sizes along D, H, W (1 where a layer has fewer dimensions; 0 for a pad).</summary>
    internal readonly struct Size3
    {
        public Size3(int d, int h, int w)
        {
            D = d;
            H = h;
            W = w;
        }

        public int D { get; }
        public int H { get; }
        public int W { get; }

        public long Product => (long)D * H * W;

        /// <summary>The values of a 1D, 2D or 3D layer, the missing leading dimensions <paramref name="fill"/>.</summary>
        public static Size3 Of(IReadOnlyList<int> values, int fill) => values.Count switch
        {
            1 => new Size3(fill, fill, values[0]),
            2 => new Size3(fill, values[0], values[1]),
            _ => new Size3(values[0], values[1], values[2]),
        };
    }
}

using System;

namespace CnnGen
{
    /// <summary>
    /// Marks a partial class or struct as a convolutional network and gives its input shape, channels first:
    /// (C, L) for 1D, (C, H, W) for 2D, (C, D, H, W) for 3D. The layers follow as attributes, in order.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    public sealed class ConvNetAttribute : Attribute
    {
        /// <summary>Declares a network with the given input shape, channels first.</summary>
        public ConvNetAttribute(params int[] inputShape) => InputShape = inputShape;

        /// <summary>The input shape, channels first.</summary>
        public int[] InputShape { get; }

        /// <summary>
        /// A trained network to ship inside the assembly: an .onnx model or a .safetensors state_dict, the path relative to
        /// the project directory, written as a string literal. The build checks it against the declaration (a mismatch is
        /// a build error on this argument), embeds it, and the generated class gets <c>static T Default</c>: the network
        /// with these weights, created on first use and shared, with no file needed at run time.
        /// </summary>
        public string? Weights { get; set; }
    }

    /// <summary>What every layer attribute has: a name and the shape it expects after it.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
    public abstract class LayerAttribute : Attribute
    {
        /// <summary>
        /// The layer's name in diagnostics, summaries and weight files. By default layers are named like the modules
        /// of a PyTorch Sequential: a prefix and a count per prefix (conv1, conv2, pool1, fc1, bn1, relu1, ...).
        /// </summary>
        public string? Name { get; set; }

        /// <summary>The shape you expect after this layer, channels first; a different inferred shape is a build error.</summary>
        public int[]? Expect { get; set; }
    }

    /// <summary>A layer that slides a window: kernel, stride and padding per spatial dimension.</summary>
    public abstract class WindowLayerAttribute : LayerAttribute
    {
        private protected WindowLayerAttribute(int[] kernel) => Kernel = kernel;

        /// <summary>The kernel (window) size: one value for every spatial dimension, or one per dimension.</summary>
        public int[] Kernel { get; }

        /// <summary>The stride along every spatial dimension.</summary>
        public int Stride { get; set; }

        /// <summary>The stride, one value per spatial dimension.</summary>
        public int[]? Strides { get; set; }

        /// <summary>The padding mode (default <see cref="CnnGen.Padding.Valid"/>).</summary>
        public Padding Padding { get; set; }

        /// <summary>Explicit padding in ONNX order: all begins, then all ends (2D: top, left, bottom, right).</summary>
        public int[]? Pads { get; set; }
    }

    /// <summary>What convolutions share: dilation and a bias per filter.</summary>
    public abstract class ConvolutionAttribute : WindowLayerAttribute
    {
        private protected ConvolutionAttribute(int[] kernel) : base(kernel) { }

        /// <summary>The dilation along every spatial dimension (default 1): the kernel spans D * (F - 1) + 1 cells.</summary>
        public int Dilation { get; set; }

        /// <summary>The dilation, one value per spatial dimension.</summary>
        public int[]? Dilations { get; set; }

        /// <summary>Whether the layer adds a bias per filter (default true).</summary>
        public bool Bias { get; set; } = true;
    }

    /// <summary>A convolution with K filters: output [K, O...], (F^d * C/G + 1) * K parameters.</summary>
    public sealed class ConvAttribute : ConvolutionAttribute
    {
        /// <summary>A convolution with <paramref name="filters"/> filters of size <paramref name="kernel"/>; stride 1 unless given.</summary>
        public ConvAttribute(int filters, params int[] kernel) : base(kernel) => Filters = filters;

        /// <summary>The number of filters K, the output channels.</summary>
        public int Filters { get; }

        /// <summary>
        /// Groups G (default 1): the input channels and the filters are split into G groups, each filter sees the C/G
        /// channels of its group (weights [K, C/G, F...]); C and K must be divisible by G.
        /// </summary>
        public int Groups { get; set; } = 1;
    }

    /// <summary>
    /// A depthwise convolution: one filter per input channel (Groups = C), or <see cref="Multiplier"/> per channel:
    /// output [M * C, O...], weights [M * C, 1, F...], (F^d + 1) * M * C parameters.
    /// </summary>
    public sealed class DepthwiseConvAttribute : ConvolutionAttribute
    {
        /// <summary>A depthwise convolution with the given kernel; stride 1 unless given.</summary>
        public DepthwiseConvAttribute(params int[] kernel) : base(kernel) { }

        /// <summary>Filters per input channel M (default 1): the layer gives M * C channels.</summary>
        public int Multiplier { get; set; } = 1;
    }

    /// <summary>Max pooling: each channel's window gives its largest value; padded cells never win.</summary>
    public sealed class MaxPoolAttribute : WindowLayerAttribute
    {
        /// <summary>Max pooling with the given window; the stride defaults to the window.</summary>
        public MaxPoolAttribute(params int[] kernel) : base(kernel) { }
    }

    /// <summary>Average pooling: each channel's window gives its mean; padded cells are excluded unless <see cref="CountIncludePad"/>.</summary>
    public sealed class AvgPoolAttribute : WindowLayerAttribute
    {
        /// <summary>Average pooling with the given window; the stride defaults to the window.</summary>
        public AvgPoolAttribute(params int[] kernel) : base(kernel) { }

        /// <summary>Whether padded cells count in the divisor (default false, as ONNX count_include_pad = 0).</summary>
        public bool CountIncludePad { get; set; }
    }

    /// <summary>Averages each channel to one value: the output is the vector [C].</summary>
    public sealed class GlobalAvgPoolAttribute : LayerAttribute { }

    /// <summary>Takes each channel's maximum: the output is the vector [C].</summary>
    public sealed class GlobalMaxPoolAttribute : LayerAttribute { }

    /// <summary>Flattens the tensor to a vector in C order (on a vector it changes nothing).</summary>
    public sealed class FlattenAttribute : LayerAttribute { }

    /// <summary>A fully connected layer on a vector: (N_in + 1) * N_out parameters.</summary>
    public sealed class DenseAttribute : LayerAttribute
    {
        /// <summary>A fully connected layer with <paramref name="units"/> outputs.</summary>
        public DenseAttribute(int units) => Units = units;

        /// <summary>The number of outputs N_out.</summary>
        public int Units { get; }

        /// <summary>Whether the layer adds a bias per output (default true).</summary>
        public bool Bias { get; set; } = true;
    }

    /// <summary>Inference-time batch normalisation per channel: scale * (x - mean) / sqrt(var + Epsilon) + bias.</summary>
    public sealed class BatchNormAttribute : LayerAttribute
    {
        /// <summary>Added to the variance for numerical stability (default 1e-5, as ONNX and PyTorch).</summary>
        public float Epsilon { get; set; } = 1e-5f;
    }

    /// <summary>max(0, z).</summary>
    public sealed class ReLUAttribute : LayerAttribute { }

    /// <summary>max(alpha * z, z) for a small alpha.</summary>
    public sealed class LeakyReLUAttribute : LayerAttribute
    {
        /// <summary>A leaky ReLU with the given slope for negative inputs (default 0.01, as ONNX).</summary>
        public LeakyReLUAttribute(float alpha = 0.01f) => Alpha = alpha;

        /// <summary>The slope for negative inputs.</summary>
        public float Alpha { get; }
    }

    /// <summary>z for z &gt; 0, alpha * (e^z - 1) otherwise.</summary>
    public sealed class ELUAttribute : LayerAttribute
    {
        /// <summary>An ELU with the given alpha (default 1, as ONNX).</summary>
        public ELUAttribute(float alpha = 1f) => Alpha = alpha;

        /// <summary>The value approached for large negative inputs is -alpha.</summary>
        public float Alpha { get; }
    }

    /// <summary>1 / (1 + e^-z).</summary>
    public sealed class SigmoidAttribute : LayerAttribute { }

    /// <summary>tanh(z).</summary>
    public sealed class TanhAttribute : LayerAttribute { }

    /// <summary>Turns a vector of scores into probabilities: e^(x_i - max) / sum_j e^(x_j - max).</summary>
    public sealed class SoftmaxAttribute : LayerAttribute { }

    /// <summary>min(max(0, z), 6): MobileNet's activation (ONNX exports it as Clip(0, 6)).</summary>
    public sealed class ReLU6Attribute : LayerAttribute { }

    /// <summary>max(0, min(1, z / 6 + 1/2)): PyTorch's hard sigmoid (ONNX HardSigmoid with alpha = 1/6, beta = 1/2).</summary>
    public sealed class HardSigmoidAttribute : LayerAttribute { }

    /// <summary>z * hard_sigmoid(z): MobileNetV3's activation.</summary>
    public sealed class HardSwishAttribute : LayerAttribute { }

    /// <summary>z * sigmoid(z), also called swish: EfficientNet's activation.</summary>
    public sealed class SiLUAttribute : LayerAttribute { }

    /// <summary>The identity at inference; kept so a declaration mirrors the trained model and its layer names.</summary>
    public sealed class DropoutAttribute : LayerAttribute
    {
        /// <summary>Dropout with the rate it was trained with (default 0.5; it changes nothing at inference).</summary>
        public DropoutAttribute(float rate = 0.5f) => Rate = rate;

        /// <summary>The fraction of values dropped while training.</summary>
        public float Rate { get; }
    }

    /// <summary>Nearest-neighbour upsampling by an integer factor per spatial dimension: [C, s * I...].</summary>
    public sealed class UpsampleAttribute : LayerAttribute
    {
        /// <summary>Upsampling by <paramref name="scale"/>: one factor for every spatial dimension, or one per dimension.</summary>
        public UpsampleAttribute(params int[] scale) => Scale = scale;

        /// <summary>The factors.</summary>
        public int[] Scale { get; }
    }

    /// <summary>
    /// Zero padding as a layer of its own (Keras ZeroPadding2D, PyTorch ZeroPad2d, ONNX Pad with zeros), and optionally
    /// zero channels appended after the existing ones (the original ResNet's "option A" shortcut).
    /// </summary>
    public sealed class ZeroPadAttribute : LayerAttribute
    {
        /// <summary>Pads over the spatial dimensions: one value for every side, or all begins then all ends (as Pads).</summary>
        public ZeroPadAttribute(params int[] pads) => Pads = pads;

        /// <summary>The pads.</summary>
        public int[] Pads { get; }

        /// <summary>Zero channels appended after the existing ones (default 0).</summary>
        public int Channels { get; set; }
    }

    /// <summary>Marks a partial class or struct as a block: a reusable sequence of layers with no input shape of its own.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    public sealed class BlockAttribute : Attribute { }

    /// <summary>The built-in block that leaves x unchanged: a Concat branch that is x itself, or an explicit identity shortcut.</summary>
    public static class Identity { }

    /// <summary>Runs the layers of a <see cref="BlockAttribute">[Block]</see> type here, inline.</summary>
    public sealed class SequentialAttribute : LayerAttribute
    {
        /// <summary>Runs <paramref name="block"/>'s layers.</summary>
        public SequentialAttribute(Type block) => Block = block;

        /// <summary>The block type.</summary>
        public Type Block { get; }

        /// <summary>How many times the block runs, one after the other (default 1); the uses are named Name.0, Name.1, ...</summary>
        public int Repeat { get; set; } = 1;
    }

    /// <summary>y = block(x) + shortcut(x): a residual connection (ResNet, MobileNetV2's inverted residuals).</summary>
    public sealed class ResidualAttribute : LayerAttribute
    {
        /// <summary>A residual around <paramref name="block"/>.</summary>
        public ResidualAttribute(Type block) => Block = block;

        /// <summary>The block type.</summary>
        public Type Block { get; }

        /// <summary>The shortcut's block type (default: the identity, x itself), e.g. a 1x1 convolution that projects x.</summary>
        public Type? Shortcut { get; set; }

        /// <summary>Whether ReLU is applied to the sum, as ResNet's blocks do (default false).</summary>
        public bool ReLU { get; set; }

        /// <summary>How many times the residual runs, one after the other (default 1); the uses are named Name.0, Name.1, ...</summary>
        public int Repeat { get; set; } = 1;
    }

    /// <summary>Every branch reads x; their outputs are joined along the channels (Inception, DenseNet, U-Net).</summary>
    public sealed class ConcatAttribute : LayerAttribute
    {
        /// <summary>A concatenation of <paramref name="branches"/>, left to right; typeof(Identity) is x itself.</summary>
        public ConcatAttribute(params Type[] branches) => Branches = branches;

        /// <summary>The branch block types.</summary>
        public Type[] Branches { get; }
    }

    /// <summary>y = x * gate(x): the gate gives one factor per channel [C] (squeeze-and-excitation) or x's own shape.</summary>
    public sealed class MultiplyAttribute : LayerAttribute
    {
        /// <summary>x scaled by what <paramref name="gate"/> computes from it.</summary>
        public MultiplyAttribute(Type gate) => Gate = gate;

        /// <summary>The gate's block type.</summary>
        public Type Gate { get; }
    }
}

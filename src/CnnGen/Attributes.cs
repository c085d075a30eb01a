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

    /// <summary>A convolution with K filters: output [K, O...], (F^d * C + 1) * K parameters.</summary>
    public sealed class ConvAttribute : WindowLayerAttribute
    {
        /// <summary>A convolution with <paramref name="filters"/> filters of size <paramref name="kernel"/>; stride 1 unless given.</summary>
        public ConvAttribute(int filters, params int[] kernel) : base(kernel) => Filters = filters;

        /// <summary>The number of filters K, the output channels.</summary>
        public int Filters { get; }

        /// <summary>The dilation along every spatial dimension (default 1): the kernel spans D * (F - 1) + 1 cells.</summary>
        public int Dilation { get; set; }

        /// <summary>The dilation, one value per spatial dimension.</summary>
        public int[]? Dilations { get; set; }

        /// <summary>Whether the layer adds a bias per filter (default true).</summary>
        public bool Bias { get; set; } = true;
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
}

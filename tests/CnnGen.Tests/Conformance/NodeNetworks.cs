using CnnGen;

// One declaration per test of libonnx-testdata's node/ folder that CnnGen's layers express. ONNX pooling's default
// stride is 1 (CnnGen's is the window), hence the explicit Stride = 1. SAME_LOWER is written as explicit Pads.
namespace CnnGen.Tests.Conformance.Node
{
    [OnnxTest("node/test_averagepool_1d_default")]
    [ConvNet(3, 32), AvgPool(2, Stride = 1)]
    public partial class AvgPool1dDefault { }

    [OnnxTest("node/test_averagepool_2d_default")]
    [ConvNet(3, 32, 32), AvgPool(2, Stride = 1)]
    public partial class AvgPool2dDefault { }

    [OnnxTest("node/test_averagepool_2d_pads")]
    [ConvNet(3, 28, 28), AvgPool(3, Stride = 1, Pads = new[] { 2, 2, 2, 2 })]
    public partial class AvgPool2dPads { }

    [OnnxTest("node/test_averagepool_2d_pads_count_include_pad")]
    [ConvNet(3, 28, 28), AvgPool(3, Stride = 1, Pads = new[] { 2, 2, 2, 2 }, CountIncludePad = true)]
    public partial class AvgPool2dPadsCountIncludePad { }

    [OnnxTest("node/test_averagepool_2d_precomputed_pads")]
    [ConvNet(1, 5, 5), AvgPool(5, Stride = 1, Pads = new[] { 2, 2, 2, 2 })]
    public partial class AvgPool2dPrecomputedPads { }

    [OnnxTest("node/test_averagepool_2d_precomputed_pads_count_include_pad")]
    [ConvNet(1, 5, 5), AvgPool(5, Stride = 1, Pads = new[] { 2, 2, 2, 2 }, CountIncludePad = true)]
    public partial class AvgPool2dPrecomputedPadsCountIncludePad { }

    [OnnxTest("node/test_averagepool_2d_precomputed_same_upper")]
    [ConvNet(1, 5, 5), AvgPool(3, Stride = 2, Padding = Padding.Same)]
    public partial class AvgPool2dPrecomputedSameUpper { }

    [OnnxTest("node/test_averagepool_2d_precomputed_strides")]
#pragma warning disable CNN0011 // 5 -> 2 with 2x2/2: the test drops the last row and column
    [ConvNet(1, 5, 5), AvgPool(2, Stride = 2)]
#pragma warning restore CNN0011
    public partial class AvgPool2dPrecomputedStrides { }

    [OnnxTest("node/test_averagepool_2d_same_lower")]
    [ConvNet(3, 32, 32), AvgPool(2, Stride = 1, Pads = new[] { 1, 1, 0, 0 })]
    public partial class AvgPool2dSameLower { }

    [OnnxTest("node/test_averagepool_2d_same_upper")]
    [ConvNet(3, 32, 32), AvgPool(2, Stride = 1, Padding = Padding.Same)]
    public partial class AvgPool2dSameUpper { }

    [OnnxTest("node/test_averagepool_2d_strides")]
#pragma warning disable CNN0011
    [ConvNet(3, 32, 32), AvgPool(5, Stride = 3)]
#pragma warning restore CNN0011
    public partial class AvgPool2dStrides { }

    [OnnxTest("node/test_averagepool_3d_default")]
    [ConvNet(3, 32, 32, 32), AvgPool(2, Stride = 1)]
    public partial class AvgPool3dDefault { }

    [OnnxTest("node/test_basic_conv_with_padding")]
    [ConvNet(1, 5, 5), Conv(1, 3, Pads = new[] { 1, 1, 1, 1 }, Bias = false)]
    public partial class BasicConvWithPadding { }

    [OnnxTest("node/test_basic_conv_without_padding")]
    [ConvNet(1, 5, 5), Conv(1, 3, Bias = false)]
    public partial class BasicConvWithoutPadding { }

    [OnnxTest("node/test_batchnorm_epsilon")]
    [ConvNet(3, 4, 5), BatchNorm(Epsilon = 0.01f)]
    public partial class BatchNormEpsilon { }

    [OnnxTest("node/test_batchnorm_example")]
    [ConvNet(3, 4, 5), BatchNorm]
    public partial class BatchNormExample { }

    [OnnxTest("node/test_conv_with_autopad_same")]
    [ConvNet(1, 5, 5), Conv(1, 3, Stride = 2, Padding = Padding.Same, Bias = false)]
    public partial class ConvWithAutopadSame { }

    [OnnxTest("node/test_conv_with_strides_and_asymmetric_padding")]
    [ConvNet(1, 7, 5), Conv(1, 3, Stride = 2, Pads = new[] { 1, 0, 1, 0 }, Bias = false)]
    public partial class ConvWithStridesAndAsymmetricPadding { }

    [OnnxTest("node/test_conv_with_strides_no_padding")]
    [ConvNet(1, 7, 5), Conv(1, 3, Stride = 2, Bias = false)]
    public partial class ConvWithStridesNoPadding { }

    [OnnxTest("node/test_conv_with_strides_padding")]
    [ConvNet(1, 7, 5), Conv(1, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false)]
    public partial class ConvWithStridesPadding { }

    // Dropout at inference is the identity; the ratio (an attribute before opset 12, an input r after) does not matter.
    [OnnxTest("node/test_dropout_default")]
    [ConvNet(3, 4, 5), Dropout]
    public partial class DropoutDefault { }

    [OnnxTest("node/test_dropout_default_old", CheckInput = false)]
    [ConvNet(1, 3), Dropout]
    public partial class DropoutDefaultOld { }

    [OnnxTest("node/test_dropout_default_ratio")]
    [ConvNet(3, 4, 5), Dropout(0.1f)]
    public partial class DropoutDefaultRatio { }

    [OnnxTest("node/test_dropout_random_old")]
    [ConvNet(3, 4, 5), Dropout(0.2f)]
    public partial class DropoutRandomOld { }

    [OnnxTest("node/test_elu")]
    [ConvNet(3, 4, 5), ELU(2f)]
    public partial class EluAlpha2 { }

    [OnnxTest("node/test_elu_default")]
    [ConvNet(3, 4, 5), ELU]
    public partial class EluDefault { }

    [OnnxTest("node/test_elu_example", CheckInput = false)]
    [ConvNet(1, 3), ELU(2f)]
    public partial class EluExample { }

    [OnnxTest("node/test_flatten_axis1"), OnnxTest("node/test_flatten_negative_axis3")]
    [ConvNet(3, 4, 5), Flatten]
    public partial class FlattenAxis1 { }

    [OnnxTest("node/test_flatten_default_axis")]
    [ConvNet(4, 3, 2), Flatten]
    public partial class FlattenDefaultAxis { }

    [OnnxTest("node/test_gemm_alpha", CheckInput = false)]
    [ConvNet(1, 5), Flatten, Dense(4)]
    public partial class GemmAlpha { }

    [OnnxTest("node/test_gemm_beta", CheckInput = false), OnnxTest("node/test_gemm_default_vector_bias", CheckInput = false)]
    [ConvNet(1, 7), Flatten, Dense(4)]
    public partial class Gemm7To4 { }

    [OnnxTest("node/test_gemm_default_no_bias", CheckInput = false)]
    [ConvNet(1, 10), Flatten, Dense(3, Bias = false)]
    public partial class GemmDefaultNoBias { }

    [OnnxTest("node/test_gemm_default_scalar_bias", CheckInput = false)]
    [ConvNet(1, 3), Flatten, Dense(4)]
    public partial class GemmDefaultScalarBias { }

    [OnnxTest("node/test_gemm_default_single_elem_vector_bias", CheckInput = false)]
    [ConvNet(1, 7), Flatten, Dense(3)]
    public partial class GemmDefaultSingleElemVectorBias { }

    [OnnxTest("node/test_gemm_default_zero_bias", CheckInput = false)]
    [ConvNet(1, 5), Flatten, Dense(4)]
    public partial class GemmDefaultZeroBias { }

    [OnnxTest("node/test_gemm_transposeB", CheckInput = false)]
    [ConvNet(1, 6), Flatten, Dense(4)]
    public partial class GemmTransposeB { }

    [OnnxTest("node/test_globalaveragepool")]
    [ConvNet(3, 5, 5), GlobalAvgPool]
    public partial class GlobalAveragePoolNet { }

    [OnnxTest("node/test_globalaveragepool_precomputed")]
    [ConvNet(1, 3, 3), GlobalAvgPool]
    public partial class GlobalAveragePoolPrecomputed { }

    [OnnxTest("node/test_globalmaxpool")]
    [ConvNet(3, 5, 5), GlobalMaxPool]
    public partial class GlobalMaxPoolNet { }

    [OnnxTest("node/test_globalmaxpool_precomputed")]
    [ConvNet(1, 3, 3), GlobalMaxPool]
    public partial class GlobalMaxPoolPrecomputed { }

    // HardSwish (opset 14), and its expansion HardSigmoid(alpha = 1/6, beta = 1/2) then Mul(x, h), which is also HardSwish.
    // The test's inputs lie in [-2.6, 2.3]: neither clamp (at -3 and 3) is reached.
    [OnnxTest("node/test_hardswish"), OnnxTest("node/test_hardswish_expanded")]
    [ConvNet(3, 4, 5), HardSwish]
    public partial class HardSwishNet { }

    // The expansion declared as what it is: x times a gate of x's shape.
    [OnnxTest("node/test_hardswish_expanded")]
    [ConvNet(3, 4, 5), Multiply(typeof(HardSigmoidGate))]
    public partial class HardSwishExpanded { }

    [Block, HardSigmoid]
    public partial class HardSigmoidGate { }

    [OnnxTest("node/test_leakyrelu")]
    [ConvNet(3, 4, 5), LeakyReLU(0.1f)]
    public partial class LeakyReluAlpha { }

    [OnnxTest("node/test_leakyrelu_default")]
    [ConvNet(3, 4, 5), LeakyReLU]
    public partial class LeakyReluDefault { }

    [OnnxTest("node/test_leakyrelu_example", CheckInput = false)]
    [ConvNet(1, 3), LeakyReLU(0.1f)]
    public partial class LeakyReluExample { }

    [OnnxTest("node/test_maxpool_1d_default")]
    [ConvNet(3, 32), MaxPool(2, Stride = 1)]
    public partial class MaxPool1dDefault { }

    [OnnxTest("node/test_maxpool_2d_default")]
    [ConvNet(3, 32, 32), MaxPool(2, Stride = 1)]
    public partial class MaxPool2dDefault { }

    [OnnxTest("node/test_maxpool_2d_pads")]
    [ConvNet(3, 28, 28), MaxPool(3, Stride = 1, Pads = new[] { 2, 2, 2, 2 })]
    public partial class MaxPool2dPads { }

    [OnnxTest("node/test_maxpool_2d_precomputed_pads")]
    [ConvNet(1, 5, 5), MaxPool(5, Stride = 1, Pads = new[] { 2, 2, 2, 2 })]
    public partial class MaxPool2dPrecomputedPads { }

    [OnnxTest("node/test_maxpool_2d_precomputed_same_upper")]
    [ConvNet(1, 5, 5), MaxPool(3, Stride = 2, Padding = Padding.Same)]
    public partial class MaxPool2dPrecomputedSameUpper { }

    [OnnxTest("node/test_maxpool_2d_precomputed_strides")]
#pragma warning disable CNN0011
    [ConvNet(1, 5, 5), MaxPool(2, Stride = 2)]
#pragma warning restore CNN0011
    public partial class MaxPool2dPrecomputedStrides { }

    [OnnxTest("node/test_maxpool_2d_same_lower")]
    [ConvNet(3, 32, 32), MaxPool(2, Stride = 1, Pads = new[] { 1, 1, 0, 0 })]
    public partial class MaxPool2dSameLower { }

    [OnnxTest("node/test_maxpool_2d_same_upper")]
    [ConvNet(3, 32, 32), MaxPool(2, Stride = 1, Padding = Padding.Same)]
    public partial class MaxPool2dSameUpper { }

    [OnnxTest("node/test_maxpool_2d_strides")]
#pragma warning disable CNN0011
    [ConvNet(3, 32, 32), MaxPool(5, Stride = 3)]
#pragma warning restore CNN0011
    public partial class MaxPool2dStrides { }

    [OnnxTest("node/test_maxpool_3d_default")]
    [ConvNet(3, 32, 32, 32), MaxPool(2, Stride = 1)]
    public partial class MaxPool3dDefault { }

    [OnnxTest("node/test_relu")]
    [ConvNet(3, 4, 5), ReLU]
    public partial class ReluNet { }

    // Scales [1, 1, 2, 3] from input_1.pb. Resize's default half_pixel with round_prefer_floor, and Upsample's
    // asymmetric with floor, both read input position floor(p / s) for an integer scale s.
    [OnnxTest("node/test_resize_upsample_scales_nearest"), OnnxTest("node/test_upsample_nearest")]
    [ConvNet(1, 2, 2), Upsample(2, 3)]
    public partial class UpsampleNearest { }

    [OnnxTest("node/test_sigmoid")]
    [ConvNet(3, 4, 5), Sigmoid]
    public partial class SigmoidNet { }

    [OnnxTest("node/test_sigmoid_example", CheckInput = false)]
    [ConvNet(1, 3), Sigmoid]
    public partial class SigmoidExample { }

    [OnnxTest("node/test_tanh")]
    [ConvNet(3, 4, 5), Tanh]
    public partial class TanhNet { }

    [OnnxTest("node/test_tanh_example", CheckInput = false)]
    [ConvNet(1, 3), Tanh]
    public partial class TanhExample { }

    [OnnxTest("node/test_softmax_example", CheckInput = false)]
    [ConvNet(1, 3), Flatten, Softmax]
    public partial class SoftmaxExample { }

    [OnnxTest("node/test_softmax_large_number", CheckInput = false)]
    [ConvNet(1, 4), Flatten, Softmax]
    public partial class SoftmaxLargeNumber { }

    // [3, 4, 5] normalised along its last axis: 12 vectors of 5.
    [OnnxTest("node/test_softmax_default_axis", CheckInput = false), OnnxTest("node/test_softmax_negative_axis", CheckInput = false), OnnxTest("node/test_softmax_axis_2", CheckInput = false)]
    [ConvNet(1, 5), Flatten, Softmax]
    public partial class SoftmaxLastAxis { }
}

using CnnGen;

// One declaration per test of libonnx-testdata's pytorch-converted/ folder that CnnGen's layers express. These models
// hold their weights as initializers, so most load through the generated Load(model.onnx).
namespace CnnGen.Tests.Conformance.Pytorch
{
    [OnnxTest("pytorch-converted/test_AvgPool2d"), OnnxTest("pytorch-converted/test_AvgPool2d_stride")]
    [ConvNet(3, 6, 6), AvgPool(2)]
    public partial class AvgPool2d { }

    [OnnxTest("pytorch-converted/test_AvgPool3d")]
    [ConvNet(3, 4, 4, 4), AvgPool(2)]
    public partial class AvgPool3d { }

    [OnnxTest("pytorch-converted/test_AvgPool3d_stride")]
#pragma warning disable CNN0011
    [ConvNet(3, 5, 5, 5), AvgPool(2)]
#pragma warning restore CNN0011
    public partial class AvgPool3dStride { }

    [OnnxTest("pytorch-converted/test_AvgPool3d_stride1_pad0_gpu_input")]
    [ConvNet(3, 4, 4, 4), AvgPool(3, Stride = 1)]
    public partial class AvgPool3dStride1 { }

    [OnnxTest("pytorch-converted/test_BatchNorm1d_3d_input_eval")]
    [ConvNet(5, 3), BatchNorm]
    public partial class BatchNorm1d { }

    [OnnxTest("pytorch-converted/test_BatchNorm2d_eval")]
    [ConvNet(3, 6, 6), BatchNorm]
    public partial class BatchNorm2d { }

    [OnnxTest("pytorch-converted/test_BatchNorm2d_momentum_eval")]
    [ConvNet(3, 6, 6), BatchNorm(Epsilon = 1e-3f)]
    public partial class BatchNorm2dMomentum { }

    [OnnxTest("pytorch-converted/test_BatchNorm3d_eval")]
    [ConvNet(3, 4, 4, 4), BatchNorm]
    public partial class BatchNorm3d { }

    [OnnxTest("pytorch-converted/test_BatchNorm3d_momentum_eval")]
    [ConvNet(3, 4, 4, 4), BatchNorm(Epsilon = 1e-3f)]
    public partial class BatchNorm3dMomentum { }

    [OnnxTest("pytorch-converted/test_Conv1d")]
    [ConvNet(4, 10), Conv(5, 3)]
    public partial class Conv1d { }

    [OnnxTest("pytorch-converted/test_Conv1d_dilated")]
    [ConvNet(4, 10), Conv(5, 3, Dilation = 2)]
    public partial class Conv1dDilated { }

    [OnnxTest("pytorch-converted/test_Conv1d_groups")]
    [ConvNet(4, 6), Conv(6, 3, Groups = 2)]
    public partial class Conv1dGroups { }

    [OnnxTest("pytorch-converted/test_Conv1d_pad1")]
    [ConvNet(4, 10), Conv(5, 3, Pads = new[] { 1, 1 })]
    public partial class Conv1dPad1 { }

    [OnnxTest("pytorch-converted/test_Conv1d_pad1size1")]
    [ConvNet(4, 1), Conv(4, 3, Pads = new[] { 1, 1 })]
    public partial class Conv1dPad1Size1 { }

    [OnnxTest("pytorch-converted/test_Conv1d_pad2")]
    [ConvNet(4, 10), Conv(5, 5, Pads = new[] { 2, 2 })]
    public partial class Conv1dPad2 { }

    [OnnxTest("pytorch-converted/test_Conv1d_pad2size1")]
    [ConvNet(4, 1), Conv(4, 5, Pads = new[] { 2, 2 })]
    public partial class Conv1dPad2Size1 { }

    [OnnxTest("pytorch-converted/test_Conv1d_stride")]
#pragma warning disable CNN0011 // PyTorch's test floors the division: the case is that very floor
    [ConvNet(4, 10), Conv(5, 3, Stride = 2)]
#pragma warning restore CNN0011
    public partial class Conv1dStride { }

    [OnnxTest("pytorch-converted/test_Conv2d")]
    [ConvNet(3, 7, 5), Conv(4, 3, 2)]
    public partial class Conv2d { }

    // Depthwise: one filter per channel (group = C). The same weights load into a grouped Conv with Groups = C.
    [OnnxTest("pytorch-converted/test_Conv2d_depthwise")]
    [ConvNet(4, 6, 6), DepthwiseConv(3)]
    public partial class Conv2dDepthwise { }

    [OnnxTest("pytorch-converted/test_Conv2d_depthwise")]
    [ConvNet(4, 6, 6), Conv(4, 3, Groups = 4)]
    public partial class Conv2dDepthwiseAsGroups { }

    [OnnxTest("pytorch-converted/test_Conv2d_depthwise_padded")]
    [ConvNet(4, 6, 6), DepthwiseConv(3, Pads = new[] { 1, 1, 1, 1 })]
    public partial class Conv2dDepthwisePadded { }

    [OnnxTest("pytorch-converted/test_Conv2d_depthwise_strided")]
#pragma warning disable CNN0011 // 6 -> 2 with 3x3/2: the last row and column are never read, as in the test
    [ConvNet(4, 6, 6), DepthwiseConv(3, Stride = 2)]
#pragma warning restore CNN0011
    public partial class Conv2dDepthwiseStrided { }

    // Output channel c * M + m reads input channel c, as ONNX's group = C with M * C filters.
    [OnnxTest("pytorch-converted/test_Conv2d_depthwise_with_multiplier")]
    [ConvNet(4, 6, 6), DepthwiseConv(3, Multiplier = 2)]
    public partial class Conv2dDepthwiseWithMultiplier { }

    [OnnxTest("pytorch-converted/test_Conv2d_depthwise_with_multiplier")]
    [ConvNet(4, 6, 6), Conv(8, 3, Groups = 4)]
    public partial class Conv2dDepthwiseWithMultiplierAsGroups { }

    [OnnxTest("pytorch-converted/test_Conv2d_dilated")]
    [ConvNet(3, 8, 8), Conv(2, 3, Stride = 2, Dilation = 2, Pads = new[] { 1, 1, 1, 1 })]
    public partial class Conv2dDilated { }

    [OnnxTest("pytorch-converted/test_Conv2d_groups"), OnnxTest("pytorch-converted/test_Conv2d_groups_thnn")]
    [ConvNet(4, 6, 5), Conv(6, 3, 2, Groups = 2)]
    public partial class Conv2dGroups { }

    [OnnxTest("pytorch-converted/test_Conv2d_no_bias")]
    [ConvNet(3, 6, 5), Conv(4, 3, 2, Bias = false)]
    public partial class Conv2dNoBias { }

    [OnnxTest("pytorch-converted/test_Conv2d_padding")]
    [ConvNet(3, 6, 6), Conv(4, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 })]
    public partial class Conv2dPadding { }

    [OnnxTest("pytorch-converted/test_Conv2d_strided")]
#pragma warning disable CNN0011 // PyTorch's test floors the division: the case is that very floor
    [ConvNet(3, 6, 6), Conv(4, 3, Stride = 2)]
#pragma warning restore CNN0011
    public partial class Conv2dStrided { }

    [OnnxTest("pytorch-converted/test_Conv3d")]
    [ConvNet(3, 3, 4, 5), Conv(4, 2, 3, 4)]
    public partial class Conv3d { }

    [OnnxTest("pytorch-converted/test_Conv3d_dilated")]
    [ConvNet(3, 5, 5, 5), Conv(4, 2, Dilation = 2)]
    public partial class Conv3dDilated { }

    [OnnxTest("pytorch-converted/test_Conv3d_dilated_strided")]
    [ConvNet(3, 5, 5, 5), Conv(4, 2, Dilation = 2, Stride = 2)]
    public partial class Conv3dDilatedStrided { }

    [OnnxTest("pytorch-converted/test_Conv3d_groups")]
    [ConvNet(4, 4, 5, 4), Conv(6, 3, Groups = 2)]
    public partial class Conv3dGroups { }

    [OnnxTest("pytorch-converted/test_Conv3d_no_bias")]
    [ConvNet(3, 3, 4, 5), Conv(4, 2, 3, 4, Bias = false)]
    public partial class Conv3dNoBias { }

    [OnnxTest("pytorch-converted/test_Conv3d_stride")]
#pragma warning disable CNN0011
    [ConvNet(3, 5, 5, 5), Conv(4, 2, Stride = 2)]
#pragma warning restore CNN0011
    public partial class Conv3dStride { }

    [OnnxTest("pytorch-converted/test_Conv3d_stride_padding")]
    [ConvNet(3, 5, 5, 5), Conv(4, 2, Stride = 2, Pads = new[] { 1, 1, 1, 1, 1, 1 })]
    public partial class Conv3dStridePadding { }

    [OnnxTest("pytorch-converted/test_ELU")]
    [ConvNet(2, 5), ELU(2f)]
    public partial class Elu { }

    [OnnxTest("pytorch-converted/test_LeakyReLU")]
    [ConvNet(2, 5), LeakyReLU]
    public partial class LeakyRelu { }

    [OnnxTest("pytorch-converted/test_LeakyReLU_with_negval")]
    [ConvNet(2, 5), LeakyReLU(0.5f)]
    public partial class LeakyReluNegval { }

    [OnnxTest("pytorch-converted/test_ReLU")]
    [ConvNet(3, 4, 5), ReLU]
    public partial class ReluNet { }

    [OnnxTest("pytorch-converted/test_Sigmoid")]
    [ConvNet(3, 4, 5), Sigmoid]
    public partial class SigmoidNet { }

    [OnnxTest("pytorch-converted/test_Tanh")]
    [ConvNet(3, 4, 5), Tanh]
    public partial class TanhNet { }

    // ONNX pads [0, 0, 3, 1, 0, 0, 4, 2]: top 3, left 1, bottom 4, right 2.
    [OnnxTest("pytorch-converted/test_ZeroPad2d")]
    [ConvNet(3, 4, 4), ZeroPad(3, 1, 4, 2)]
    public partial class ZeroPad2d { }

    [OnnxTest("pytorch-converted/test_Linear", CheckInput = false)]
    [ConvNet(1, 10), Flatten, Dense(8)]
    public partial class Linear { }

    [OnnxTest("pytorch-converted/test_Linear_no_bias", CheckInput = false)]
    [ConvNet(1, 10), Flatten, Dense(8, Bias = false)]
    public partial class LinearNoBias { }

    [OnnxTest("pytorch-converted/test_MaxPool1d"), OnnxTest("pytorch-converted/test_MaxPool1d_stride")]
    [ConvNet(10, 4), MaxPool(4)]
    public partial class MaxPool1d { }

    [OnnxTest("pytorch-converted/test_MaxPool2d")]
    [ConvNet(3, 7, 7), MaxPool(3, Stride = 2, Pads = new[] { 1, 1, 1, 1 })]
    public partial class MaxPool2d { }

    [OnnxTest("pytorch-converted/test_MaxPool3d"), OnnxTest("pytorch-converted/test_MaxPool3d_stride")]
#pragma warning disable CNN0011
    [ConvNet(3, 5, 5, 5), MaxPool(2)]
#pragma warning restore CNN0011
    public partial class MaxPool3d { }

    [OnnxTest("pytorch-converted/test_MaxPool3d_stride_padding")]
    [ConvNet(3, 5, 5, 5), MaxPool(2, Pads = new[] { 1, 1, 1, 1, 1, 1 })]
    public partial class MaxPool3dStridePadding { }

    [OnnxTest("pytorch-converted/test_Softmax", CheckInput = false)]
    [ConvNet(1, 20), Flatten, Softmax]
    public partial class SoftmaxNet { }

    [OnnxTest("pytorch-converted/test_softmax_lastdim", CheckInput = false)]
    [ConvNet(1, 128), Flatten, Softmax]
    public partial class SoftmaxLastDim { }

    [OnnxTest("pytorch-converted/test_softmax_functional_dim3", CheckInput = false)]
    [ConvNet(1, 5), Flatten, Softmax]
    public partial class SoftmaxFunctionalDim3 { }
}

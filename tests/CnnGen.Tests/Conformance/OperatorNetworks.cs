using CnnGen;

// One declaration per test of libonnx-testdata's pytorch-operator/ and simple/ folders that CnnGen's layers express
// (opset 6 to 9 exports of single PyTorch operators, and small hand-written models).
namespace CnnGen.Tests.Conformance.Operator
{
    [OnnxTest("pytorch-operator/test_operator_conv")]
    [ConvNet(16, 50, 40), Conv(13, 3, Bias = false)]
    public partial class OperatorConv { }

    [OnnxTest("pytorch-operator/test_operator_flatten")]
    [ConvNet(2, 3, 4), Flatten]
    public partial class OperatorFlatten { }

    [OnnxTest("pytorch-operator/test_operator_maxpool")]
#pragma warning disable CNN0011 // 50 -> 24 with 3/2: the last position is never read, as in the test
    [ConvNet(16, 50), MaxPool(3, Stride = 2)]
#pragma warning restore CNN0011
    public partial class OperatorMaxPool { }

    // Gemm(x, B, C) with B from input_1.pb, C a Constant 0 and beta 0 (the opset-6 broadcast attribute is ignored).
    [OnnxTest("pytorch-operator/test_operator_mm", CheckInput = false)]
    [ConvNet(1, 3), Flatten, Dense(4)]
    public partial class OperatorMm { }

    // Flatten of a [1] tensor to [1, 1].
    [OnnxTest("pytorch-operator/test_operator_view", CheckInput = false)]
    [ConvNet(1, 1), Flatten]
    public partial class OperatorView { }

    [OnnxTest("simple/test_single_relu_model")]
    [ConvNet(1, 2), ReLU]
    public partial class SingleReluModel { }
}

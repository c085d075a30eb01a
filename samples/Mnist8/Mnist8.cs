using CnnGen;

/// <summary>
/// mnist-8 as its ONNX graph computes it: Conv 8@5x5 (SAME_UPPER) + bias, ReLU, MaxPool 2, Conv 16@5x5 (SAME_UPPER) + bias,
/// ReLU, MaxPool 3 (14 -> 4), Flatten (256), Dense 10. Input: raw pixels 0..255; output: logits.
/// </summary>
// Weights: the trained model, checked against these attributes at build time and embedded in the assembly (Mnist8.Default).
[ConvNet(1, 28, 28, Weights = "../../../shared/testdata/mnist-8/model.onnx")]
[Conv(8, 5, Padding = Padding.Same), ReLU]
[MaxPool(2)]
[Conv(16, 5, Padding = Padding.Same), ReLU]
// The trained model pools 14 -> 4 with a 3x3 window: (14 - 3) / 3 is not an integer, rows and columns 12 and 13 are
// never read. That is what the model does, so acknowledge the warning here instead of changing the layer.
#pragma warning disable CNN0011
[MaxPool(3)]
#pragma warning restore CNN0011
[Flatten]
[Dense(10)]
public partial class Mnist8 { }

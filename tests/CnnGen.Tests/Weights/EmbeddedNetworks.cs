namespace CnnGen.Tests.Weights
{
    /// <summary>
    /// mnist-8 with its trained weights embedded at build time from ../shared/testdata/mnist-8/model.onnx (the path is
    /// relative to this project's directory): the test build runs the package's targets (tasks/CnnGen.Build).
    /// </summary>
    [ConvNet(1, 28, 28, Weights = "../../../shared/testdata/mnist-8/model.onnx")]
    [Conv(8, 5, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Conv(16, 5, Padding = Padding.Same), ReLU]
#pragma warning disable CNN0011
    [MaxPool(3)]
#pragma warning restore CNN0011
    [Flatten]
    [Dense(10)]
    public partial class EmbeddedMnist8 { }
}

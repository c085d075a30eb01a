using CnnGen;

namespace CnnGen.Tests.Forward
{
    /// <summary>mnist-8 (../shared/testdata/mnist-8) as its ONNX graph computes it.</summary>
    [ConvNet(1, 28, 28)]
    [Conv(8, 5, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Conv(16, 5, Padding = Padding.Same), ReLU]
#pragma warning disable CNN0011 // the trained model pools 14 -> 4
    [MaxPool(3)]
#pragma warning restore CNN0011
    [Flatten]
    [Dense(10)]
    public partial class Mnist8 { }

    [ConvNet(1, 28, 28)]
    [Conv(6, 5, Padding = Padding.Same)]
    [ReLU]
    [MaxPool(2)]
    [Conv(16, 5)]
    [ReLU]
    [MaxPool(2)]
    [Flatten]
    [Dense(120), ReLU]
    [Dense(84), ReLU]
    [Dense(10), Softmax]
    public partial class LeNet5 { }

    /// <summary>A small network with BatchNorm, for loader tests.</summary>
    [ConvNet(2, 6, 6)]
    [Conv(3, 3, Padding = Padding.Same, Name = "features.0"), BatchNorm(Name = "features.1"), ReLU]
    [GlobalAvgPool]
    [Dense(4, Name = "classifier")]
    public partial struct SmallNet { }
}

namespace CnnGen.Tests.Forward
{
    /// <summary>SmallNet without its BatchNorm layer: an ONNX BatchNormalization after the conv is folded into it.</summary>
    [ConvNet(2, 6, 6)]
    [Conv(3, 3, Padding = Padding.Same, Name = "features.0"), ReLU]
    [GlobalAvgPool]
    [Dense(4, Name = "classifier")]
    public partial class FoldedNet { }
}

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// A small 3D network whose batches run in chunks: a 2x2x2 convolution over rows of 7 (the chunk's samples as one
    /// list of positions), a concatenation of three 6-channel maps (one pass), a 1x1 convolution (the chunk as one row).
    /// </summary>
    [ConvNet(2, 5, 3, 7)]
    [Conv(6, 2, Padding = Padding.Same)]
    [Concat(typeof(Identity), typeof(Identity), typeof(SmallVolumeSide))]
    [Conv(4, 1)]
    [Flatten]
    [Dense(3)]
    public partial class SmallVolume { }

    [Block, Conv(6, 1)]
    public class SmallVolumeSide { }
}

using CnnGen;

namespace CnnGen.Benchmarks
{
    /// <summary>mnist-8 with its real weights (../shared/testdata/mnist-8).</summary>
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

    /// <summary>LeNet-5 as SPEC.md writes it.</summary>
    [ConvNet(1, 28, 28)]
    [Conv(6, 5, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Conv(16, 5), ReLU]
    [MaxPool(2)]
    [Flatten]
    [Dense(120), ReLU]
    [Dense(84), ReLU]
    [Dense(10), Softmax]
    public partial class LeNet5 { }

    /// <summary>A small VGG-style CIFAR network.</summary>
    [ConvNet(3, 32, 32)]
    [Conv(32, 3, Padding = Padding.Same), ReLU]
    [Conv(32, 3, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Conv(64, 3, Padding = Padding.Same), ReLU]
    [Conv(64, 3, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Flatten]
    [Dense(512), ReLU]
    [Dense(10)]
    public partial class VggCifar { }

    /// <summary>A 1D network on one second of 16 kHz audio.</summary>
    [ConvNet(1, 16000)]
    [Conv(16, 9, Stride = 4, Padding = Padding.Same), ReLU]
    [MaxPool(4)]
    [Conv(32, 9, Padding = Padding.Same), ReLU]
    [MaxPool(4)]
    [GlobalAvgPool]
    [Dense(10)]
    public partial class Audio1D { }

    /// <summary>A 3D network on a 16x32x32 volume.</summary>
    [ConvNet(1, 16, 32, 32)]
    [Conv(8, 3, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Conv(16, 3, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Flatten]
    [Dense(10)]
    public partial class Volume3D { }
}

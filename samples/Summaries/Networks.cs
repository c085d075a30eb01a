using CnnGen;

namespace Samples
{
    /// <summary>LeNet-5 as SPEC.md writes it: 61,706 parameters.</summary>
    [ConvNet(1, 28, 28)]
    [Conv(6, 5, Padding = Padding.Same)]
    [ReLU]
    [MaxPool(2, Expect = new[] { 6, 14, 14 })]
    [Conv(16, 5)]
    [ReLU]
    [MaxPool(2, Expect = new[] { 16, 5, 5 })]
    [Flatten]
    [Dense(120), ReLU]
    [Dense(84), ReLU]
    [Dense(10), Softmax]
    public partial class LeNet5 { }

    /// <summary>The real trained model of ../shared/testdata/mnist-8 (exported by CNTK), declared with attributes.</summary>
    [ConvNet(1, 28, 28)]
    [Conv(8, 5, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Conv(16, 5, Padding = Padding.Same), ReLU]
#pragma warning disable CNN0011 // The model really pools 14 -> 4 with a 3x3 window: rows and columns 12 and 13 are never read.
    [MaxPool(3)]
#pragma warning restore CNN0011
    [Flatten]
    [Dense(10)]
    public partial class Mnist8 { }

    /// <summary>A 1D network for one second of 16 kHz audio.</summary>
    [ConvNet(1, 16000)]
    [Conv(16, 9, Stride = 4, Padding = Padding.Same), BatchNorm, ReLU]
    [MaxPool(4)]
    [Conv(32, 9, Padding = Padding.Same), ReLU]
    [MaxPool(4)]
    [GlobalAvgPool]
    [Dense(10), Softmax]
    public partial class AudioNet { }

    /// <summary>A 3D network for 16x32x32 volumes (CT/MRI patches, video clips).</summary>
    [ConvNet(1, 16, 32, 32)]
    [Conv(8, 3, Padding = Padding.Same), ReLU]
    [MaxPool(2)]
    [Conv(16, 3, Padding = Padding.Same), ReLU]
    [MaxPool(2, Expect = new[] { 16, 4, 8, 8 })]
    [Flatten]
    [Dense(2)]
    public partial class VolumeNet { }
}

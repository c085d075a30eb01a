using CnnGen;

// torchvision's ResNet-18 and MobileNetV2, and a CIFAR ResNet-20 named like torchvision's ResNets, declared with CnnGen's
// attributes so that the layer names are the PyTorch module names (conv1, layer1.0.conv1, layer2.0.downsample.0,
// features.3.conv.1.0, classifier.1): the declarations load torchvision's state_dict by name and its ONNX exports.
// The benchmarks compile this file too.
namespace CnnGen.Tests.Torchvision
{
    /// <summary>torchvision.models.resnet18: 3x224x224 -> 1000.</summary>
    [ConvNet(3, 224, 224)]
    [Conv(64, 7, Stride = 2, Pads = new[] { 3, 3, 3, 3 }, Bias = false), BatchNorm, ReLU]
    [MaxPool(3, Stride = 2, Pads = new[] { 1, 1, 1, 1 })]
    [Residual(typeof(Basic64), ReLU = true, Repeat = 2, Name = "layer1")]
    [Residual(typeof(Basic128Down), Shortcut = typeof(Downsample128), ReLU = true, Name = "layer2.0")]
    [Residual(typeof(Basic128), ReLU = true, Name = "layer2.1")]
    [Residual(typeof(Basic256Down), Shortcut = typeof(Downsample256), ReLU = true, Name = "layer3.0")]
    [Residual(typeof(Basic256), ReLU = true, Name = "layer3.1")]
    [Residual(typeof(Basic512Down), Shortcut = typeof(Downsample512), ReLU = true, Name = "layer4.0")]
    [Residual(typeof(Basic512), ReLU = true, Name = "layer4.1")]
    [GlobalAvgPool, Dense(1000, Name = "fc")]
    public partial class ResNet18 { }

    /// <summary>A BasicBlock that keeps the size: conv1, bn1, relu, conv2, bn2 (the sum and its ReLU are the Residual's).</summary>
    [Block]
    [Conv(64, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
    [Conv(64, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic64 { }

    /// <summary>The first BasicBlock of a stage: stride 2 with torchvision's padding of 1 on every side.</summary>
    [Block]
#pragma warning disable CNN0018 // 56 -> 28 with pads 1/1: only end padding is skipped, as in torchvision
    [Conv(128, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false), BatchNorm, ReLU]
#pragma warning restore CNN0018
    [Conv(128, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic128Down { }

    [Block]
    [Conv(128, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
    [Conv(128, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic128 { }

    /// <summary>The projection shortcut: a 1x1 convolution with the block's stride and K filters, and its BatchNorm.</summary>
    [Block]
    [Conv(128, 1, Stride = 2, Bias = false, Name = "downsample.0"), BatchNorm(Name = "downsample.1")]
    public partial class Downsample128 { }

    [Block]
    [Conv(256, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false), BatchNorm, ReLU]
    [Conv(256, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic256Down { }

    [Block]
    [Conv(256, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
    [Conv(256, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic256 { }

    [Block]
    [Conv(256, 1, Stride = 2, Bias = false, Name = "downsample.0"), BatchNorm(Name = "downsample.1")]
    public partial class Downsample256 { }

    [Block]
    [Conv(512, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false), BatchNorm, ReLU]
    [Conv(512, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic512Down { }

    [Block]
    [Conv(512, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
    [Conv(512, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic512 { }

    [Block]
    [Conv(512, 1, Stride = 2, Bias = false, Name = "downsample.0"), BatchNorm(Name = "downsample.1")]
    public partial class Downsample512 { }

    /// <summary>A CIFAR ResNet-20 (3 stages of 3 BasicBlocks, 16/32/64 channels, projection shortcuts): 3x32x32 -> 10.</summary>
    [ConvNet(3, 32, 32)]
    [Conv(16, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
    [Residual(typeof(Basic16), ReLU = true, Repeat = 3, Name = "layer1")]
    [Residual(typeof(Basic32Down), Shortcut = typeof(Downsample32), ReLU = true, Name = "layer2.0")]
    [Residual(typeof(Basic32), ReLU = true, Name = "layer2.1")]
    [Residual(typeof(Basic32), ReLU = true, Name = "layer2.2")]
    [Residual(typeof(Basic64Down), Shortcut = typeof(Downsample64), ReLU = true, Name = "layer3.0")]
    [Residual(typeof(Basic64), ReLU = true, Name = "layer3.1")]
    [Residual(typeof(Basic64), ReLU = true, Name = "layer3.2")]
    [GlobalAvgPool, Dense(10, Name = "fc")]
    public partial class CifarResNet20 { }

    [Block]
    [Conv(16, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
    [Conv(16, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic16 { }

    [Block]
#pragma warning disable CNN0018
    [Conv(32, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false), BatchNorm, ReLU]
#pragma warning restore CNN0018
    [Conv(32, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic32Down { }

    [Block]
    [Conv(32, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
    [Conv(32, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic32 { }

    [Block]
    [Conv(32, 1, Stride = 2, Bias = false, Name = "downsample.0"), BatchNorm(Name = "downsample.1")]
    public partial class Downsample32 { }

    [Block]
    [Conv(64, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false), BatchNorm, ReLU]
    [Conv(64, 3, Padding = Padding.Same, Bias = false), BatchNorm]
    public partial class Basic64Down { }

    [Block]
    [Conv(64, 1, Stride = 2, Bias = false, Name = "downsample.0"), BatchNorm(Name = "downsample.1")]
    public partial class Downsample64 { }

    /// <summary>torchvision.models.mobilenet_v2: 3x224x224 -> 1000.</summary>
    [ConvNet(3, 224, 224)]
    [Conv(32, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false, Name = "features.0.0"), BatchNorm(Name = "features.0.1"), ReLU6]
    [Sequential(typeof(Expand1To16), Name = "features.1")]
    [Sequential(typeof(Inverted16To24Down), Name = "features.2")]
    [Residual(typeof(Inverted24), Name = "features.3")]
    [Sequential(typeof(Inverted24To32Down), Name = "features.4")]
    [Residual(typeof(Inverted32), Name = "features.5")]
    [Residual(typeof(Inverted32), Name = "features.6")]
    [Sequential(typeof(Inverted32To64Down), Name = "features.7")]
    [Residual(typeof(Inverted64), Name = "features.8")]
    [Residual(typeof(Inverted64), Name = "features.9")]
    [Residual(typeof(Inverted64), Name = "features.10")]
    [Sequential(typeof(Inverted64To96), Name = "features.11")]
    [Residual(typeof(Inverted96), Name = "features.12")]
    [Residual(typeof(Inverted96), Name = "features.13")]
    [Sequential(typeof(Inverted96To160Down), Name = "features.14")]
    [Residual(typeof(Inverted160), Name = "features.15")]
    [Residual(typeof(Inverted160), Name = "features.16")]
    [Sequential(typeof(Inverted160To320), Name = "features.17")]
    [Conv(1280, 1, Bias = false, Name = "features.18.0"), BatchNorm(Name = "features.18.1"), ReLU6]
    [GlobalAvgPool, Dropout(0.2f, Name = "classifier.0"), Dense(1000, Name = "classifier.1")]
    public partial class MobileNetV2 { }

    /// <summary>The first inverted residual (expansion 1): depthwise 3x3, then the linear 1x1 projection.</summary>
    [Block]
    [DepthwiseConv(3, Padding = Padding.Same, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
    [Conv(16, 1, Bias = false, Name = "conv.1"), BatchNorm(Name = "conv.2")]
    public partial class Expand1To16 { }

    [Block]
    [Conv(96, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
#pragma warning disable CNN0018
    [DepthwiseConv(3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
#pragma warning restore CNN0018
    [Conv(24, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted16To24Down { }

    [Block]
    [Conv(144, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
    [DepthwiseConv(3, Padding = Padding.Same, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
    [Conv(24, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted24 { }

    [Block]
    [Conv(144, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
#pragma warning disable CNN0018
    [DepthwiseConv(3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
#pragma warning restore CNN0018
    [Conv(32, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted24To32Down { }

    [Block]
    [Conv(192, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
    [DepthwiseConv(3, Padding = Padding.Same, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
    [Conv(32, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted32 { }

    [Block]
    [Conv(192, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
#pragma warning disable CNN0018
    [DepthwiseConv(3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
#pragma warning restore CNN0018
    [Conv(64, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted32To64Down { }

    [Block]
    [Conv(384, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
    [DepthwiseConv(3, Padding = Padding.Same, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
    [Conv(64, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted64 { }

    [Block]
    [Conv(384, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
    [DepthwiseConv(3, Padding = Padding.Same, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
    [Conv(96, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted64To96 { }

    [Block]
    [Conv(576, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
    [DepthwiseConv(3, Padding = Padding.Same, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
    [Conv(96, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted96 { }

    [Block]
    [Conv(576, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
#pragma warning disable CNN0018
    [DepthwiseConv(3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
#pragma warning restore CNN0018
    [Conv(160, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted96To160Down { }

    [Block]
    [Conv(960, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
    [DepthwiseConv(3, Padding = Padding.Same, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
    [Conv(160, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted160 { }

    [Block]
    [Conv(960, 1, Bias = false, Name = "conv.0.0"), BatchNorm(Name = "conv.0.1"), ReLU6]
    [DepthwiseConv(3, Padding = Padding.Same, Bias = false, Name = "conv.1.0"), BatchNorm(Name = "conv.1.1"), ReLU6]
    [Conv(320, 1, Bias = false, Name = "conv.2"), BatchNorm(Name = "conv.3")]
    public partial class Inverted160To320 { }
}

using CnnGen;

namespace ResNetSample;

// A CIFAR ResNet-20 (He et al. 2016, section 4.2): three stages of three basic blocks, 16, 32 and 64 channels, a
// 1x1 projection shortcut where a stage halves the map. The names mirror a PyTorch module tree, so the state_dict of
// such a model (saved with safetensors.torch.save_file) loads by name: "layer2.0" + "conv1" is layer2.0.conv1.weight.
[ConvNet(3, 32, 32)]
[Conv(16, 3, Padding = Padding.Same, Bias = false, Name = "conv1"), BatchNorm(Name = "bn1"), ReLU]
[Residual(typeof(Basic16), ReLU = true, Repeat = 3, Name = "layer1")]                                  // layer1.0 .. layer1.2
[Residual(typeof(Basic32Down), Shortcut = typeof(Downsample32), ReLU = true, Name = "layer2.0")]     // 16x32x32 -> 32x16x16
[Residual(typeof(Basic32), ReLU = true, Name = "layer2.1")]
[Residual(typeof(Basic32), ReLU = true, Name = "layer2.2")]
[Residual(typeof(Basic64Down), Shortcut = typeof(Downsample64), ReLU = true, Name = "layer3.0")]     // 32x16x16 -> 64x8x8
[Residual(typeof(Basic64), ReLU = true, Name = "layer3.1")]
[Residual(typeof(Basic64), ReLU = true, Name = "layer3.2")]
[GlobalAvgPool, Dense(10, Name = "fc")]
public partial class CifarResNet20 { }

// A basic block: two 3x3 convolutions; the residual adds its input and applies ReLU to the sum.
[Block]
[Conv(16, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
[Conv(16, 3, Padding = Padding.Same, Bias = false), BatchNorm]
public partial class Basic16 { }

// The first block of a stage halves H and W (PyTorch's padding=1 with stride 2) and doubles the channels ...
[Block]
[Conv(32, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false), BatchNorm, ReLU]
[Conv(32, 3, Padding = Padding.Same, Bias = false), BatchNorm]
public partial class Basic32Down { }

// ... so its shortcut must too: without it the build stops with CNN0021 on the Residual, naming both shapes.
[Block]
[Conv(32, 1, Stride = 2, Bias = false, Name = "downsample.0"), BatchNorm(Name = "downsample.1")]
public partial class Downsample32 { }

[Block]
[Conv(32, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
[Conv(32, 3, Padding = Padding.Same, Bias = false), BatchNorm]
public partial class Basic32 { }

[Block]
[Conv(64, 3, Stride = 2, Pads = new[] { 1, 1, 1, 1 }, Bias = false), BatchNorm, ReLU]
[Conv(64, 3, Padding = Padding.Same, Bias = false), BatchNorm]
public partial class Basic64Down { }

[Block]
[Conv(64, 1, Stride = 2, Bias = false, Name = "downsample.0"), BatchNorm(Name = "downsample.1")]
public partial class Downsample64 { }

[Block]
[Conv(64, 3, Padding = Padding.Same, Bias = false), BatchNorm, ReLU]
[Conv(64, 3, Padding = Padding.Same, Bias = false), BatchNorm]
public partial class Basic64 { }

using CnnGen.Shapes;
using Xunit;

namespace CnnGen.Tests.Shapes
{
    /// <summary>
    /// Which convolutions the generator gives Winograd F(2x2, 3x3): the bounds docs/performance.md measured
    /// (`--winograd`: from 24 input channels as fast or faster than the direct sum, 16 into 16 filters slower).
    /// </summary>
    public class KernelChoiceTests
    {
        [Theory]
        [InlineData(24, 32, 1, 3, 1, 1, 10, true)]  // the fewest channels
        [InlineData(32, 32, 1, 3, 1, 1, 16, true)]  // CIFAR ResNet-20's second stage
        [InlineData(64, 64, 1, 3, 1, 1, 56, true)]
        [InlineData(23, 32, 1, 3, 1, 1, 32, false)] // one channel too few
        [InlineData(16, 16, 1, 3, 1, 1, 32, false)] // the direct row kernels are faster
        [InlineData(64, 64, 1, 3, 1, 1, 9, false)]  // too small a map: the 2 x 2 tiles waste outputs
        [InlineData(64, 64, 1, 3, 2, 1, 28, false)] // stride 2
        [InlineData(64, 64, 1, 3, 1, 2, 28, false)] // dilation 2
        [InlineData(64, 64, 2, 3, 1, 1, 28, false)] // groups
        [InlineData(64, 24, 1, 3, 1, 1, 28, false)] // filters not a multiple of 16 once padded to 8
        [InlineData(64, 64, 1, 5, 1, 1, 28, false)] // 5 x 5
        public void Winograd_from_24_channels_on_3x3_stride_1_maps_of_10_or_more(int channels, int filters, int groups, int kernel, int stride,
            int dilation, int output, bool expected)
        {
            Assert.Equal(24, KernelLayout.WinogradChannels);
            Assert.Equal(expected, KernelLayout.UsesWinograd(channels, filters, groups, new[] { kernel, kernel }, new[] { stride, stride },
                new[] { dilation, dilation }, new[] { output, output }));
        }
    }
}

using System.Linq;
using CnnGen.Shapes;
using Xunit;
using static CnnGen.Tests.Shapes.Build;

namespace CnnGen.Tests.Shapes
{
    public class CheckerTests
    {
        [Fact]
        public void Dilation_widens_the_kernel_to_D_times_F_minus_1_plus_1()
        {
            NetworkAnalysis a = Analyze(new[] { 1, 10 }, Conv(1, 3) with { Dilation = 2 });
            Assert.Equal(new[] { 1, 6 }, a.OutputShape.ToArray()); // (10 - 5) / 1 + 1
            Assert.Equal(5, a.Layers[0].ReceptiveField[0]);
            Assert.Equal(4, a.ParameterCount); // dilation adds no weights: 3 + 1
            Assert.Equal(6 * 3, a.Macs);
        }

        [Fact]
        public void Same_with_dilation_uses_the_effective_kernel()
        {
            LayerInfo l = Analyze(new[] { 1, 10 }, Conv(1, 3).Same() with { Dilation = 3 }).Layers[0];
            Assert.Equal(new[] { 3 }, l.PadsBegin.ToArray()); // total 10 - 10 + 7 - 1 = 6
            Assert.Equal(new[] { 3 }, l.PadsEnd.ToArray());
            Assert.Equal(new[] { 1, 10 }, l.OutputShape.ToArray());
        }

        [Fact]
        public void Per_dimension_kernel_strides_and_asymmetric_pads()
        {
            LayerInfo l = Analyze(new[] { 2, 20, 30 }, Conv(4, 3, 5) with { Strides = A(1, 2), Pads = A(1, 0, 1, 3) }).Layers[0];
            Assert.Equal(new[] { 4, 20, 15 }, l.OutputShape.ToArray()); // H: (20-3+2)/1+1 = 20; W: (30-5+0+3)/2+1 = 15
            Assert.Equal((3 * 5 * 2 + 1) * 4, l.Parameters);
            Assert.Equal("explicit 1,0/1,3", SummaryWriter.PaddingText(l));
        }

        [Fact]
        public void Bias_false_drops_the_bias_parameters()
        {
            NetworkAnalysis a = Analyze(new[] { 3, 8, 8 }, Conv(16, 3) with { Bias = false }, Of(LayerKind.Flatten), Dense(10) with { Bias = false });
            Assert.Equal(new long[] { 3 * 3 * 3 * 16, 0, 16 * 6 * 6 * 10 }, a.Layers.Select(l => l.Parameters).ToArray());
        }

        [Fact]
        public void BatchNorm_holds_scale_bias_mean_and_variance_per_channel()
        {
            Assert.Equal(4 * 8, Analyze(new[] { 8, 5, 5 }, Of(LayerKind.BatchNorm)).ParameterCount);
            Assert.Equal(4 * 30, Analyze(new[] { 3, 10 }, Of(LayerKind.Flatten), Of(LayerKind.BatchNorm)).ParameterCount);
        }

        [Fact]
        public void Global_pools_give_one_value_per_channel_and_see_the_whole_input()
        {
            NetworkAnalysis a = Analyze(new[] { 7, 4, 5, 6 }, Of(LayerKind.GlobalAvgPool));
            Assert.Equal(new[] { 7 }, a.OutputShape.ToArray());
            Assert.Empty(a.Layers[0].ReceptiveField);
        }

        [Fact]
        public void Pooling_stride_defaults_to_the_window_and_max_pool_pads_resolve()
        {
            LayerInfo l = Analyze(new[] { 1, 7, 7 }, MaxPool(2).Same()).Layers[0];
            Assert.Equal(new[] { 2, 2 }, l.Strides.ToArray());
            Assert.Equal(new[] { 1, 4, 4 }, l.OutputShape.ToArray()); // ceil(7/2)
            Assert.Equal(new[] { 0, 0 }, l.PadsBegin.ToArray());
            Assert.Equal(new[] { 1, 1 }, l.PadsEnd.ToArray());
        }

        [Fact]
        public void Flatten_on_a_vector_changes_nothing()
        {
            NetworkAnalysis a = Analyze(new[] { 2, 3 }, Of(LayerKind.Flatten), Of(LayerKind.Flatten));
            Assert.Equal(new[] { 6 }, a.OutputShape.ToArray());
            Assert.Empty(a.Findings);
        }

        [Fact]
        public void Names_default_per_prefix_and_Name_overrides()
        {
            string[] names = NetworkChecker.LayerNames(new[]
            {
                Conv(1, 3), Of(LayerKind.ReLU), MaxPool(2), Conv(1, 3) with { Name = "features" }, Of(LayerKind.GlobalAvgPool),
                Of(LayerKind.BatchNorm), Dense(3), Of(LayerKind.LeakyReLU), Of(LayerKind.ReLU), Dense(2),
            });
            Assert.Equal(new[] { "conv1", "relu1", "pool1", "features", "pool2", "bn1", "fc1", "leakyrelu1", "relu2", "fc2" }, names);
        }

        [Fact]
        public void Errors_stop_inference_at_the_broken_layer_but_argument_checks_cover_all_layers()
        {
            NetworkAnalysis a = Analyze(new[] { 1, 8 }, Conv(1, 9), Conv(0, 3), Dense(-1));
            Assert.Equal(new[] { "CNN0006", "CNN0006", "CNN0010" }, a.Ids().OrderBy(x => x).ToArray());
            Assert.Empty(a.Layers);
        }

        [Fact]
        public void Dense_without_flatten_reports_and_continues_as_if_flattened()
        {
            NetworkAnalysis a = Analyze(new[] { 16, 5, 5 }, Dense(10), Of(LayerKind.Softmax));
            Assert.Equal(new[] { "CNN0012" }, a.Ids());
            Assert.Contains("insert [Flatten] before it (it gives N_in = 16x5x5 = 400)", a.Messages()[0]);
            Assert.Equal(4010, a.ParameterCount);
        }

        [Fact]
        public void Expect_that_matches_is_silent_and_a_different_layout_is_named()
        {
            Assert.Empty(Analyze(new[] { 1, 28, 28 }, Conv(6, 5) with { Expect = A(6, 24, 24) }).Findings);
            NetworkAnalysis a = Analyze(new[] { 16, 5, 5 }, Of(LayerKind.Flatten) with { Expect = A(16, 25) });
            Assert.Equal("Layer 'flatten1' (Flatten): Expect = [16, 25], but the output shape is [400] (the same number of values in another layout)", a.Messages().Single());
        }

        [Fact]
        public void Only_padding_skipped_is_informational()
        {
            NetworkAnalysis a = Analyze(new[] { 8, 56, 56 }, Conv(8, 3).Stride(2) with { Pads = A(1, 1, 1, 1) });
            Assert.Equal(new[] { "CNN0018" }, a.Ids());
            Assert.False(a.HasErrors);
            Assert.Equal(new[] { 8, 28, 28 }, a.OutputShape.ToArray());
        }
    }
}

using System.Linq;
using CnnGen.Shapes;
using Xunit;
using static CnnGen.Tests.Shapes.Build;

namespace CnnGen.Tests.Shapes
{
    /// <summary>The worked examples of SPEC.md, each as it is written there.</summary>
    public class SpecExamplesTests
    {
        [Fact]
        public void Valid_I32_F5_S1_gives_28()
        {
            Assert.Equal(28, ShapeMath.OutputSize(32, 5, 1, 0, 0));
            Assert.Equal(new[] { 1, 28, 28 }, Analyze(new[] { 1, 32, 32 }, Conv(1, 5)).OutputShape.ToArray());
        }

        [Fact]
        public void Same_I32_F3_S1_pads_1_1_gives_32()
        {
            Assert.Equal((1L, 1L), ShapeMath.SamePadding(32, 3, 1));
            LayerInfo l = Analyze(new[] { 1, 32, 32 }, Conv(1, 3).Same()).Layers[0];
            Assert.Equal(new[] { 1, 1 }, l.PadsBegin.ToArray());
            Assert.Equal(new[] { 1, 1 }, l.PadsEnd.ToArray());
            Assert.Equal(new[] { 1, 32, 32 }, l.OutputShape.ToArray());
        }

        [Theory]
        [InlineData(5, 3, 2, 1, 1, 3)]
        [InlineData(4, 3, 2, 0, 1, 2)]
        [InlineData(5, 1, 3, 0, 0, 2)] // total 6 - 5 + 1 - 3 = -1, clamped to 0
        public void Same_padding_and_output(int i, int f, int s, int start, int end, int o)
        {
            Assert.Equal((start, end), ShapeMath.SamePadding(i, f, s));
            Assert.Equal(o, ShapeMath.OutputSize(i, f, s, start, end));
            Assert.Equal(ShapeMath.CeilDiv(i, s), o);
            NetworkAnalysis a = Analyze(new[] { 1, i }, Conv(1, f).Same().Stride(s));
            Assert.Equal(new[] { 1, o }, a.OutputShape.ToArray());
            Assert.DoesNotContain(a.Findings, x => x.RuleId == Rules.NotDivisible.Id);
        }

        [Fact]
        public void Full_I28_F5_pads_4_4_gives_32()
        {
            Assert.Equal((4L, 4L), ShapeMath.FullPadding(5));
            LayerInfo l = Analyze(new[] { 1, 28, 28 }, Conv(1, 5).Full()).Layers[0];
            Assert.Equal(new[] { 4, 4 }, l.PadsBegin.ToArray());
            Assert.Equal(new[] { 1, 32, 32 }, l.OutputShape.ToArray());
        }

        [Fact]
        public void Valid_I13_F4_S2_is_not_divisible_floors_to_5_and_warns()
        {
            Assert.Equal(5, ShapeMath.OutputSize(13, 4, 2, 0, 0));
            Assert.Equal(1, ShapeMath.Remainder(13, 4, 2, 0, 0));
            NetworkAnalysis a = Analyze(new[] { 1, 13, 13 }, Conv(1, 4).Stride(2));
            Assert.Equal(new[] { 1, 5, 5 }, a.OutputShape.ToArray());
            Finding w = Assert.Single(a.Findings);
            Assert.Equal("CNN0011", w.RuleId);
            Assert.False(a.HasErrors);
            string m = Rules.Format(w);
            Assert.Equal(
                "Layer 'conv1' (Conv): along H and W, (I - F + P_start + P_end) / S = (13 - 4 + 0 + 0) / 2 = 9 / 2 is not an integer; " +
                "the output is floored to O = 5 and 1 input position(s) at the end are never read. To make it exact: " +
                "Padding = Padding.Same (O = 7), or Pads = new[] { 0, 0, 1, 1 } (O = 6), or Stride = 3 (O = 4)", m);
        }

        [Fact]
        public void Valid_I4_F5_is_an_error()
        {
            Assert.Equal(0, ShapeMath.OutputSize(4, 5, 1, 0, 0));
            NetworkAnalysis a = Analyze(new[] { 1, 4 }, Conv(1, 5));
            Assert.True(a.HasErrors);
            Assert.Equal(new[] { "CNN0010" }, a.Ids());
            Assert.Equal(
                "Layer 'conv1' (Conv): along L, O = (I - F + P_start + P_end) / S + 1 = (4 - 5 + 0 + 0) / 1 + 1 = 0: " +
                "the kernel 5 does not fit in the padded input 4; use a kernel of at most 4, Padding.Same, or more padding",
                a.Messages()[0]);
        }

        [Fact]
        public void Conv_5x5_C3_K16_has_1216_parameters()
        {
            Assert.Equal(1216, ShapeMath.ConvParameters(new[] { 5, 5 }, 3, 16, bias: true));
            Assert.Equal(1216, Analyze(new[] { 3, 32, 32 }, Conv(16, 5)).ParameterCount);
        }

        [Fact]
        public void Dense_400_to_120_has_48120_parameters()
        {
            Assert.Equal(48120, ShapeMath.DenseParameters(400, 120, bias: true));
            Assert.Equal(48120, Analyze(new[] { 400, 1 }, Of(LayerKind.Flatten), Dense(120)).ParameterCount);
        }

        [Fact]
        public void Flattening_7x7x512_gives_25088()
        {
            NetworkAnalysis a = Analyze(new[] { 512, 7, 7 }, Of(LayerKind.Flatten));
            Assert.Equal(new[] { 25088 }, a.OutputShape.ToArray());
        }

        [Fact]
        public void Two_3x3_stride_1_convs_see_3_then_5()
        {
            NetworkAnalysis a = Analyze(new[] { 1, 32, 32 }, Conv(4, 3), Conv(4, 3));
            Assert.Equal(new[] { 3L, 3L }, a.Layers[0].ReceptiveField.ToArray());
            Assert.Equal(new[] { 5L, 5L }, a.Layers[1].ReceptiveField.ToArray());
        }

        [Fact]
        public void Receptive_field_follows_the_closed_formula_with_strides()
        {
            // R_k = 1 + sum_j (F_j - 1) * prod_{i<j} S_i: conv 3/1, pool 2/2, conv 3/1, pool 3/3, conv 5/2
            NetworkAnalysis a = Analyze(new[] { 1, 200 }, Conv(1, 3), MaxPool(2), Conv(1, 3), MaxPool(3), Conv(1, 5).Stride(2));
            long[] f = { 3, 2, 3, 3, 5 }, s = { 1, 2, 1, 3, 2 };
            for (int k = 0; k < f.Length; k++)
            {
                long r = 1, jump = 1;
                for (int j = 0; j <= k; j++) { r += (f[j] - 1) * jump; jump *= s[j]; }
                Assert.Equal(r, a.Layers[k].ReceptiveField[0]);
            }
            Assert.Equal(new[] { 3L, 4L, 8L, 12L, 36L }, a.Layers.Select(l => l.ReceptiveField[0]).ToArray());
        }

        [Fact]
        public void LeNet5_shapes_and_61706_parameters()
        {
            NetworkAnalysis a = NetworkChecker.Analyze(LeNet5());
            Assert.Empty(a.Findings);
            string[] shapes = a.Layers.Select(l => ShapeMath.Format(l.OutputShape)).ToArray();
            Assert.Equal(new[]
            {
                "6x28x28", "6x28x28", "6x14x14", "16x10x10", "16x10x10", "16x5x5", "400", "120", "120", "84", "84", "10", "10",
            }, shapes);
            Assert.Equal(new long[] { 156, 0, 0, 2416, 0, 0, 0, 48120, 0, 10164, 0, 850, 0 }, a.Layers.Select(l => l.Parameters).ToArray());
            Assert.Equal(61706, a.ParameterCount);
            Assert.Equal(new[] { "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "fc1", "relu3", "fc2", "relu4", "fc3", "softmax1" },
                a.Layers.Select(l => l.Name).ToArray());
        }

        [Fact]
        public void Mnist8_shapes_parameters_macs_and_the_pool_warning()
        {
            // The real model of ../shared/testdata/mnist-8: 5,994 parameters, 786,560 multiply-accumulates.
            NetworkAnalysis a = Analyze(new[] { 1, 28, 28 },
                Conv(8, 5).Same(), Of(LayerKind.ReLU), MaxPool(2),
                Conv(16, 5).Same(), Of(LayerKind.ReLU), MaxPool(3),
                Of(LayerKind.Flatten), Dense(10));
            Assert.Equal(new[] { 10 }, a.OutputShape.ToArray());
            Assert.Equal(5994, a.ParameterCount);
            Assert.Equal(786560, a.Macs);
            Finding w = Assert.Single(a.Findings);
            Assert.Equal("CNN0011", w.RuleId);
            Assert.Equal(5, w.Layer);
            Assert.Contains("(14 - 3 + 0 + 0) / 3 = 11 / 3 is not an integer; the output is floored to O = 4 and 2 input position(s)", Rules.Format(w));
            Assert.Equal(new[] { 16, 4, 4 }, a.Layers[5].OutputShape.ToArray());
        }
    }
}

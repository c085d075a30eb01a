using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Shapes;
using Xunit;
using static CnnGen.Tests.Shapes.Build;

namespace CnnGen.Tests.Shapes
{
    /// <summary>SPEC's worked examples of grouped, depthwise and branching layers, and the rules of "Branches and merges".</summary>
    public class BranchExamplesTests
    {
        [Fact]
        public void Grouped_conv_3x3_C32_K64_G4_has_4672_parameters()
        {
            NetworkAnalysis a = Analyze(new[] { 32, 8, 8 }, Conv(64, 3).Same() with { Groups = 4 });
            Assert.Equal(4672, a.ParameterCount);
            Assert.Equal(4, a.Layers[0].Groups);
            Assert.Equal(8L * 8 * 64 * (32 / 4) * 9, a.Macs);
            Assert.Equal(new[] { 64, 8, 3, 3 }, ParameterLayout.Of(a)[0].Shape.ToArray()); // [K, C/G, F, F]
        }

        [Fact]
        public void Depthwise_3x3_C32_M1_has_320_parameters_and_multiplier_M_gives_MC_channels()
        {
            var dw = new LayerDeclaration(LayerKind.DepthwiseConv) { Kernel = A(3), Padding = (int)PaddingMode.Same };
            NetworkAnalysis a = Analyze(new[] { 32, 8, 8 }, dw);
            Assert.Equal(320, a.ParameterCount);
            Assert.Equal(new[] { 32, 1, 3, 3 }, ParameterLayout.Of(a)[0].Shape.ToArray());
            NetworkAnalysis m = Analyze(new[] { 32, 8, 8 }, dw with { Multiplier = 2 });
            Assert.Equal(new[] { 64, 8, 8 }, m.OutputShape.ToArray());
            Assert.Equal((3 * 3 + 1) * 64, m.ParameterCount);
        }

        [Fact]
        public void Residual_with_a_stride_2_block_and_the_identity_shortcut_is_an_error_with_both_shapes_and_the_projection()
        {
            NetworkAnalysis a = Analyze(new[] { 32, 56, 56 }, new[] { Block("Down", Conv(64, 3).Same().Stride(2)) }, Use(LayerKind.Residual, "Down"));
            Finding f = Assert.Single(a.Findings, x => x.RuleId == "CNN0021");
            string message = Rules.Format(f);
            Assert.Contains("gives 64x28x28", message);
            Assert.Contains("gives 32x56x56", message);
            Assert.Contains("[Conv(64, 1, Stride = 2, Bias = false), BatchNorm]", message);
            Assert.Contains("Projection=64;2,2", f.Fix);
            // With the projection shortcut, the residual gives the block's shape.
            NetworkAnalysis fixedNet = Analyze(new[] { 32, 56, 56 },
                new[] { Block("Down", Conv(64, 3).Same().Stride(2)), Block("Project", Conv(64, 1).Stride(2), Of(LayerKind.BatchNorm)) },
                Use(LayerKind.Residual, "Down") with { Shortcut = "Project" });
            Assert.False(fixedNet.HasErrors);
            Assert.Equal(new[] { 64, 28, 28 }, fixedNet.OutputShape.ToArray());
            // Parameters of a residual: the block's and the shortcut's (SPEC: params(B) + params(S)).
            Assert.Equal((3 * 3 * 32 + 1) * 64 + (32 + 1) * 64 + 4 * 64, fixedNet.ParameterCount);
        }

        [Fact]
        public void Concat_of_1x1_3x3_5x5_same_branches_on_192x28x28_gives_224x28x28()
        {
            NetworkAnalysis a = Analyze(new[] { 192, 28, 28 },
                new[] { Block("B1", Conv(64, 1)), Block("B3", Conv(128, 3).Same()), Block("B5", Conv(32, 5).Same()) },
                Use(LayerKind.Concat, "B1", "B3", "B5"));
            Assert.False(a.HasErrors);
            Assert.Equal(new[] { 224, 28, 28 }, a.OutputShape.ToArray());
            // An identity branch brings x's channels.
            NetworkAnalysis dense = Analyze(new[] { 16, 8, 8 }, new[] { Block("Grow", Conv(32, 3).Same()) }, Use(LayerKind.Concat, BlockDeclaration.IdentityKey, "Grow"));
            Assert.Equal(new[] { 48, 8, 8 }, dense.OutputShape.ToArray());
        }

        [Fact]
        public void A_gate_gives_C_or_x_shape()
        {
            var gate = Block("Gate", Of(LayerKind.GlobalAvgPool), Dense(4), Of(LayerKind.ReLU), Dense(16), Of(LayerKind.Sigmoid));
            Assert.Equal(new[] { 16, 8, 8 }, Analyze(new[] { 16, 8, 8 }, new[] { gate }, Use(LayerKind.Multiply, "Gate")).OutputShape.ToArray());
            var wrong = Block("Gate", Of(LayerKind.GlobalAvgPool), Dense(8));
            Assert.Contains("CNN0024", Analyze(new[] { 16, 8, 8 }, new[] { wrong }, Use(LayerKind.Multiply, "Gate")).Ids());
        }

        [Fact]
        public void The_receptive_field_of_a_merge_is_the_largest_of_its_paths_and_upsample_divides_the_stride_product()
        {
            // Two branches: 3x3 (field 3) and 5x5 (field 5): the concatenation sees 5x5.
            NetworkAnalysis a = Analyze(new[] { 1, 16, 16 }, new[] { Block("B3", Conv(2, 3).Same()), Block("B5", Conv(2, 5).Same()) },
                Use(LayerKind.Concat, "B3", "B5"));
            Assert.Equal(new long[] { 5, 5 }, a.Layers[0].ReceptiveField.ToArray());
            // Stride 2 (jump 2) then Upsample 2 (jump 1 again): a 3x3 after it adds 2, not 4.
            NetworkAnalysis u = Analyze(new[] { 1, 16 }, Conv(1, 2).Stride(2), new LayerDeclaration(LayerKind.Upsample) { Scale = A(2) }, Conv(1, 3).Same());
            Assert.Equal(new long[] { 2 }, u.Layers[0].ReceptiveField.ToArray());
            Assert.Equal(new long[] { 4 }, u.Layers[2].ReceptiveField.ToArray());
        }

        [Fact]
        public void Names_prefix_through_uses_and_repeats_and_the_shortcut_counts_on_from_the_block()
        {
            NetworkAnalysis a = Analyze(new[] { 4, 8, 8 },
                new[] { Block("Body", Conv(4, 3).Same(), Of(LayerKind.ReLU)), Block("Side", Conv(4, 1)) },
                Use(LayerKind.Residual, "Body") with { Repeat = 2, Name = "layer1" },
                Use(LayerKind.Residual, "Body") with { Shortcut = "Side" });
            Assert.Equal(new[] { "layer1.0", "layer1.0.conv1", "layer1.0.relu1", "layer1.1", "layer1.1.conv1", "layer1.1.relu1", "res2", "res2.conv1", "res2.relu1", "res2.conv2" },
                a.Layers.Select(l => l.Name).ToArray());
            Assert.Equal(new[] { "layer1.0.conv1.weight", "layer1.0.conv1.bias", "layer1.1.conv1.weight", "layer1.1.conv1.bias", "res2.conv1.weight", "res2.conv1.bias", "res2.conv2.weight", "res2.conv2.bias" },
                ParameterLayout.Of(a).Select(t => t.Key).ToArray());
        }

        [Fact]
        public void The_summary_shows_the_tree_and_the_peak_activation_memory()
        {
            NetworkAnalysis a = Analyze(new[] { 3, 32, 32 },
                new[] { Block("Basic16", Conv(16, 3).Same(), Of(LayerKind.ReLU), Conv(16, 3).Same()), Block("Project", Conv(16, 1)) },
                Conv(16, 3).Same(),
                Use(LayerKind.Residual, "Basic16") with { ReLU = true },
                Use(LayerKind.Residual, "Basic16") with { Shortcut = "Project" },
                Of(LayerKind.GlobalAvgPool), Dense(10));
            string text = SummaryWriter.Text("Tiny", a);
            Assert.Matches(@"\n 2  res1 +Residual Basic16 \+ Identity, ReLU +16x32x32 ", text); // a block use, then its layers one level deeper
            Assert.Matches(@"\n 3    res1\.conv1 +Conv 16@3x3 stride 1 ", text);
            Assert.Matches(@"\n      \(shortcut: Project\)\n10    res2\.conv3 ", text);
            Assert.Contains("(4,640)", text); // a block use shows the sum of its layers in parentheses
            // conv1's output (x) stays alive through res1 until the sum: x, conv1 and relu in place, conv2: 3 x 16,384 floats.
            Assert.Equal(3 * 16384, ActivationMemory.Peak(a));
            Assert.Contains("peak activation memory 49,152 floats (192 KiB)", text);
        }
    }
}

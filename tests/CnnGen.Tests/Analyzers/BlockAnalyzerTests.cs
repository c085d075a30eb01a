using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;
using static CnnGen.Tests.Infrastructure.AnalyzerVerifier;

namespace CnnGen.Tests.Analyzers
{
    /// <summary>
    /// Blocks, residuals and branches: each problem on the attribute (or argument) that causes it, with the numbers. A
    /// block's own mistakes are reported once, on the block; what its layers make of the shape they receive, at the use.
    /// </summary>
    public class BlockAnalyzerTests
    {
        private const string U = "using CnnGen;\n";

        /// <summary>The analyzer's messages on <paramref name="source"/> (English), by rule.</summary>
        private static string[] Messages(string source, string id)
        {
            (Compilation output, _) = Compilations.Generate(source);
            return Compilations.Analyze(output).Where(d => d.Id == id).Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToArray();
        }

        [Fact]
        public Task The_ResNet_of_the_contract_has_no_diagnostics() => VerifyAsync(U + """
            [ConvNet(3, 32, 32)]
            [Conv(16, 3, Padding = Padding.Same), BatchNorm, ReLU]
            [Residual(typeof(Basic16), ReLU = true, Repeat = 2)]
            [Residual(typeof(Basic32Down), Shortcut = typeof(Project32), ReLU = true)]
            [GlobalAvgPool, Dense(10)]
            public partial class ResNet8 { }

            [Block]
            [Conv(16, 3, Padding = Padding.Same), BatchNorm, ReLU]
            [Conv(16, 3, Padding = Padding.Same), BatchNorm]
            public class Basic16 { }

            [Block]
            [Conv(32, 3, Stride = 2, Padding = Padding.Same), BatchNorm, ReLU]
            [Conv(32, 3, Padding = Padding.Same), BatchNorm]
            public class Basic32Down { }

            [Block]
            [Conv(32, 1, Stride = 2), BatchNorm]
            public class Project32 { }
            """); // blocks need not be partial: nothing is generated for them; a 1x1 stride-2 projection is meant to skip positions (no CNN0015)

        [Fact]
        public Task CNN0021_residual_whose_block_changes_the_shape() => VerifyAsync(U + """
            [ConvNet(32, 56, 56)]
            [{|CNN0021:Residual(typeof(Down64))|}]
            public partial class Net { }

            [Block]
            [Conv(64, 3, Stride = 2, Padding = Padding.Same)]
            public class Down64 { }
            """);

        [Fact]
        public void CNN0021_names_both_shapes_the_dimensions_and_the_projection_shortcut()
        {
            // SPEC's worked example: conv 3x3 stride 2, 64 filters, Same on 32x56x56 with an identity shortcut.
            string message = Messages(U + """
                [ConvNet(32, 56, 56)]
                [Residual(typeof(Down64))]
                public partial class Net { }

                [Block]
                [Conv(64, 3, Stride = 2, Padding = Padding.Same)]
                public class Down64 { }
                """, "CNN0021").Single();
            Assert.Equal("Layer 'res1' (Residual): the block Down64 gives 64x28x28, but the shortcut (the identity, x itself) gives 32x56x56; " +
                "y = block(x) + shortcut(x) adds element by element and needs both sides to have exactly the same shape, but the channels differ (64 vs 32) " +
                "and H, W differ (28x28 vs 56x56). Fix: a projection shortcut, Shortcut = typeof(...) with a [Block] of [Conv(64, 1, Stride = 2, Bias = false), BatchNorm] " +
                "(a 1x1 convolution with the block's stride and K filters), which gives 64x28x28", message);
        }

        [Fact]
        public Task CNN0022_concat_branches_of_different_sizes() => VerifyAsync(U + """
            [ConvNet(192, 28, 28)]
            [{|CNN0022:Concat(typeof(Branch1x1), typeof(Branch3x3), typeof(Identity))|}]
            public partial class Inception { }

            [Block, Conv(64, 1)] public class Branch1x1 { }
            [Block, Conv(128, 3)] public class Branch3x3 { }
            """);

        [Fact]
        public void CNN0022_and_the_inception_example_of_SPEC()
        {
            string message = Messages(U + """
                [ConvNet(192, 28, 28)]
                [Concat(typeof(Branch1x1), typeof(Branch3x3))]
                public partial class Inception { }

                [Block, Conv(64, 1)] public class Branch1x1 { }
                [Block, Conv(128, 3)] public class Branch3x3 { }
                """, "CNN0022").Single();
            Assert.StartsWith("Layer 'concat1' (Concat): branch 2 (Branch3x3) gives 128x26x26, but branch 1 (Branch1x1) gives 64x28x28: H, W differ (26x26 vs 28x28)", message);

            // SPEC: 1x1 (K=64), 3x3 (K=128), 5x5 (K=32) Same branches on 192x28x28 give 224x28x28.
            (Compilation output, _) = Compilations.Generate(U + """
                [ConvNet(192, 28, 28)]
                [Concat(typeof(B1), typeof(B3), typeof(B5), Expect = new[] { 224, 28, 28 })]
                public partial class Inception { }

                [Block, Conv(64, 1)] public class B1 { }
                [Block, Conv(128, 3, Padding = Padding.Same)] public class B3 { }
                [Block, Conv(32, 5, Padding = Padding.Same)] public class B5 { }
                """);
            Assert.Empty(Compilations.Analyze(output).Where(d => d.Severity >= DiagnosticSeverity.Warning));
        }

        [Fact]
        public Task CNN0023_groups_that_do_not_divide_on_the_argument() => VerifyAsync(U + """
            [ConvNet(32, 8, 8)]
            [Conv(64, 3, {|CNN0023:Groups = 3|})]
            public partial class Net { }
            """);

        [Fact]
        public void CNN0023_message_says_which_count_and_the_nearest_groups()
        {
            string message = Messages(U + """
                [ConvNet(32, 8, 8)]
                [Conv(64, 3, Groups = 3)]
                public partial class Net { }
                """, "CNN0023").Single();
            Assert.Equal("Layer 'conv1' (Conv): Groups = 3 splits C = 32 input channels and K = 64 filters into 3 groups, but neither C = 32 nor K = 64 is divisible by 3; " +
                "the nearest value that divides both is Groups = 4", message);
        }

        [Fact]
        public Task CNN0024_gate_of_the_wrong_shape() => VerifyAsync(U + """
            [ConvNet(16, 8, 8)]
            [{|CNN0024:Multiply(typeof(Gate))|}]
            public partial class Net { }

            [Block]
            [GlobalAvgPool, Dense(4), ReLU, Dense(8), Sigmoid]
            public class Gate { }
            """);

        [Fact]
        public void CNN0024_message_names_the_gate_shape_and_what_it_needs()
        {
            string message = Messages(U + """
                [ConvNet(16, 8, 8)]
                [Multiply(typeof(Gate))]
                public partial class Net { }

                [Block]
                [GlobalAvgPool, Dense(4), ReLU, Dense(8), Sigmoid]
                public class Gate { }
                """, "CNN0024").Single();
            Assert.StartsWith("Layer 'mul1' (Multiply): the gate Gate gives 8, but x is 16x8x8; y = x * gate(x) needs the gate to give [16]", message);
        }

        [Fact]
        public Task CNN0025_a_block_that_uses_itself_is_reported_on_each_block_of_the_cycle() => VerifyAsync(U + """
            [ConvNet(1, 8)]
            [Sequential(typeof(A))]
            public partial class Net { }

            [Block, Conv(2, 3), Sequential({|CNN0025:typeof(B)|})] public class A { }
            [Block, Residual({|CNN0025:typeof(A)|})] public class B { }
            """); // the network itself has no error of its own: it is not generated, and its use of A is fine

        [Fact]
        public Task CNN0026_a_network_or_a_plain_type_used_as_a_block() => VerifyAsync(U + """
            [ConvNet(1, 8), Conv(2, 3)]
            public partial class Other { }

            public class Plain { }

            [ConvNet(1, 8)]
            [Sequential({|CNN0026:typeof(Other)|})]
            [Concat(typeof(Identity), {|CNN0026:typeof(Plain)|})]
            [Residual(typeof(Identity), {|CNN0026:Shortcut = typeof(Plain)|})]
            [Multiply({|CNN0026:typeof(Identity)|})]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0027_a_type_marked_both_block_and_network() => VerifyAsync(U + """
            [Block, {|CNN0027:ConvNet(1, 8)|}, Conv(2, 3)]
            public partial class Both { }
            """);

        [Fact]
        public Task A_block_mistake_is_reported_once_on_the_block_not_at_each_use() => VerifyAsync(U + """
            [ConvNet(1, 8, 8)]
            [Sequential(typeof(Broken))]
            [Sequential(typeof(Broken))]
            public partial class Net { }

            [Block]
            [Conv({|CNN0006:0|}, 3)]
            public class Broken { }
            """);

        [Fact]
        public Task A_block_that_cannot_take_the_shape_it_receives_is_reported_at_that_use() => VerifyAsync(U + """
            [ConvNet(1, 8, 8)]
            [Sequential(typeof(Five))]
            [{|CNN0010:Sequential(typeof(Five))|}]
            public partial class Net { }

            [Block, Conv(2, 5)] public class Five { }
            """);

        [Fact]
        public void The_message_at_the_use_names_the_block_and_its_layer()
        {
            string message = Messages(U + """
                [ConvNet(1, 8, 8)]
                [Sequential(typeof(Five), Name = "stem")]
                [Sequential(typeof(Five), Name = "second")]
                public partial class Net { }

                [Block, Conv(2, 5)] public class Five { }
                """, "CNN0010").Single();
            Assert.StartsWith("Layer 'second.conv1' (Conv in block Five): along H and W, O = (I - F + P_start + P_end) / S + 1 = (4 - 5 + 0 + 0) / 1 + 1 = 0", message);
        }

        [Fact]
        public Task Names_that_clash_between_a_block_and_its_shortcut_are_reported_at_the_use() => VerifyAsync(U + """
            [ConvNet(4, 8, 8)]
            [{|CNN0017:Residual(typeof(Body), Shortcut = typeof(Side))|}]
            public partial class Net { }

            [Block, Conv(4, 3, Padding = Padding.Same, Name = "same")] public class Body { }
            [Block, Conv(4, 1, Name = "same")] public class Side { }
            """);

        [Fact]
        public Task An_empty_block_and_a_block_without_ConvNet_are_reported_on_the_block() => VerifyAsync(U + """
            [ConvNet(1, 8)]
            [Sequential(typeof(Empty))]
            public partial class Net { }

            [Block] public class {|CNN0004:Empty|} { }

            [Block, Conv(2, 3)] public class NoConvNetNeeded { }
            """);
    }
}

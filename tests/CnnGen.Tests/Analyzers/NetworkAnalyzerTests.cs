using System.Threading.Tasks;
using Xunit;
using static CnnGen.Tests.Infrastructure.AnalyzerVerifier;

namespace CnnGen.Tests.Analyzers
{
    /// <summary>Every rule on the exact span of the attribute or argument that causes it.</summary>
    public class NetworkAnalyzerTests
    {
        private const string Usings = "using CnnGen;\n";

        [Fact]
        public Task Valid_LeNet5_has_no_diagnostics() => VerifyAsync(Usings + """
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
            """);

        [Fact]
        public Task CNN0001_not_partial_on_the_identifier() => VerifyAsync(Usings + """
            [ConvNet(1, 8)]
            [Conv(2, 3)]
            public class {|CNN0001:Net|} { }
            """);

        [Fact]
        public Task CNN0001_containing_type_not_partial() => VerifyAsync(Usings + """
            public class {|CNN0001:Outer|}
            {
                [ConvNet(1, 8)]
                [Conv(2, 3)]
                public partial class Net { }

                [ConvNet(1, 8)]
                [Conv(2, 3)]
                public partial class Net2 { }
            }

            public class Unrelated
            {
                public class Plain { }
            }
            """); // one CNN0001 on Outer however many networks it holds; types without networks need no partial

        [Fact]
        public Task CNN0019_static_or_abstract() => VerifyAsync(Usings + """
            [ConvNet(1, 8)]
            [Conv(2, 3)]
            public static partial class {|CNN0019:Net|} { }

            [ConvNet(1, 8)]
            [Conv(2, 3)]
            public abstract partial class {|CNN0019:Net2|} { }
            """);

        [Fact]
        public Task CNN0002_layers_without_ConvNet_on_the_first_layer() => VerifyAsync(Usings + """
            [{|CNN0002:Conv(2, 3)|}]
            [ReLU]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0003_input_shape_rank() => VerifyAsync(Usings + """
            [ConvNet({|CNN0003:28|})]
            [Conv(2, 3)]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0003_input_size_zero() => VerifyAsync(Usings + """
            [ConvNet({|CNN0003:1, 0, 28|})]
            [Conv(2, 3)]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0004_no_layers_on_ConvNet() => VerifyAsync(Usings + """
            [{|CNN0004:ConvNet(1, 28, 28)|}]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0005_layers_split_over_partials() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv(2, 3)]
            public partial class Net { }

            [{|CNN0005:ReLU|}]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0006_invalid_values_on_their_arguments() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv({|CNN0006:0|}, 3)]
            [Conv(4, {|CNN0006:-3|})]
            [MaxPool(2, {|CNN0006:Stride = 0|})]
            [AvgPool(2, {|CNN0006:Pads = new[] { 0, -1, 0, 0 }|})]
            [Dense({|CNN0006:0|})]
            [BatchNorm({|CNN0006:Epsilon = 0f|})]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0006_missing_kernel() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [{|CNN0006:MaxPool|}]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0007_three_kernel_values_on_a_2D_input() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv(4, {|CNN0007:3, 3, 3|})]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0007_pads_count() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv(4, 3, {|CNN0007:Pads = new[] { 1, 1 }|})]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0008_stride_and_strides() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv(4, 3, Stride = 1, {|CNN0008:Strides = new[] { 1, 1 }|})]
            [MaxPool(2, Padding = Padding.Same, {|CNN0008:Pads = new[] { 0, 0, 1, 1 }|})]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0009_pads_as_large_as_the_kernel() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv(4, 3, {|CNN0009:Pads = new[] { 3, 0, 0, 0 }|})]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0010_filter_larger_than_input_on_the_kernel() => VerifyAsync(Usings + """
            [ConvNet(1, 4)]
            [Conv(2, {|CNN0010:5|})]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0011_not_divisible_with_its_message() => VerifyAsync(Usings + """
            [ConvNet(1, 13, 13)]
            [{|#0:Conv(1, 4, Stride = 2)|}]
            public partial class Net { }
            """,
            Diagnostic("CNN0011").WithLocation(0).WithMessage(
                "Layer 'conv1' (Conv): along H and W, (I - F + P_start + P_end) / S = (13 - 4 + 0 + 0) / 2 = 9 / 2 is not an integer; " +
                "the output is floored to O = 5 and 1 input position(s) at the end are never read. To make it exact: " +
                "Padding = Padding.Same (O = 7), or Pads = new[] { 0, 0, 1, 1 } (O = 6), or Stride = 3 (O = 4)"));

        [Fact]
        public Task CNN0011_one_warning_per_dimension_when_numbers_differ() => VerifyAsync(Usings + """
            [ConvNet(1, 14, 15)]
            [{|#0:MaxPool(3)|}]
            public partial class Net { }
            """,
            Diagnostic("CNN0011").WithLocation(0).WithArguments("pool1", "MaxPool", "H", "14", "3", "0", "0", "3", "11", "4", "2",
                "Padding = Padding.Same (O = 5), or Pads = new[] { 0, 0, 1, 0 } (O = 5), or Strides = new[] { 1, 3 } (O = 12)"));

        [Fact]
        public Task CNN0012_conv_after_flatten() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Flatten]
            [{|CNN0012:Conv(4, 3)|}]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0012_dense_without_flatten_then_softmax_on_a_map() => VerifyAsync(Usings + """
            [ConvNet(1, 4, 4)]
            [{|CNN0012:Dense(10)|}]
            public partial class Net { }

            [ConvNet(1, 4, 4)]
            [{|CNN0012:Softmax|}]
            public partial class Net2 { }
            """);

        [Fact]
        public Task CNN0013_expect_mismatch_shows_both() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv(6, 5, {|#0:Expect = new[] { 6, 28, 28 }|})]
            public partial class Net { }
            """,
            Diagnostic("CNN0013").WithLocation(0).WithMessage("Layer 'conv1' (Conv): Expect = [6, 28, 28], but the output shape is [6, 24, 24]"));

        [Fact]
        public Task CNN0014_too_large() => VerifyAsync(Usings + """
            [ConvNet(1, 40000, 40000)]
            [{|CNN0014:Conv(4, 1)|}]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0015_and_CNN0016_teach() => VerifyAsync(Usings + """
            [ConvNet(1, 32, 32)]
            [Conv(2, 2, {|#0:Stride = 3|})]
            [MaxPool(3, {|#1:Stride = 2|})]
            public partial class Net { }
            """,
            Diagnostic("CNN0015").WithLocation(0).WithMessage(
                "Layer 'conv1' (Conv): along H and W the stride S = 3 is larger than the kernel F = 2, so 1 of every 3 input positions are never read; convolutions usually have S <= F"),
            Diagnostic("CNN0016").WithLocation(1).WithMessage(
                "Layer 'pool1' (MaxPool): along H and W the stride S = 2 is smaller than the window F = 3, so neighbouring windows overlap by 1; pooling usually uses S = F"));

        [Fact]
        public Task CNN0017_duplicate_name() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv(2, 3, Name = "features")]
            [Conv(2, 3, {|CNN0017:Name = "features"|})]
            public partial class Net { }
            """);

        [Fact]
        public Task Compiler_errors_in_arguments_silence_CnnGen() => VerifyAsync(Usings + """
            [ConvNet(1, 28, 28)]
            [Conv({|CS1503:"six"|}, 5)]
            public partial class Net { }
            """);

        [Fact]
        public Task One_and_3D_networks_are_checked_per_dimension() => VerifyAsync(Usings + """
            [ConvNet(1, 16000)]
            [Conv(16, 9, Stride = 4, Padding = Padding.Same)]
            [MaxPool(4)]
            [Conv(32, 9, Padding = Padding.Same)]
            [GlobalAvgPool]
            [Dense(10)]
            public partial class Audio { }

            [ConvNet(1, 16, 32, 32)]
            [Conv(8, 3, Padding = Padding.Same)]
            [MaxPool(2)]
            [{|#1:Conv(16, 3, 3, 3, Strides = new[] { 1, 2, 2 }, Pads = new[] { 1, 1, 1, 1, 1, 1 })|}]
            [{|#0:MaxPool(2, 3, 3)|}]
            [Flatten]
            [Dense(10)]
            public partial class Volume { }
            """,
            Diagnostic("CNN0011").WithLocation(0).WithArguments("pool2", "MaxPool", "H and W", "8", "3", "0", "0", "3", "5", "2", "2",
                "Padding = Padding.Same (O = 3), or Pads = new[] { 0, 0, 0, 0, 1, 1 } (O = 3), or Strides = new[] { 2, 5, 5 } (O = 2)"),
            Diagnostic("CNN0018").WithLocation(1).WithMessage(
                "Layer 'conv2' (Conv): along H and W, (I - F + P_start + P_end) / S = (16 - 3 + 1 + 1) / 2 = 15 / 2 is not an integer, " +
                "but the 1 position(s) left after the last window are end padding: every input position is read and O = 8"));
    }
}

using System.Threading.Tasks;
using CnnGen.CodeFixes;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.CodeFixes
{
    /// <summary>Each code fix on the mistakes a learner makes, one at a time and with Fix All across documents.</summary>
    public class CodeFixTests
    {
        private const string U = "using CnnGen;\n";

        [Fact]
        public Task CNN0011_use_padding_same() => CodeFixVerifier<NotDivisibleCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 13, 13)]
            [{|CNN0011:Conv(1, 4, Stride = 2)|}]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 13, 13)]
            [Conv(1, 4, Stride = 2, Padding = Padding.Same)]
            public partial class Net { }
            """, "CNN0011.Same");

        [Fact]
        public Task CNN0011_use_padding_that_makes_the_formula_exact_replaces_Padding() => CodeFixVerifier<NotDivisibleCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 13, 13)]
            [{|CNN0011:Conv(1, 4, Stride = 2, Padding = Padding.Valid)|}]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 13, 13)]
            [Conv(1, 4, Stride = 2, Pads = new[] { 0, 0, 1, 1 })]
            public partial class Net { }
            """, "CNN0011.Pads");

        [Fact]
        public Task CNN0011_use_stride_that_divides() => CodeFixVerifier<NotDivisibleCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 13, 13)]
            [{|CNN0011:Conv(1, 4, Stride = 2)|}]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 13, 13)]
            [Conv(1, 4, Stride = 3)]
            public partial class Net { }
            """, "CNN0011.Stride");

        [Fact]
        public Task CNN0011_per_dimension_stride_for_one_dimension() => CodeFixVerifier<NotDivisibleCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 14, 15)]
            [{|CNN0011:MaxPool(3)|}]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 14, 15)]
            [MaxPool(3, {|CNN0016:Strides = new[] { 1, 3 }|})]
            public partial class Net { }
            """, "CNN0011.Stride");

        [Fact]
        public Task CNN0011_fix_all_in_every_document() => CodeFixVerifier<NotDivisibleCodeFix>.VerifyAsync(
            new[]
            {
                U + """
                [ConvNet(1, 28, 28)]
                [{|CNN0011:MaxPool(3)|}]
                public partial class A { }

                [ConvNet(1, 9, 9)]
                [{|CNN0011:Conv(4, 2, Stride = 2)|}]
                public partial class A2 { }
                """,
                U + """
                [ConvNet(3, 13, 13)]
                [{|CNN0011:Conv(8, 4, Stride = 2)|}]
                public partial class B { }
                """,
            },
            new[]
            {
                U + """
                [ConvNet(1, 28, 28)]
                [MaxPool(3, Padding = Padding.Same)]
                public partial class A { }

                [ConvNet(1, 9, 9)]
                [Conv(4, 2, Stride = 2, Padding = Padding.Same)]
                public partial class A2 { }
                """,
                U + """
                [ConvNet(3, 13, 13)]
                [Conv(8, 4, Stride = 2, Padding = Padding.Same)]
                public partial class B { }
                """,
            },
            "CNN0011.Same", iterations: 3);

        [Fact]
        public Task CNN0013_update_expect_to_the_inferred_shape() => CodeFixVerifier<ExpectCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 28, 28)]
            [Conv(6, 5, {|CNN0013:Expect = new[] { 6, 28, 28 }|})]
            [MaxPool(2, {|CNN0013:Expect = [6, 14, 14]|})]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 28, 28)]
            [Conv(6, 5, Expect = new[] { 6, 24, 24 })]
            [MaxPool(2, Expect = new[] { 6, 12, 12 })]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0012_insert_flatten_before_dense() => CodeFixVerifier<InsertFlattenCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 28, 28)]
            [Conv(6, 5)]
            [MaxPool(2)]
            [{|CNN0012:Dense(10)|}]
            [Softmax]
            public partial class Net { }

            [ConvNet(1, 8, 8)]
            [Conv(2, 3), {|CNN0012:Dense(4)|}, ReLU]
            public partial class Inline { }
            """, U + """
            [ConvNet(1, 28, 28)]
            [Conv(6, 5)]
            [MaxPool(2)]
            [Flatten]
            [Dense(10)]
            [Softmax]
            public partial class Net { }

            [ConvNet(1, 8, 8)]
            [Conv(2, 3), Flatten, Dense(4), ReLU]
            public partial class Inline { }
            """);

        [Fact]
        public Task CNN0006_invalid_values_get_the_nearest_valid_one() => CodeFixVerifier<InvalidValueCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 28, 28)]
            [Conv({|CNN0006:0|}, 5, {|CNN0006:Stride = 0|})]
            [Conv(2, 3, {|CNN0006:Strides = new[] { 1, -1 }|})]
            [BatchNorm({|CNN0006:Epsilon = 0f|})]
            [Flatten]
            [Dense(10)]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 28, 28)]
            [Conv(1, 5, Stride = 1)]
            [Conv(2, 3, Strides = new[] { 1, 1 })]
            [BatchNorm(Epsilon = 1e-5f)]
            [Flatten]
            [Dense(10)]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0006_kernel_size_zero() => CodeFixVerifier<InvalidValueCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 28, 28)]
            [Conv(4, {|CNN0006:3, 0|})]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 28, 28)]
            [Conv(4, 3, 1)]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0009_padding_as_large_as_the_kernel() => CodeFixVerifier<InvalidValueCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 28, 28)]
            [Conv(4, 3, {|CNN0009:Pads = new[] { 1, 3, 1, 1 }|})]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 28, 28)]
            [Conv(4, 3, Pads = new[] { 1, 2, 1, 1 })]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0001_add_partial() => CodeFixVerifier<MakePartialCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 8)]
            [Conv(2, 3)]
            public sealed class {|CNN0001:Net|} { }

            public static partial class Outer
            {
                [ConvNet(1, 8)]
                [Conv(2, 3)]
                internal class {|CNN0001:Inner|} { }
            }

            [ConvNet(1, 8)]
            [Conv(2, 3)]
            class {|CNN0001:Bare|} { }

            public class {|CNN0001:Models|}
            {
                internal class {|CNN0001:Vision|}
                {
                    [ConvNet(1, 8)]
                    [Conv(2, 3)]
                    public partial class Deep { }
                }
            }
            """, U + """
            [ConvNet(1, 8)]
            [Conv(2, 3)]
            public sealed partial class Net { }

            public static partial class Outer
            {
                [ConvNet(1, 8)]
                [Conv(2, 3)]
                internal partial class Inner { }
            }

            [ConvNet(1, 8)]
            [Conv(2, 3)]
            partial class Bare { }

            public partial class Models
            {
                internal partial class Vision
                {
                    [ConvNet(1, 8)]
                    [Conv(2, 3)]
                    public partial class Deep { }
                }
            }
            """);

        [Fact]
        public Task CNN0008_keep_the_single_value() => CodeFixVerifier<ConflictingArgumentsCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 29, 29)]
            [Conv(4, 3, Stride = 2, {|CNN0008:Strides = new[] { 2, 2 }|}, Bias = false)]
            [MaxPool(2, Padding = Padding.Valid, {|CNN0008:Pads = new[] { 0, 0, 0, 0 }|})]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 29, 29)]
            [Conv(4, 3, Stride = 2, Bias = false)]
            [MaxPool(2, Padding = Padding.Valid)]
            public partial class Net { }
            """, "CNN0008.KeepSingle");

        [Fact]
        public Task CNN0008_keep_the_per_dimension_values() => CodeFixVerifier<ConflictingArgumentsCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 28, 28)]
            [Conv(4, 3, Dilation = 1, {|CNN0008:Dilations = new[] { 1, 2 }|})]
            public partial class Net { }
            """, U + """
            [ConvNet(1, 28, 28)]
            [Conv(4, 3, Dilations = new[] { 1, 2 })]
            public partial class Net { }
            """, "CNN0008.KeepPerDimension");

        [Fact]
        public Task CNN0019_remove_static_or_abstract_from_every_declaration() => CodeFixVerifier<MakeInstantiableCodeFix>.VerifyAsync(new[]
        {
            U + """
            [ConvNet(1, 8)]
            [Conv(2, 3)]
            public static partial class {|CNN0019:Net|} { }

            [ConvNet(1, 8)]
            [Conv(2, 3)]
            abstract partial class {|CNN0019:Base|} { }
            """,
            """
            public static partial class Net { public static int Extra => 1; }
            """,
        }, new[]
        {
            U + """
            [ConvNet(1, 8)]
            [Conv(2, 3)]
            public partial class Net { }

            [ConvNet(1, 8)]
            [Conv(2, 3)]
            partial class Base { }
            """,
            """
            public partial class Net { public static int Extra => 1; }
            """,
        }, "CNN0019.Instantiable");
    }
}

using System.Threading.Tasks;
using CnnGen.CodeFixes;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.CodeFixes
{
    /// <summary>The mechanical fixes of block mistakes: a projection shortcut, the nearest Groups, [Block] on a plain type, one of [Block] and [ConvNet].</summary>
    public class BlockCodeFixTests
    {
        private const string U = "using CnnGen;\n";

        [Fact]
        public Task CNN0021_adds_a_projection_shortcut_block() => CodeFixVerifier<ProjectionShortcutCodeFix>.VerifyAsync(U + """
            namespace Nets
            {
                [ConvNet(32, 56, 56)]
                [{|CNN0021:Residual(typeof(Down64), ReLU = true)|}]
                public partial class Net { }

                [Block]
                [Conv(64, 3, Stride = 2, Padding = Padding.Same)]
                public class Down64 { }
            }
            """, U + """
            namespace Nets
            {
                [ConvNet(32, 56, 56)]
                [Residual(typeof(Down64), ReLU = true, Shortcut = typeof(Projection64Stride2))]
                public partial class Net { }

                [Block]
                [Conv(64, 1, Stride = 2, Bias = false), BatchNorm]
                public partial class Projection64Stride2 { }

                [Block]
                [Conv(64, 3, Stride = 2, Padding = Padding.Same)]
                public class Down64 { }
            }
            """);

        [Fact]
        public Task CNN0023_uses_the_nearest_groups_that_divide_both() => CodeFixVerifier<InvalidValueCodeFix>.VerifyAsync(U + """
            [ConvNet(32, 8, 8)]
            [Conv(64, 3, {|CNN0023:Groups = 3|})]
            public partial class Net { }
            """, U + """
            [ConvNet(32, 8, 8)]
            [Conv(64, 3, Groups = 4)]
            public partial class Net { }
            """);

        [Fact]
        public Task CNN0026_marks_the_plain_type_a_block() => CodeFixVerifier<BlockMarkCodeFix>.VerifyAsync(U + """
            [ConvNet(1, 8)]
            [Residual({|CNN0026:typeof(Body)|})]
            public partial class Net { }

            [{|CNN0002:Conv(1, 3, Padding = Padding.Same)|}]
            public partial class Body { }
            """, U + """
            [ConvNet(1, 8)]
            [Residual(typeof(Body))]
            public partial class Net { }

            [Block]
            [Conv(1, 3, Padding = Padding.Same)]
            public partial class Body { }
            """);

        [Fact]
        public Task CNN0027_removes_ConvNet_to_keep_a_block() => CodeFixVerifier<BlockMarkCodeFix>.VerifyAsync(U + """
            [Block, {|CNN0027:ConvNet(1, 8)|}, Conv(2, 3)]
            public partial class Both { }
            """, U + """
            [Block, Conv(2, 3)]
            public partial class Both { }
            """, "CNN0027.RemoveConvNet");

        [Fact]
        public Task CNN0027_removes_Block_to_keep_a_network() => CodeFixVerifier<BlockMarkCodeFix>.VerifyAsync(U + """
            [Block]
            [{|CNN0027:ConvNet(1, 8)|}, Conv(2, 3)]
            public partial class Both { }
            """, U + """
            [ConvNet(1, 8), Conv(2, 3)]
            public partial class Both { }
            """, "CNN0027.RemoveBlock");
    }
}

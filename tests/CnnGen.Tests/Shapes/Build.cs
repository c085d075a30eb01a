using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Tests.Shapes
{
    /// <summary>Short ways to write declarations in tests.</summary>
    internal static class Build
    {
        public static EquatableArray<int> A(params int[] v) => new(v);

        public static NetworkDeclaration Net(int[] input, params LayerDeclaration[] layers) =>
            new("Net", new EquatableArray<int>(input), new EquatableArray<LayerDeclaration>(layers));

        public static LayerDeclaration Conv(int filters, params int[] kernel) => new(LayerKind.Conv) { Units = filters, Kernel = A(kernel) };

        public static LayerDeclaration MaxPool(params int[] kernel) => new(LayerKind.MaxPool) { Kernel = A(kernel) };

        public static LayerDeclaration AvgPool(params int[] kernel) => new(LayerKind.AvgPool) { Kernel = A(kernel) };

        public static LayerDeclaration Dense(int units) => new(LayerKind.Dense) { Units = units };

        public static LayerDeclaration Of(LayerKind kind) => new(kind);

        public static LayerDeclaration Same(this LayerDeclaration l) => l with { Padding = (int)PaddingMode.Same };

        public static LayerDeclaration Full(this LayerDeclaration l) => l with { Padding = (int)PaddingMode.Full };

        public static LayerDeclaration Stride(this LayerDeclaration l, int s) => l with { Stride = s };

        public static NetworkAnalysis Analyze(int[] input, params LayerDeclaration[] layers) => NetworkChecker.Analyze(Net(input, layers));

        /// <summary>A block (its key is its name).</summary>
        public static BlockDeclaration Block(string name, params LayerDeclaration[] layers) => new(name, name, BlockStatus.Block, new EquatableArray<LayerDeclaration>(layers));

        public static LayerDeclaration Use(LayerKind kind, params string[] blocks) => new(kind) { Blocks = new EquatableArray<string>(blocks) };

        /// <summary>A network with blocks.</summary>
        public static NetworkAnalysis Analyze(int[] input, BlockDeclaration[] blocks, params LayerDeclaration[] layers) =>
            NetworkChecker.Analyze(Net(input, layers) with { Blocks = new EquatableArray<BlockDeclaration>(blocks) });

        public static string[] Ids(this NetworkAnalysis a) => a.Findings.Select(f => f.RuleId).ToArray();

        public static string[] Messages(this NetworkAnalysis a) => a.Findings.Select(f => Rules.Format(f)).ToArray();

        /// <summary>LeNet-5 as SPEC.md writes it.</summary>
        public static NetworkDeclaration LeNet5() => Net(new[] { 1, 28, 28 },
            Conv(6, 5).Same(), Of(LayerKind.ReLU), MaxPool(2),
            Conv(16, 5), Of(LayerKind.ReLU), MaxPool(2),
            Of(LayerKind.Flatten), Dense(120), Of(LayerKind.ReLU), Dense(84), Of(LayerKind.ReLU), Dense(10), Of(LayerKind.Softmax));
    }
}

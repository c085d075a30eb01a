using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.Tests.Generators
{
    /// <summary>The generator and the analyzer never throw, whatever the user writes; problems become diagnostics.</summary>
    public class RobustnessTests
    {
        public static IEnumerable<object[]> Malformed() => new[]
        {
            "[ConvNet] [Conv(2, 3)] public partial class N { }",
            "[ConvNet()] [Conv(2, 3)] public partial class N { }",
            "[ConvNet(1, 28, 28, 28, 28)] [Conv(2, 3)] public partial class N { }",
            "[ConvNet(\"a\")] [Conv(2, 3)] public partial class N { }",
            "[ConvNet(null)] [Conv(2, 3)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, null)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Strides = null, Pads = null, Expect = null, Name = null)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Padding = (Padding)7)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Padding = (Padding)(-1))] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2.5, 3)] public partial class N { }",
            "[ConvNet(1, 8)] [Dense(\"ten\")] public partial class N { }",
            "[ConvNet(1, 8)] [LeakyReLU(float.NaN)] public partial class N { }",
            "[ConvNet(1, 8)] [ELU(float.PositiveInfinity)] public partial class N { }",
            "[ConvNet(1, 8)] [BatchNorm(Epsilon = float.NaN)] public partial class N { }",
            "[ConvNet(1, 8)] [BatchNorm(Epsilon = -1f)] public partial class N { }",
            "[ConvNet(1, 8)] [Unknown(3)] [Conv(2, 3)] public partial class N { }",
            "[ConvNet(int.MaxValue, int.MaxValue, int.MaxValue)] [Conv(2, 3)] public partial class N { }",
            "[ConvNet(1, 46341, 46341)] [Conv(2, 1)] public partial class N { }",
            "[ConvNet(1, 2)] [Conv(2, int.MaxValue, Padding = Padding.Full)] public partial class N { }",
            "[ConvNet(1, 2, 2, 2)] [Conv(int.MaxValue, int.MaxValue, Padding = Padding.Full)] public partial class N { }",
            "[ConvNet(1, 2)] [Conv(int.MaxValue, 1)] [Conv(int.MaxValue, 1)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Dilation = int.MaxValue, Padding = Padding.Same)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Stride = int.MaxValue)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Stride = int.MinValue)] public partial class N { }",
            "[ConvNet(1, 8)] [MaxPool(int.MinValue)] public partial class N { }",
            "[ConvNet(1, 8)] [MaxPool(3, Pads = new[] { int.MaxValue, int.MaxValue })] public partial class N { }",
            "[ConvNet(1, int.MaxValue)] [Flatten] [Dense(int.MaxValue)] public partial class N { }",
            "[ConvNet(3, 8)] [Flatten] [Flatten] [Dense(4)] [Flatten] [BatchNorm] [Softmax] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Name = \"\")] [Conv(2, 3, Name = \"  \")] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Expect = new int[0])] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3, Expect = new[] { 2, 6, 1, 1, 1 })] public partial class N { }",
            "[ConvNet(1, 8, 8)] [GlobalAvgPool] [GlobalMaxPool] public partial class N { }",
            "[ConvNet(1, 8)] [Dense(3)] [Dense(3)] [Conv(1, 1)] [MaxPool(1)] public partial class N { }",
            "public partial class Outer<T> where T : struct { [ConvNet(1, 8)] [Conv(2, 3)] internal partial struct N<U, V> { } }",
            "public class Outer { public partial class Mid { [ConvNet(1, 8)] [Conv(2, 3)] public partial class N { } } }",
            "[ConvNet(1, 8)] [ConvNet(1, 9)] [Conv(2, 3)] public partial class N { }",
            "[ConvNet(1, 8)] public partial class N { } [Conv(2, 3)] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3)] public partial class N { } [ReLU] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3)] public partial record struct N(int X);",
            "[ConvNet(1, 8)] [Conv(2, 3)] public partial interface N { }",
            "[ConvNet(1, 8)] [Conv(2, 3)] public static partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3)] public partial class N { public const int InputLength = 3; }",
            "[Conv(2, 3)] [ReLU] public partial class N { }",
            "[ConvNet(1, 8)] [Conv(2, 3)] public partial class",
            "[ConvNet(1, 8)] [Conv(2, 3 public partial class N { }",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Malformed))]
        public void Generator_and_analyzer_never_throw(string body)
        {
            string source = "using CnnGen;\nnamespace T;\n" + body;
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(source);
            Assert.All(result.Results, r => Assert.Null(r.Exception));
            Assert.Empty(result.Diagnostics); // the generator reports nothing: diagnostics are the analyzer's
            var all = output.GetDiagnostics().Concat(Compilations.Analyze(output)).ToList();
            Assert.DoesNotContain(all, d => d.Id is "AD0001" or "CS8785");
            // Something tells the user what is wrong (or the network is fine): never a silent half-state.
            Assert.True(all.Any(d => d.Severity == DiagnosticSeverity.Error) || result.GeneratedTrees.Length == 1,
                "neither an error nor generated code");
        }

        [Fact]
        public void Random_declarations_never_throw_and_errors_always_mean_no_network_code()
        {
            var random = new Random(1234);
            string[] layers = { "Conv({0}, {1})", "Conv({0}, {1}, Stride = {2}, Padding = Padding.Same)", "MaxPool({1})", "AvgPool({1}, Stride = {2})",
                "Conv({0}, {1}, {2}, Pads = new[] {{ {3}, {3}, {4}, {4} }})", "Dense({0})", "Flatten", "ReLU", "Softmax", "GlobalAvgPool", "BatchNorm",
                "MaxPool({1}, Padding = Padding.Full)", "Conv({0}, {1}, Dilation = {2})" };
            int[] values = { -1, 0, 1, 2, 3, 5, 7, 1000, int.MaxValue };
            for (int n = 0; n < 150; n++)
            {
                int rank = random.Next(1, 6);
                string input = string.Join(", ", Enumerable.Range(0, rank).Select(_ => values[random.Next(values.Length)]));
                string body = string.Join(" ", Enumerable.Range(0, random.Next(0, 6)).Select(_ => "[" + string.Format(layers[random.Next(layers.Length)],
                    values[random.Next(values.Length)], values[random.Next(values.Length)], values[random.Next(values.Length)],
                    values[random.Next(values.Length)], values[random.Next(values.Length)]) + "]"));
                string source = $"using CnnGen;\n[ConvNet({input})] {body} public partial class N{n} {{ }}";
                (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(source);
                Assert.All(result.Results, r => Assert.Null(r.Exception));
                var analyzer = Compilations.Analyze(output);
                Assert.DoesNotContain(analyzer, d => d.Id == "AD0001");
                bool errors = analyzer.Any(d => d.Severity == DiagnosticSeverity.Error);
                string generated = result.GeneratedTrees.Single().GetText().ToString();
                Assert.True(errors == generated.Contains("They hold no network."), source);
                Assert.DoesNotContain(output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree != output.SyntaxTrees.First());
            }
        }
    }
}

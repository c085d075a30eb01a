using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CnnGen.Tests.Generators
{
    public class GeneratorTests
    {
        private const string LeNet5 = """
            using CnnGen;

            namespace Samples;

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
            """;

        private static string Single(GeneratorDriverRunResult result) => result.GeneratedTrees.Single().GetText().ToString();

        [Fact]
        public void LeNet5_snapshot_and_compiles_without_diagnostics()
        {
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(LeNet5);
            Assert.Empty(result.Diagnostics);
            Assert.Equal("Samples.LeNet5.g.cs", System.IO.Path.GetFileName(result.GeneratedTrees.Single().FilePath));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Snapshot.Verify("LeNet5", Single(result));
        }

        [Fact]
        public void Nested_generic_struct_and_record_networks_snapshot()
        {
            const string source = """
                using CnnGen;

                namespace Deep.Space
                {
                    public partial class Outer<T>
                    {
                        internal partial struct Inner
                        {
                            [ConvNet(2, 16000)]
                            [Conv(16, 9, Stride = 4, Padding = Padding.Same), ReLU]
                            [MaxPool(4)]
                            [Conv(32, 9, Padding = Padding.Same, Dilation = 2), LeakyReLU(0.1f)]
                            [GlobalAvgPool]
                            [Dense(5, Bias = false), Sigmoid]
                            public partial record Audio<TSample> { }
                        }
                    }
                }
                """;
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(source);
            Assert.Equal("Deep.Space.Outer`1.Inner.Audio`1.g.cs", System.IO.Path.GetFileName(result.GeneratedTrees.Single().FilePath));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Snapshot.Verify("NestedGenericAudio", Single(result));
        }

        [Fact]
        public void Volume_3D_network_with_explicit_pads_snapshot()
        {
            const string source = """
                using CnnGen;

                [ConvNet(1, 16, 32, 32)]
                [Conv(8, 3, Pads = new[] { 1, 1, 1, 1, 1, 1 }), BatchNorm, ELU]
                [AvgPool(2, CountIncludePad = true)]
                [Conv(16, 3, 5, 5, Strides = new[] { 1, 2, 2 }, Padding = Padding.Full, Bias = false), Tanh]
                [GlobalMaxPool]
                [Dense(4), Softmax]
                public partial struct Volume { }
                """;
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(source);
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Snapshot.Verify("Volume3D", Single(result));
        }

        [Fact]
        public void Network_with_errors_gets_only_member_declarations_so_usages_do_not_cascade()
        {
            const string source = """
                using CnnGen;

                [ConvNet(1, 4, 4)]
                [Conv(2, 5)]
                public partial class Broken { }

                public static class User
                {
                    public static float[] Make() => new float[Broken.InputLength + Broken.OutputLength];
                    public static string Describe() => Broken.Summary + Broken.ParameterCount + Broken.InputShape.Length;
                    public static void Run(float[] x, float[] y) => Broken.Load("weights.onnx").Forward(x, y);
                    public static void Make(float[] p, float[] x, float[] y) => new Broken(p).Forward(x, y, 1);
                }
                """;
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(source);
            Snapshot.Verify("BrokenShell", Single(result));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            Diagnostic error = Assert.Single(Compilations.Analyze(output));
            Assert.Equal("CNN0010", error.Id);
        }

        [Fact]
        public void Non_partial_network_gets_nothing()
        {
            (_, GeneratorDriverRunResult result) = Compilations.Generate("""
                using CnnGen;
                [ConvNet(1, 8)] [Conv(2, 3)] public class NotPartial { }
                """);
            Assert.Empty(result.GeneratedTrees);
            Assert.Empty(result.Diagnostics);
        }

        [Fact]
        public void Generated_members_have_the_values_of_the_shape_engine()
        {
            (Compilation output, _) = Compilations.Generate(LeNet5);
            INamedTypeSymbol type = output.GetTypeByMetadataName("Samples.LeNet5")!;
            object? Const(string name) => type.GetMembers(name).OfType<IFieldSymbol>().Single().ConstantValue;
            Assert.Equal(784, Const("InputLength"));
            Assert.Equal(10, Const("OutputLength"));
            Assert.Equal(61706L, Const("ParameterCount"));
        }

        [Fact]
        public void Unrelated_edit_leaves_the_model_cached_and_the_output_unchanged()
        {
            CSharpCompilation first = Compilations.Create(LeNet5, "public class Other { public int X; }");
            GeneratorDriver driver = Compilations.Driver(track: true).RunGenerators(first);

            SyntaxTree other = first.SyntaxTrees.Last();
            CSharpCompilation second = first.ReplaceSyntaxTree(other,
                CSharpSyntaxTree.ParseText("public class Other { public int X; public int Y; }", Compilations.Parse, other.FilePath));
            GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();

            var modelSteps = run.TrackedSteps[global::CnnGen.Generators.NetworkGenerator.ModelStep];
            Assert.All(modelSteps.SelectMany(s => s.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"model step was {o.Reason}"));
            Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step was {o.Reason}"));
        }

        [Fact]
        public void Editing_the_network_regenerates_it()
        {
            CSharpCompilation first = Compilations.Create(LeNet5);
            GeneratorDriver driver = Compilations.Driver(track: true).RunGenerators(first);
            SyntaxTree tree = first.SyntaxTrees.Single();
            CSharpCompilation second = first.ReplaceSyntaxTree(tree,
                CSharpSyntaxTree.ParseText(LeNet5.Replace("[Dense(10)", "[Dense(12)"), Compilations.Parse, tree.FilePath));
            GeneratorRunResult run = driver.RunGenerators(second).GetRunResult().Results.Single();
            Assert.Contains(run.TrackedSteps[global::CnnGen.Generators.NetworkGenerator.ModelStep].SelectMany(s => s.Outputs),
                o => o.Reason == IncrementalStepRunReason.Modified);
            Assert.Contains("public const int OutputLength = 12;", run.GeneratedSources.Single().SourceText.ToString());
        }

        [Fact]
        public void Pipeline_models_hold_no_symbols_syntax_locations_or_compilations()
        {
            Assembly generator = typeof(global::CnnGen.Generators.NetworkGenerator).Assembly;
            Type model = generator.GetType("CnnGen.Generators.NetworkModel", throwOnError: true)!;
            Type options = generator.GetType("CnnGen.Declarations.ProjectOptions", throwOnError: true)!;
            var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SyntaxTree), typeof(SemanticModel), typeof(AttributeData) };
            var seen = new HashSet<Type>();
            var queue = new Queue<Type>(new[] { model, options });
            while (queue.Count > 0)
            {
                Type t = queue.Dequeue();
                if (!seen.Add(t) || t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal)) continue;
                Assert.DoesNotContain(forbidden, f => f.IsAssignableFrom(t));
                Assert.False(t.IsArray, $"{t} is a raw array: use EquatableArray<T>");
                if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Nullable<>)) { queue.Enqueue(t.GetGenericArguments()[0]); continue; }
                if (t.IsGenericType && t.Name.StartsWith("EquatableArray", StringComparison.Ordinal)) { queue.Enqueue(t.GetGenericArguments()[0]); continue; }
                if (t.IsGenericType) Assert.Fail($"{t} is a generic type the model should not hold");
                Assert.True(t.IsValueType || typeof(IEquatable<>).MakeGenericType(t).IsAssignableFrom(t), $"{t} is not equatable");
                foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    if (f.Name == "EqualityContract" || f.FieldType == typeof(Type)) continue;
                    queue.Enqueue(f.FieldType);
                }
            }
            Assert.Contains(seen, t => t.Name == "LayerInfo");
            Assert.Contains(seen, t => t.Name == "OptionProblem");
        }
    }
}

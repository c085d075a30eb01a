using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using CnnGen.Shapes;
using CnnGen.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CnnGen.Tests.Generators
{
    public class GeneratorTests
    {
        internal const string LeNet5 = """
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

        /// <summary>Runs the generator on <paramref name="source"/>, checking that the compilation has no warning or error.</summary>
        private static GeneratorDriverRunResult GenerateClean(string source)
        {
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(source);
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            return result;
        }

        private static string Single(GeneratorDriverRunResult result) => result.GeneratedTrees.Single().GetText().ToString();

        /// <summary>The source generated for the network type <paramref name="name"/> among several.</summary>
        private static string Generated(GeneratorDriverRunResult result, string name) =>
            result.GeneratedTrees.Single(t => t.FilePath.EndsWith(name + ".g.cs", System.StringComparison.Ordinal)).GetText().ToString();

        [Fact]
        public void LeNet5_snapshot_and_compiles_without_diagnostics()
        {
            GeneratorDriverRunResult result = GenerateClean(LeNet5);
            Assert.Empty(result.Diagnostics);
            Assert.Equal("Samples.LeNet5.g.cs", System.IO.Path.GetFileName(result.GeneratedTrees.Single().FilePath));
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
            GeneratorDriverRunResult result = GenerateClean(source);
            Assert.Equal("Deep.Space.Outer`1.Inner.Audio`1.g.cs", System.IO.Path.GetFileName(result.GeneratedTrees.Single().FilePath));
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
            GeneratorDriverRunResult result = GenerateClean(source);
            Snapshot.Verify("Volume3D", Single(result));
        }

        [Fact]
        public void The_batch_split_counts_pooling_and_written_values_not_only_multiply_adds()
        {
            // No multiply-adds at all, yet a 3D max pooling of 8 channels reads 27 values per output: a batch of such
            // samples is worth splitting over threads, which a count of multiply-adds alone (0) would never allow.
            const string source = """
                using CnnGen;
                namespace Work;

                [ConvNet(8, 8, 10, 12)]
                [MaxPool(3, Stride = 1, Padding = Padding.Same)]
                [GlobalMaxPool]
                public partial class PoolOnly { }
                """;
            GeneratorDriverRunResult result = GenerateClean(source);
            string code = Single(result);
            Match work = Regex.Match(code, @"workPerSample: (\d+)\);");
            Assert.True(work.Success, "the network passes its work to Batch.Run");
            const long positions = 8 * 10 * 12, channels = 8;
            // At least: the input written channels-last, the pooling's outputs and the 27 values each reads, the global
            // pooling's reads of that map.
            long least = positions * channels + positions * channels * (1 + 27) + positions * channels;
            Assert.InRange(long.Parse(work.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), least, 2 * least);
        }

        [Fact]
        public void Small_networks_run_a_batch_in_chunks_layer_by_layer_and_large_ones_sample_by_sample()
        {
            // A network of 704 floats per sample: 16 samples' tensors fit in the chunk room, so a batch runs
            // each step once per chunk (the convolution and the pooling with a sample count, the activation after the
            // pooling over the whole chunk, the dense layer as rows) on the sample plan scaled by n. A network of 32x32 maps of 32 channels does not.
            const string source = """
                using CnnGen;
                namespace Work;

                [ConvNet(3, 8, 8)]
                [Conv(8, 3, Padding = Padding.Same)]
                [Tanh]
                [MaxPool(2)]
                [Sigmoid]
                [Flatten]
                [Dense(4)]
                public partial class Small { }

                [ConvNet(3, 32, 32)]
                [Conv(32, 3, Padding = Padding.Same)]
                [ReLU]
                [GlobalAvgPool]
                [Dense(10)]
                public partial class Large { }
                """;
            GeneratorDriverRunResult result = GenerateClean(source);
            string small = Generated(result, "Small");
            string large = Generated(result, "Large");

            Assert.Contains("private void Chunk(", small);
            Assert.Contains("for (int first = 0; first < count; first += 16)", small);
            Assert.Matches(@"Conv\.Direct\(_conv1, ws\.Slice\(0, 192 \* n\), ws\.Slice\(192 \* n, 512 \* n\), s,", small);
            Assert.Contains("samples: n", small);
            Assert.Contains("samples: n, activation: global::CnnGen.Kernels.Activation.Tanh);", small); // fused into the convolution's store
            Assert.Matches(@"Activations\.Run\(ws\.Slice\(0, 128 \* n\), ws\.Slice\(0, 128 \* n\), global::CnnGen\.Kernels\.Activation\.Sigmoid\);", small);
            Assert.Matches(@"global::CnnGen\.Kernels\.Pool\.Run\(ws\.Slice\(192 \* n, 512 \* n\), ws\.Slice\(0, 128 \* n\),\s*new global::CnnGen\.Kernels\.WindowShape\([^;]*\), samples: n, max: true\);", small);
            Assert.Contains("Layout.ToChannelsLast(x, ws.Slice(0, 192 * n), channels: 3, positions: 64, stride: 3, samples: n);", small);
            Assert.Contains("Dense.Rows(_fc1, ", small);
            Match room = Regex.Match(small, @"private const int WorkspaceLength = (\d+);");
            Assert.Equal(16 * 704, int.Parse(room.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)); // 16 samples of 704 floats

            Assert.DoesNotContain("private void Chunk(", large);
            Assert.DoesNotContain("samples: n", large);
        }

        [Fact]
        public void A_small_networks_concatenation_joins_the_whole_chunk_in_one_call()
        {
            // The branches' maps fill their rooms, so each holds the chunk's samples back to back and one call per
            // branch joins them all: n times the positions, not a loop over the samples.
            const string source = """
                using CnnGen;
                namespace Work;

                [Block, Conv(3, 1)] public class Narrow { }

                [ConvNet(2, 6, 6)]
                [Concat(typeof(Identity), typeof(Narrow))]
                [Flatten]
                [Dense(3)]
                public partial class Joined { }
                """;
            GeneratorDriverRunResult result = GenerateClean(source);
            string code = Single(result);
            Assert.Contains("private void Chunk(", code);
            string chunk = code.Substring(code.IndexOf("private void Chunk(", System.StringComparison.Ordinal));
            // Branches of a few channels go in one pass (each position put together from both, stored once).
            Assert.Matches(@"Merge\.Join\(ws\.Slice\(\d+ \* n, \d+ \* n\), positions: 36 \* n,\s*x0: ws\.Slice\(\d+( \* n)?, \d+ \* n\), channels0: 2, stride0: 8,\s*x1: ws\.Slice\(\d+ \* n, \d+ \* n\), channels1: 3, stride1: 8\);", chunk);
            Assert.DoesNotMatch(@"for \(int i = 0; i < n; i\+\+\)\s*\{?\s*global::CnnGen\.Kernels\.Merge\.(Concat|Join)", chunk);
            Assert.DoesNotContain("Merge.Concat(", chunk);
        }

        [Theory]
        [InlineData(6, 18, true)]   // three branches of 6: 18 channels in 24 floats per position, one pass
        [InlineData(10, 30, true)]  // 30 channels in 32 floats: four vectors, one pass
        [InlineData(12, 36, false)] // 36 channels (40 floats): a pass per branch
        public void Concatenations_of_up_to_32_channels_join_in_one_pass(int filters, int total, bool join)
        {
            string source = $$"""
                using CnnGen;
                namespace Work;

                [Block, Conv({{filters}}, 1)] public class Side { }

                [ConvNet(2, 5, 7)]
                [Conv({{filters}}, 3, Padding = Padding.Same)]
                [Concat(typeof(Identity), typeof(Identity), typeof(Side))]
                [Conv(4, 1)]
                [Flatten]
                [Dense(3)]
                public partial class Wide { }
                """;
            GeneratorDriverRunResult result = GenerateClean(source);
            string code = Single(result);
            Assert.Contains($"Concat Identity, Identity, Side: {filters}x5x7 -> {total}x5x7", code);
            if (join)
            {
                Assert.Matches($@"Merge\.Join\(ws\.Slice\(\d+, {35 * KernelLayout.Pad8(total)}\), positions: 35,\s*x0: ws\.Slice\(\d+, \d+\), channels0: {filters}, stride0: {KernelLayout.Pad8(filters)},", code);
                Assert.DoesNotContain("Merge.Concat(", code);
            }
            else
            {
                Assert.DoesNotContain("Merge.Join(", code);
                Assert.Contains($"channels: {filters}, inputStride: {KernelLayout.Pad8(filters)}, outputStride: {KernelLayout.Pad8(total)}, offset: {2 * filters});", code);
            }
        }

        [Fact]
        public void Maps_of_few_channels_stay_compact_where_every_step_reads_them_as_they_lie()
        {
            // The gated map of one channel is read by global pooling, the gate and a view of it flattened: one float per
            // position throughout. Where max pooling reads the map (a kernel of 8-lane groups), the input and the ReLU
            // over it keep 8 lanes.
            const string source = """
                using CnnGen;
                namespace Work;

                [Block, GlobalAvgPool, Dense(1), ReLU, Dense(1), Sigmoid] public class Gate { }

                [ConvNet(1, 6, 10)]
                [Multiply(typeof(Gate))]
                [Dropout]
                [Flatten]
                [Dense(3)]
                public partial class Gated { }

                [ConvNet(1, 8, 8)]
                [ReLU]
                [MaxPool(2)]
                [Flatten]
                [Dense(2)]
                public partial class Pooled { }

                [ConvNet(3, 26)]
                [Upsample(3)]
                [Conv(6, 3, Padding = Padding.Same)]
                [Flatten]
                public partial class Upsampled { }
                """;
            GeneratorDriverRunResult result = GenerateClean(source);
            string gated = Generated(result, "Gated");
            string pooled = Generated(result, "Pooled");
            Assert.Contains("Layout.ToChannelsLast(x, ws.Slice(0, 60), channels: 1, positions: 60, stride: 1);", gated);
            Assert.Matches(@"Pool\.Global\(ws\.Slice\(0, 60\), ws\.Slice\(\d+, 8\), channels: 1, positions: 60, max: false, samples: 1, stride: 1\);", gated);
            Assert.Matches(@"Pool\.Global\(ws\.Slice\(0, 60 \* n\), ws\.Slice\(\d+ \* n, 8 \* n\), channels: 1, positions: 60, max: false, samples: n, stride: 1\);", gated);
            Assert.Matches(@"Merge\.Multiply\(ws\.Slice\(0, 60\), ws\.Slice\(\d+, 8\), ws\.Slice\(0, 60\), positions: 60, stride: 1, broadcast: true\);", gated);
            Assert.Matches(@"Layout\.ToChannelsFirst\(ws\.Slice\(0, 60\), [^;]*channels: 1, positions: 60, stride: 1\);", gated);
            Assert.Contains("1x6x10  ws[0, 60) (compact)", gated);
            Assert.Contains("Layout.ToChannelsLast(x, ws.Slice(0, 512), channels: 1, positions: 64, stride: 8);", pooled);
            Assert.DoesNotContain("(compact)", pooled);
            // Three channels upsampled for a convolution: 3 floats per position, in and out.
            string upsampled = Generated(result, "Upsampled");
            Assert.Matches(@"Layout\.Upsample\(ws\.Slice\(0, 78\), ws\.Slice\(\d+, 234\), input: 26, scale: 3, stride: 3\);", upsampled);
            Assert.Contains("new global::CnnGen.Kernels.WindowShape(channels: 3, inputStride: 3, input: 78,", upsampled);
        }

        [Fact]
        public void Depthwise_convolutions_of_few_channels_run_the_direct_kernel_with_their_groups()
        {
            // Two channels (a multiplier of 3, or groups = channels declared on Conv): the direct kernel with each group's
            // weights, reading the compact input. Four channels of a 3x3 kernel and sixteen of any keep the depthwise kernel.
            const string source = """
                using CnnGen;
                namespace Work;

                [ConvNet(2, 5, 3, 7)]
                [DepthwiseConv(2, 2, 2, Multiplier = 3, Padding = Padding.Same)]
                [Conv(4, 1, 1, 1, Groups = 2)]
                [Flatten]
                public partial class Few { }

                [ConvNet(4, 9, 9)]
                [DepthwiseConv(3, 3, Padding = Padding.Same)]
                [Conv(16, 1, 1)]
                [DepthwiseConv(5, 5, Padding = Padding.Same)]
                [Flatten]
                public partial class Kept { }
                """;
            GeneratorDriverRunResult result = GenerateClean(source);
            string few = Generated(result, "Few"), kept = Generated(result, "Kept");
            Assert.DoesNotContain("Depthwise.Run", few);
            Assert.DoesNotContain("DepthwiseWeights", few);
            Assert.Contains("new global::CnnGen.Kernels.ConvWeights(parameters.Slice(0, 48), parameters.Slice(48, 6), filters: 6, channels: 2, kernel: (2, 2, 2), groups: 2)", few);
            Assert.Matches(@"Conv\.Direct\(_conv1, ws\.Slice\(0, 210\), [^;]*channels: 2, inputStride: 2, input: \(5, 3, 7\), filters: 6,", few);
            Assert.Contains("Depthwise.Run(_conv1, ws", kept);
            Assert.Contains("Depthwise.Run(_conv3, ws", kept);
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

        private const string ResNet = """
            using CnnGen;

            namespace Samples;

            [ConvNet(3, 32, 32)]
            [Conv(16, 3, Padding = Padding.Same), BatchNorm, ReLU]
            [Residual(typeof(Basic16), ReLU = true)]
            [Residual(typeof(Basic32Down), Shortcut = typeof(Project32), ReLU = true)]
            [Concat(typeof(Identity), typeof(Branch))]
            [Multiply(typeof(Excite))]
            [GlobalAvgPool, Dense(10)]
            public partial class Tiny { }
            """;

        private const string Blocks = """
            using CnnGen;

            namespace Samples;

            [Block]
            [Conv(16, 3, Padding = Padding.Same), BatchNorm, ReLU]
            [Conv(16, 3, Padding = Padding.Same), BatchNorm]
            public class Basic16 { }

            [Block]
            [Conv(32, 3, Stride = 2, Padding = Padding.Same), BatchNorm, ReLU]
            [Conv(32, 3, Padding = Padding.Same), BatchNorm]
            public class Basic32Down { }

            [Block, Conv(32, 1, Stride = 2), BatchNorm] public class Project32 { }

            [Block, DepthwiseConv(3, Padding = Padding.Same), ReLU6, Conv(8, 1)] public class Branch { }

            [Block, GlobalAvgPool, Dense(10), ReLU, Dense(40), HardSigmoid] public class Excite { }
            """;

        [Fact]
        public void A_branching_network_snapshot_writes_every_step_and_its_buffers()
        {
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(ResNet, Blocks);
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            Assert.Empty(Compilations.Analyze(output).Where(d => d.Severity >= DiagnosticSeverity.Warning));
            string code = Single(result);
            // The residual sum and its ReLU are fused into the store of the block's last convolution, whose BatchNorm is folded.
            Assert.Contains("// res1.conv2 + res1.bn2 + res1: Conv 16@3x3 stride 1, Same 1/1, BatchNorm folded, + the shortcut ws[3072, 19456), Residual Basic16 + Identity, ReLU on the sum", code);
            Assert.Contains("afterAdd: global::CnnGen.Kernels.Activation.ReLU", code);
            Snapshot.Verify("ResidualNet", code);
        }

        [Fact]
        public void Editing_a_block_in_another_file_regenerates_the_network_that_uses_it()
        {
            CSharpCompilation first = Compilations.Create(ResNet, Blocks, "public class Other { public int X; }");
            GeneratorDriver driver = Compilations.Driver(track: true).RunGenerators(first);

            // An unrelated edit: cached.
            SyntaxTree other = first.SyntaxTrees.Last();
            CSharpCompilation second = first.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("public class Other { public int Y; }", Compilations.Parse, other.FilePath));
            driver = driver.RunGenerators(second);
            GeneratorRunResult run = driver.GetRunResult().Results.Single();
            Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output step was {o.Reason}"));

            // The block in the other file gets 24 filters in its gate: the network's model and code change.
            SyntaxTree blocks = second.SyntaxTrees.ElementAt(1);
            CSharpCompilation third = second.ReplaceSyntaxTree(blocks,
                CSharpSyntaxTree.ParseText(Blocks.Replace("Dense(10), ReLU, Dense(40)", "Dense(12), ReLU, Dense(40)"), Compilations.Parse, blocks.FilePath));
            run = driver.RunGenerators(third).GetRunResult().Results.Single();
            Assert.Contains(run.TrackedSteps[global::CnnGen.Generators.NetworkGenerator.ModelStep].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
            Assert.Contains("units: 12", run.GeneratedSources.Single().SourceText.ToString());
        }

        [Fact]
        public void A_network_whose_block_has_an_error_gets_only_member_declarations()
        {
            (Compilation output, GeneratorDriverRunResult result) = Compilations.Generate(ResNet, Blocks.Replace("[Block, Conv(32, 1, Stride = 2), BatchNorm] public class Project32", "[Block, Conv(0, 1, Stride = 2), BatchNorm] public class Project32"));
            Assert.Contains("has build errors", Single(result));
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            Diagnostic error = Assert.Single(Compilations.Analyze(output).Where(d => d.Severity == DiagnosticSeverity.Error));
            Assert.Equal("CNN0006", error.Id); // on the block, once; the network adds nothing of its own
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
            Assert.Contains(seen, t => t.Name == "BlockDeclaration");
            Assert.Contains(seen, t => t.Name == "OptionProblem");
        }
    }
}

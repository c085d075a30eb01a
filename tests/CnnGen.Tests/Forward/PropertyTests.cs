using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using CnnGen.Shapes;
using CnnGen.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// Random valid architectures (ranks, channels, kernels, strides, dilations, paddings, pools, activations) with
    /// random weights: the generated code against <see cref="ReferenceNetwork"/>.
    /// </summary>
    public class PropertyTests
    {
        private const int Architectures = 300;
        private readonly ITestOutputHelper _output;

        public PropertyTests(ITestOutputHelper output) => _output = output;

        /// <summary>3x3 stride-1 convolutions with 16 or more channels take the Winograd F(2x2, 3x3) path: check it on odd and even sizes and every padding.</summary>
        [Fact]
        public void Winograd_convolutions_match_the_reference()
        {
            var random = new Random(99);
            var architectures = new List<Architecture>();
            int n = 0;
            foreach (int c in new[] { 16, 24 })
                foreach (int size in new[] { 5, 8, 11 })
                    foreach (string padding in new[] { "valid", "same", "full", "pads" })
                    {
                        var conv = new LayerDeclaration(LayerKind.Conv) { Units = c == 16 ? 16 : 32, Kernel = new EquatableArray<int>(new[] { 3 }), Bias = n % 3 != 0 };
                        conv = padding switch
                        {
                            "same" => conv with { Padding = 1 },
                            "full" => conv with { Padding = 2 },
                            "pads" => conv with { Pads = new EquatableArray<int>(new[] { 0, 2, 1, 1 }) },
                            _ => conv,
                        };
                        var layers = new List<LayerDeclaration> { conv };
                        if (n % 2 == 0) layers.Add(new LayerDeclaration(LayerKind.ReLU));
                        layers.Add(new LayerDeclaration(LayerKind.Conv) { Units = 16, Kernel = new EquatableArray<int>(new[] { 3 }), Padding = 1 });
                        architectures.Add(new Architecture("W" + n++, new[] { c, size, size + 1 }, layers.ToArray()));
                    }
            CompareWithReference("Winograd", architectures, random, _ => 2, "");
            // The same layers with the project's CnnGen_Winograd = false sum their taps directly.
            CompareWithReference("Winograd", architectures, random, _ => 2, " (CnnGen_Winograd = false)",
                new Dictionary<string, string> { ["CnnGen_Winograd"] = "false" });
        }

        /// <summary>Compiles the architectures with the generator, runs them on random weights and inputs, and compares each sample with <see cref="ReferenceNetwork"/>.</summary>
        private static void CompareWithReference(string ns, List<Architecture> architectures, Random random, Func<int, int> batchOf, string context,
            IReadOnlyDictionary<string, string>? properties = null)
        {
            var source = new StringBuilder($"using CnnGen;\nnamespace {ns};\n");
            foreach (Architecture a in architectures) source.Append(RandomArchitectures.Declare(a));
            Assembly assembly = InMemoryNetworks.Compile(source.ToString(), properties);
            for (int index = 0; index < architectures.Count; index++)
            {
                Architecture a = architectures[index];
                Type type = assembly.GetType(ns + "." + a.Name, throwOnError: true)!;
                NetworkSpec spec = InMemoryNetworks.Spec(type);
                float[] parameters = RandomArchitectures.Parameters(spec, random);
                IConvNet net = InMemoryNetworks.Create(type, parameters);
                int batch = batchOf(index);
                float[] input = RandomArchitectures.Inputs(spec.InputLength * batch, random);
                var output = new float[spec.OutputLength * batch];
                net.Forward(input, output, batch);
                for (int n = 0; n < batch; n++)
                {
                    float[] sample = input.AsSpan(n * spec.InputLength, spec.InputLength).ToArray();
                    double[] expected = ReferenceNetwork.Run(a.Declaration, parameters, sample);
                    double scale = Math.Max(1, expected.Max(Math.Abs));
                    double[]? sensitivity = null;
                    for (int i = 0; i < expected.Length; i++)
                    {
                        double actual = output[n * spec.OutputLength + i], error = Math.Abs(actual - expected[i]);
                        double allowed = 1e-5 * scale + 1e-4 * Math.Abs(expected[i]);
                        if (error <= allowed) continue;
                        // An output that float arithmetic itself cannot get closer (a dense layer summing thousands of
                        // terms to a small value) is allowed a few times what a change of 1e-6 in the weights and input
                        // moves it; a wrong computation moves outputs far more.
                        sensitivity ??= Sensitivity(a, parameters, sample, expected);
                        if (error > allowed + 4 * sensitivity[i])
                            Assert.Fail($"{a.Name}{context}, sample {n}, output {i}: generated {actual}, reference {expected[i]} (moved {sensitivity[i]:E2} by 1e-6 in the weights and input)\n{RandomArchitectures.Declare(a)}\n{spec.Summary}");
                    }
                }
            }
        }

        /// <summary>
        /// How far each reference output moves when every weight and input value is scaled by 1 +- 1e-6 (signs drawn at
        /// random; the larger change of two draws): the size of the error that float32 rounding, about 6e-8 per value
        /// and operation, leaves in an output that depends on many of them.
        /// </summary>
        private static double[] Sensitivity(Architecture a, float[] parameters, float[] input, double[] expected)
        {
            var signs = new Random(1);
            float Nudge(float v) => v * (1 + (signs.Next(2) * 2 - 1) * 1e-6f);
            var moved = new double[expected.Length];
            for (int draw = 0; draw < 2; draw++)
            {
                double[] other = ReferenceNetwork.Run(a.Declaration, parameters.Select(Nudge).ToArray(), input.Select(Nudge).ToArray());
                for (int i = 0; i < moved.Length; i++) moved[i] = Math.Max(moved[i], Math.Abs(other[i] - expected[i]));
            }
            return moved;
        }

        /// <summary>
        /// Maps of fewer than 8 channels stay compact (C floats per position) where every step reads them as they lie: for
        /// one channel a gate, a standalone BatchNorm and global pooling too; a residual sum, a view, flattening, an
        /// activation, upsampling, zero padding, a convolution or a depthwise one with a multiplier reading them, a network
        /// output that is such a map; where some step does not (pooling, a gate computed by a convolution, a BatchNorm or a
        /// gate over more channels) they keep 8 lanes. Each at batch 1, 3 and 17 (a chunk and more).
        /// </summary>
        // Declarations written by hand: a layer, an int list, a block of layers, a block's key.
        private static LayerDeclaration L(LayerKind kind) => new(kind);
        private static EquatableArray<int> I(params int[] v) => new(v);
        private static BlockDeclaration B(string key, params LayerDeclaration[] layers) => new(key, key, BlockStatus.Block, new EquatableArray<LayerDeclaration>(layers));
        private static EquatableArray<string> K(string key) => new(new[] { key });

        [Fact]
        public void Maps_of_few_channels_kept_compact_match_the_reference()
        {
            var dense1 = L(LayerKind.Dense) with { Units = 1 };
            var architectures = new List<Architecture>
            {
                new("C1", new[] { 1, 6, 10 }, new[] { L(LayerKind.Multiply) with { Blocks = K("C1G") }, L(LayerKind.Dropout), L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 4 } })
                    { Blocks = new[] { B("C1G", L(LayerKind.GlobalAvgPool), dense1, L(LayerKind.ReLU), dense1, L(LayerKind.Sigmoid)) } },
                new("C2", new[] { 1, 6, 13 }, new[]
                {
                    L(LayerKind.Residual) with { Blocks = K("C2R") }, L(LayerKind.Multiply) with { Blocks = K("C2G") }, L(LayerKind.GlobalMaxPool), L(LayerKind.Dense) with { Units = 3 },
                })
                { Blocks = new[] { B("C2R", L(LayerKind.ELU) with { Alpha = 0.7f }), B("C2G", L(LayerKind.GlobalMaxPool), dense1, L(LayerKind.HardSigmoid)) } },
                new("C3", new[] { 1, 5, 6, 3 }, new[]
                {
                    L(LayerKind.DepthwiseConv) with { Kernel = I(1), Stride = 2, Padding = 2, Multiplier = 2 }, L(LayerKind.Flatten), L(LayerKind.Softmax),
                }),
                new("C4", new[] { 1, 9, 7 }, new[]
                {
                    L(LayerKind.DepthwiseConv) with { Kernel = I(2), Padding = 1, Multiplier = 3 }, L(LayerKind.ReLU), L(LayerKind.GlobalAvgPool), L(LayerKind.Dense) with { Units = 2 },
                }),
                new("C5", new[] { 1, 40 }, new[]
                {
                    L(LayerKind.BatchNorm), L(LayerKind.Tanh), L(LayerKind.Conv) with { Units = 2, Kernel = I(3), Padding = 1 }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 3 },
                }),
                new("C6", new[] { 1, 7, 9 }, new[] { L(LayerKind.LeakyReLU) with { Alpha = 0.1f }, L(LayerKind.Residual) with { Blocks = K("C6R") } })
                    { Blocks = new[] { B("C6R", L(LayerKind.Sigmoid)) } },
                new("C7", new[] { 1, 8, 8 }, new[] { L(LayerKind.ReLU), L(LayerKind.MaxPool) with { Kernel = I(2) }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 2 } }),
                new("C8", new[] { 1, 12 }, new[] { L(LayerKind.Multiply) with { Blocks = K("C8G") }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 2 } })
                    { Blocks = new[] { B("C8G", L(LayerKind.Conv) with { Units = 1, Kernel = I(1) }, L(LayerKind.Sigmoid)) } },
                // A few channels: upsampling, zero padding (channels appended too), element-wise steps, a sum, a network
                // output of a compact map; a BatchNorm or a gate over more than one channel keeps them at 8 lanes.
                new("C9", new[] { 3, 26 }, new[] { L(LayerKind.Upsample) with { Scale = I(3) }, L(LayerKind.Conv) with { Units = 6, Kernel = I(3), Padding = 1 }, L(LayerKind.Flatten) }),
                new("C10", new[] { 2, 5, 6 }, new[]
                {
                    L(LayerKind.ZeroPad) with { Pads = I(1, 0, 2, 1) }, L(LayerKind.ReLU), L(LayerKind.Upsample) with { Scale = I(2) },
                    L(LayerKind.Conv) with { Units = 4, Kernel = I(3) }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 3 },
                }),
                new("C11", new[] { 3, 4, 5 }, new[]
                {
                    L(LayerKind.ZeroPad) with { Pads = I(1), Channels = 2 }, L(LayerKind.Sigmoid), L(LayerKind.Conv) with { Units = 2, Kernel = I(2) }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 2 },
                }),
                new("C12", new[] { 2, 7 }, new[] { L(LayerKind.Tanh), L(LayerKind.Residual) with { Blocks = K("C12R") } })
                    { Blocks = new[] { B("C12R", L(LayerKind.ELU)) } },
                new("C13", new[] { 3, 6, 6 }, new[] { L(LayerKind.BatchNorm), L(LayerKind.Conv) with { Units = 4, Kernel = I(3) }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 2 } }),
                new("C14", new[] { 2, 6, 6 }, new[] { L(LayerKind.Multiply) with { Blocks = K("C14G") }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 2 } })
                    { Blocks = new[] { B("C14G", L(LayerKind.GlobalAvgPool), dense1, L(LayerKind.ReLU), L(LayerKind.Dense) with { Units = 2 }, L(LayerKind.Sigmoid)) } },
            };
            var random = new Random(7);
            foreach (int batch in new[] { 1, 3, 17 })
                CompareWithReference("Compact" + batch, architectures, random, _ => batch, $" (batch {batch})");
        }

        [Fact]
        public void Activations_after_a_sum_keep_their_alpha()
        {
            // A LeakyReLU or ELU after a residual is applied where the sum is made (a convolution's store or Merge.Add):
            // with its own alpha, not the convolution's.
            var conv = L(LayerKind.Conv) with { Units = 8, Kernel = I(3), Padding = 1 };
            var architectures = new List<Architecture>
            {
                new("S1", new[] { 8, 6, 6 }, new[] { L(LayerKind.Residual) with { Blocks = K("S1R") }, L(LayerKind.LeakyReLU) with { Alpha = 0.3f }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 3 } })
                    { Blocks = new[] { B("S1R", conv, L(LayerKind.ReLU), conv) } },
                new("S2", new[] { 8, 6, 6 }, new[] { L(LayerKind.Residual) with { Blocks = K("S2R") }, L(LayerKind.ELU) with { Alpha = 0.4f }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 3 } })
                    { Blocks = new[] { B("S2R", conv, L(LayerKind.LeakyReLU) with { Alpha = 0.05f }, conv) } },
                new("S3", new[] { 8, 6, 6 }, new[] { L(LayerKind.Residual) with { Blocks = K("S3R") }, L(LayerKind.LeakyReLU) with { Alpha = 0.25f }, L(LayerKind.Flatten), L(LayerKind.Dense) with { Units = 3 } })
                    { Blocks = new[] { B("S3R", L(LayerKind.Sigmoid)) } },
            };
            var random = new Random(11);
            foreach (int batch in new[] { 1, 5 })
                CompareWithReference("Sums" + batch, architectures, random, _ => batch, $" (batch {batch})");
        }

        [Fact]
        public void Generated_code_matches_the_reference_on_random_architectures()
        {
            int seed = Environment.GetEnvironmentVariable("CNNGEN_PROPERTY_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 20261126;
            var random = new Random(seed);
            List<Architecture> architectures = RandomArchitectures.CreateMany(random, "P", Architectures);

            var kinds = new HashSet<string>();
            // Small networks run 2 or more samples in chunks of up to 16, layer by layer (17: a full chunk and one more);
            // larger ones run 4 and more through their dense stage on rows of samples.
            CompareWithReference("Property", architectures, random, i => i % 8 == 7 ? 17 : 1 + i % 6, $" (seed {seed})");
            foreach (Architecture a in architectures)
                foreach (LayerDeclaration l in a.AllLayers)
                {
                    kinds.Add(l.Kind.ToString() + (a.Input.Length - 1) + "D");
                    if (l.Groups > 1) kinds.Add("GroupedConv" + (a.Input.Length - 1) + "D");
                    if (l.Repeat > 1) kinds.Add("Repeat");
                    if (l.Shortcut is not null) kinds.Add("Shortcut");
                    if (l.Blocks.Contains(BlockDeclaration.IdentityKey)) kinds.Add("ConcatIdentity");
                }
            _output.WriteLine($"{architectures.Count} architectures, seed {seed}; layer kinds and ranks covered: {string.Join(", ", kinds.OrderBy(k => k))}");
            foreach (string kind in new[]
                     {
                         "Conv1D", "Conv2D", "Conv3D", "MaxPool2D", "AvgPool3D", "Dense1D", "BatchNorm2D", "Softmax2D", "GlobalAvgPool1D", "GlobalMaxPool3D", "ELU2D",
                         "LeakyReLU3D", "Residual1D", "Residual2D", "Residual3D", "Concat1D", "Concat2D", "Concat3D", "Multiply2D", "Multiply3D", "Sequential2D",
                         "DepthwiseConv1D", "DepthwiseConv2D", "DepthwiseConv3D", "GroupedConv2D", "Upsample1D", "Upsample2D", "Upsample3D", "ZeroPad2D", "ZeroPad3D",
                         "ReLU62D", "HardSigmoid2D", "HardSwish2D", "SiLU2D", "Dropout2D", "Repeat", "Shortcut", "ConcatIdentity",
                     })
                Assert.Contains(kind, kinds);
        }

    }
}

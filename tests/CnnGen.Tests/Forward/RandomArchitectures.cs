using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Tests.Forward
{
    /// <summary>A network declaration drawn at random: its layers and the blocks they use.</summary>
    internal sealed record Architecture(string Name, int[] Input, LayerDeclaration[] Layers)
    {
        public BlockDeclaration[] Blocks { get; init; } = Array.Empty<BlockDeclaration>();

        public NetworkDeclaration Declaration => new(Name, new EquatableArray<int>(Input), new EquatableArray<LayerDeclaration>(Layers))
        {
            Blocks = new EquatableArray<BlockDeclaration>(Blocks),
        };

        /// <summary>Every layer, the blocks' included.</summary>
        public IEnumerable<LayerDeclaration> AllLayers => Layers.Concat(Blocks.SelectMany(b => b.Layers));
    }

    /// <summary>
    /// Random valid architectures: ranks 1-3, channels, kernels, strides, dilations, paddings, pools, activations; and
    /// branches: residuals (identity and projection shortcuts, repeated), concatenations (with the identity), gates
    /// (per channel and per value), inverted residuals with a gate nested inside, grouped and depthwise convolutions,
    /// upsampling and zero padding.
    /// </summary>
    internal static class RandomArchitectures
    {
        /// <summary>Random weights in [-0.5, 0.5), BatchNorm variances in [0.5, 1.5) so that they stay sane.</summary>
        public static float[] Parameters(NetworkSpec spec, Random random)
        {
            float[] parameters = Enumerable.Range(0, (int)spec.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            foreach (var t in spec.Parameters.Where(t => t.Suffix == "running_var"))
                for (int i = 0; i < t.Length; i++) parameters[t.Offset + i] = (float)(0.5 + random.NextDouble());
            return parameters;
        }

        /// <summary>Random inputs in [-1, 1).</summary>
        public static float[] Inputs(int length, Random random) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        public static List<Architecture> CreateMany(Random random, string prefix, int count, bool branches = true)
        {
            var architectures = new List<Architecture>();
            while (architectures.Count < count)
            {
                string name = prefix + architectures.Count;
                Architecture a = branches && random.Next(3) != 0 ? CreateBranching(random, name) : Create(random, name);
                NetworkAnalysis analysis = NetworkChecker.Analyze(a.Declaration);
                if (!analysis.HasErrors && analysis.ParameterCount < 200_000 && analysis.Macs < 2_000_000) architectures.Add(a);
            }
            return architectures;
        }

        /// <summary>A plain chain of layers.</summary>
        public static Architecture Create(Random r, string name)
        {
            int d = r.Next(1, 4);
            int[] input = Input(r, d);
            var layers = new List<LayerDeclaration>();
            int blocks = r.Next(1, 4);
            for (int b = 0; b < blocks; b++) PlainStage(r, d, layers);
            Head(r, layers);
            return new Architecture(name, input, layers.ToArray());
        }

        private static int[] Input(Random r, int d)
        {
            int[] sizes = Enumerable.Range(0, d).Select(_ => d switch { 1 => r.Next(6, 40), 2 => r.Next(4, 15), _ => r.Next(3, 8) }).ToArray();
            return new[] { r.Next(1, 4) }.Concat(sizes).ToArray();
        }

        private static void PlainStage(Random r, int d, List<LayerDeclaration> layers)
        {
            layers.Add(Window(r, LayerKind.Conv, d) with { Units = r.Next(1, 6), Bias = r.Next(4) != 0 });
            if (r.Next(3) == 0) layers.Add(BatchNorm(r));
            if (r.Next(4) != 0) layers.Add(Activation(r));
            if (r.Next(2) == 0)
                layers.Add(Window(r, r.Next(2) == 0 ? LayerKind.MaxPool : LayerKind.AvgPool, d) with { CountIncludePad = r.Next(2) == 0 });
        }

        private static void Head(Random r, List<LayerDeclaration> layers)
        {
            switch (r.Next(3))
            {
                case 0: layers.Add(new LayerDeclaration(r.Next(2) == 0 ? LayerKind.GlobalAvgPool : LayerKind.GlobalMaxPool)); break;
                default: layers.Add(new LayerDeclaration(LayerKind.Flatten)); break;
            }
            int dense = r.Next(0, 3);
            for (int i = 0; i < dense; i++)
            {
                layers.Add(new LayerDeclaration(LayerKind.Dense) { Units = r.Next(1, 9), Bias = r.Next(4) != 0 });
                if (r.Next(2) == 0) layers.Add(Activation(r));
            }
            if (r.Next(3) == 0) layers.Add(new LayerDeclaration(LayerKind.Softmax));
        }

        private static LayerDeclaration BatchNorm(Random r) => new(LayerKind.BatchNorm) { Epsilon = r.Next(2) == 0 ? 1e-5f : 1e-3f };

        private static LayerDeclaration Activation(Random r) => r.Next(10) switch
        {
            0 => new LayerDeclaration(LayerKind.ReLU),
            1 => new LayerDeclaration(LayerKind.LeakyReLU) { Alpha = (float)Math.Round(r.NextDouble() * 0.3, 3) },
            2 => new LayerDeclaration(LayerKind.ELU) { Alpha = (float)Math.Round(0.5 + r.NextDouble(), 3) },
            3 => new LayerDeclaration(LayerKind.Sigmoid),
            4 => new LayerDeclaration(LayerKind.Tanh),
            5 => new LayerDeclaration(LayerKind.ReLU6),
            6 => new LayerDeclaration(LayerKind.HardSigmoid),
            7 => new LayerDeclaration(LayerKind.HardSwish),
            8 => new LayerDeclaration(LayerKind.SiLU),
            _ => new LayerDeclaration(LayerKind.Dropout) { Alpha = 0.25f },
        };

        private static LayerDeclaration Window(Random r, LayerKind kind, int d)
        {
            bool conv = kind == LayerKind.Conv;
            int[] kernel = r.Next(3) == 0 ? Enumerable.Range(0, d).Select(_ => r.Next(1, 4)).ToArray() : new[] { r.Next(1, 4) };
            var l = new LayerDeclaration(kind) { Kernel = new EquatableArray<int>(kernel) };
            int stride = r.Next(1, 3);
            if (r.Next(3) == 0) l = l with { Strides = new EquatableArray<int>(Enumerable.Range(0, d).Select(_ => r.Next(1, 3)).ToArray()) };
            else if (r.Next(2) == 0 || conv) l = l with { Stride = stride };
            int[] dil = Enumerable.Repeat(1, d).ToArray();
            if (conv && r.Next(4) == 0)
            {
                dil = Enumerable.Range(0, d).Select(_ => r.Next(1, 3)).ToArray();
                l = l with { Dilations = new EquatableArray<int>(dil) };
            }
            switch (r.Next(4))
            {
                case 0: break; // Valid
                case 1: l = l with { Padding = 1 }; break;
                case 2: l = l with { Padding = 2 }; break;
                default:
                    int[] f = kernel.Length == 1 ? Enumerable.Repeat(kernel[0], d).ToArray() : kernel;
                    int[] pads = Enumerable.Range(0, 2 * d).Select(i => r.Next(0, dil[i % d] * (f[i % d] - 1) + 1)).ToArray();
                    l = l with { Pads = new EquatableArray<int>(pads) };
                    break;
            }
            return l;
        }

        // ---- branching networks ---------------------------------------------------------------------------

        /// <summary>Builds a branching network stage by stage, keeping track of the channels so that the blocks fit.</summary>
        private sealed class Builder
        {
            private readonly Random _r;
            private readonly string _name;
            private readonly List<BlockDeclaration> _blocks = new();

            public Builder(Random r, string name, int channels)
            {
                _r = r;
                _name = name;
                Channels = channels;
            }

            public int Channels { get; set; }

            public IReadOnlyList<BlockDeclaration> Blocks => _blocks;

            /// <summary>A new [Block] with <paramref name="layers"/>; returns its key (its class name).</summary>
            public string Block(params LayerDeclaration[] layers)
            {
                string key = _name + "B" + _blocks.Count;
                _blocks.Add(new BlockDeclaration(key, key, BlockStatus.Block, new EquatableArray<LayerDeclaration>(layers)));
                return key;
            }

            /// <summary>A convolution that keeps the spatial size (Same, stride 1), sometimes grouped.</summary>
            public LayerDeclaration SameConv(int channels, int filters, int kernel)
            {
                var conv = new LayerDeclaration(LayerKind.Conv) { Units = filters, Kernel = new EquatableArray<int>(new[] { kernel }), Padding = 1, Bias = _r.Next(3) != 0 };
                int g = _r.Next(1, 4);
                if (g > 1 && channels % g == 0 && filters % g == 0) conv = conv with { Groups = g };
                return conv;
            }

            public int K() => _r.Next(1, 7);
        }

        public static Architecture CreateBranching(Random r, string name)
        {
            int d = r.Next(1, 4);
            int[] input = Input(r, d);
            var b = new Builder(r, name, input[0]);
            var layers = new List<LayerDeclaration>();
            int stages = r.Next(1, 4);
            for (int s = 0; s < stages; s++)
            {
                switch (r.Next(10))
                {
                    case 0:
                        PlainStage(r, d, layers);
                        b.Channels = layers.Last(l => l.Kind == LayerKind.Conv).Units!.Value;
                        break;
                    case 1: // a residual around a block that keeps the shape, repeated, ReLU on the sum or not
                    {
                        int c = b.Channels;
                        var block = new List<LayerDeclaration> { b.SameConv(c, c, r.Next(2) == 0 ? 3 : 1) };
                        if (r.Next(2) == 0) block.Add(BatchNorm(r));
                        block.Add(Activation(r));
                        block.Add(b.SameConv(c, c, 3));
                        if (r.Next(2) == 0) block.Add(BatchNorm(r));
                        layers.Add(new LayerDeclaration(LayerKind.Residual)
                        {
                            Blocks = Keys(b.Block(block.ToArray())), ReLU = r.Next(2) == 0, Repeat = r.Next(3) == 0 ? 2 : null,
                        });
                        break;
                    }
                    case 2: // a residual that halves the size and changes the channels, with a projection shortcut
                    {
                        int k = b.K();
                        var block = new List<LayerDeclaration>
                        {
                            new(LayerKind.Conv) { Units = k, Kernel = new EquatableArray<int>(new[] { 3 }), Stride = 2, Padding = 1 },
                            Activation(r),
                            b.SameConv(k, k, 3),
                        };
                        var shortcut = new List<LayerDeclaration> { new(LayerKind.Conv) { Units = k, Kernel = new EquatableArray<int>(new[] { 1 }), Stride = 2, Bias = false } };
                        if (r.Next(2) == 0) shortcut.Add(BatchNorm(r));
                        layers.Add(new LayerDeclaration(LayerKind.Residual) { Blocks = Keys(b.Block(block.ToArray())), Shortcut = b.Block(shortcut.ToArray()), ReLU = true });
                        b.Channels = k;
                        break;
                    }
                    case 3: // a concatenation of 2-3 branches that keep the size, one may be x itself
                    {
                        int c = b.Channels, total = 0;
                        var keys = new List<string>();
                        for (int i = r.Next(2, 4); i > 0; i--)
                        {
                            int k = b.K();
                            switch (r.Next(4))
                            {
                                case 0: keys.Add(BlockDeclaration.IdentityKey); total += c; continue;
                                case 1: keys.Add(b.Block(b.SameConv(c, k, 1))); break;
                                case 2: keys.Add(b.Block(b.SameConv(c, k, 1), Activation(r), b.SameConv(k, k, 3))); break;
                                default:
                                    keys.Add(b.Block(new LayerDeclaration(LayerKind.MaxPool) { Kernel = new EquatableArray<int>(new[] { 3 }), Stride = 1, Padding = 1 }, b.SameConv(c, k, 1)));
                                    break;
                            }
                            total += k;
                        }
                        layers.Add(new LayerDeclaration(LayerKind.Concat) { Blocks = new EquatableArray<string>(keys.ToArray()) });
                        b.Channels = total;
                        break;
                    }
                    case 4: // squeeze-and-excitation: a gate of one factor per channel, or a gate of x's shape
                        layers.Add(new LayerDeclaration(LayerKind.Multiply) { Blocks = Keys(Gate(r, b, b.Channels)) });
                        break;
                    case 5: // MobileNetV2's inverted residual, a gate nested inside, in a Sequential
                    {
                        int c = b.Channels, hidden = c * r.Next(1, 4);
                        var block = new List<LayerDeclaration>
                        {
                            new(LayerKind.Conv) { Units = hidden, Kernel = new EquatableArray<int>(new[] { 1 }), Bias = false },
                            BatchNorm(r),
                            new(LayerKind.ReLU6),
                            new(LayerKind.DepthwiseConv) { Kernel = new EquatableArray<int>(new[] { 3 }), Padding = 1, Bias = r.Next(2) == 0 },
                            new(r.Next(2) == 0 ? LayerKind.ReLU6 : LayerKind.HardSwish),
                        };
                        if (r.Next(2) == 0) block.Add(new LayerDeclaration(LayerKind.Multiply) { Blocks = Keys(Gate(r, b, hidden)) });
                        block.Add(new LayerDeclaration(LayerKind.Conv) { Units = c, Kernel = new EquatableArray<int>(new[] { 1 }) });
                        string residual = b.Block(new LayerDeclaration(LayerKind.Residual) { Blocks = Keys(b.Block(block.ToArray())) });
                        layers.Add(new LayerDeclaration(LayerKind.Sequential) { Blocks = Keys(residual) });
                        break;
                    }
                    case 6: // a depthwise convolution with a multiplier and a stride
                    {
                        int m = r.Next(1, 3);
                        layers.Add(new LayerDeclaration(LayerKind.DepthwiseConv)
                        {
                            Kernel = new EquatableArray<int>(new[] { r.Next(1, 4) }), Multiplier = m, Stride = r.Next(1, 3), Padding = r.Next(3),
                        });
                        b.Channels *= m;
                        break;
                    }
                    case 7: // nearest upsampling
                        layers.Add(new LayerDeclaration(LayerKind.Upsample) { Scale = new EquatableArray<int>(new[] { r.Next(2, 4) }) });
                        layers.Add(b.SameConv(b.Channels, b.K(), 3));
                        b.Channels = layers[layers.Count - 1].Units!.Value;
                        break;
                    case 8: // zero padding, and zero channels appended
                    {
                        int extra = r.Next(0, 3);
                        layers.Add(new LayerDeclaration(LayerKind.ZeroPad)
                        {
                            Pads = new EquatableArray<int>(r.Next(2) == 0 ? new[] { r.Next(0, 3) } : Enumerable.Range(0, 2 * d).Select(_ => r.Next(0, 3)).ToArray()),
                            Channels = extra == 0 ? null : extra,
                        });
                        b.Channels += extra;
                        break;
                    }
                    default: // a grouped convolution
                    {
                        int g = r.Next(2, 4);
                        layers.Add(new LayerDeclaration(LayerKind.Conv)
                        {
                            Units = g * r.Next(1, 4), Kernel = new EquatableArray<int>(new[] { r.Next(1, 4) }), Groups = g, Padding = 1,
                        });
                        if (r.Next(2) == 0) layers.Add(Activation(r));
                        break;
                    }
                }
            }
            Head(r, layers);
            if (r.Next(4) == 0)
            {
                // A residual on vectors: y = x + Dense(Dense(x)).
                int n = 4;
                layers.Add(new LayerDeclaration(LayerKind.Dense) { Units = n });
                layers.Add(new LayerDeclaration(LayerKind.Residual)
                {
                    Blocks = Keys(b.Block(new LayerDeclaration(LayerKind.Dense) { Units = n }, Activation(r), new LayerDeclaration(LayerKind.Dense) { Units = n })),
                });
            }
            return new Architecture(name, input, layers.ToArray()) { Blocks = b.Blocks.ToArray() };
        }

        private static EquatableArray<string> Keys(params string[] keys) => new(keys);

        /// <summary>A gate for <paramref name="channels"/> channels: [C] after a global pool, or x's shape from a 1x1 convolution.</summary>
        private static string Gate(Random r, Builder b, int channels) => r.Next(3) == 0
            ? b.Block(b.SameConv(channels, channels, 1), new LayerDeclaration(LayerKind.Sigmoid))
            : b.Block(
                new LayerDeclaration(LayerKind.GlobalAvgPool),
                new LayerDeclaration(LayerKind.Dense) { Units = Math.Max(1, channels / 2) },
                new LayerDeclaration(LayerKind.ReLU),
                new LayerDeclaration(LayerKind.Dense) { Units = channels },
                new LayerDeclaration(r.Next(2) == 0 ? LayerKind.Sigmoid : LayerKind.HardSigmoid));

        public static string Declare(Architecture a) => DeclarationWriter.Write(a.Declaration);
    }
}

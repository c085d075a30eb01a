using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CnnGen.Shapes;

namespace CnnGen.Tests.Forward
{
    internal sealed record Architecture(string Name, int[] Input, LayerDeclaration[] Layers);

    /// <summary>Random valid architectures: ranks 1-3, channels, kernels, strides, dilations, paddings, pools, activations.</summary>
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

        public static List<Architecture> CreateMany(Random random, string prefix, int count)
        {
            var architectures = new List<Architecture>();
            while (architectures.Count < count)
            {
                Architecture a = Create(random, prefix + architectures.Count);
                NetworkAnalysis analysis = NetworkChecker.Analyze(new NetworkDeclaration(a.Name, new EquatableArray<int>(a.Input), new EquatableArray<LayerDeclaration>(a.Layers)));
                if (!analysis.HasErrors && analysis.ParameterCount < 200_000 && analysis.Macs < 2_000_000) architectures.Add(a);
            }
            return architectures;
        }

        public static Architecture Create(Random r, string name)
        {
            int d = r.Next(1, 4);
            int[] sizes = Enumerable.Range(0, d).Select(_ => d switch { 1 => r.Next(6, 40), 2 => r.Next(4, 15), _ => r.Next(3, 8) }).ToArray();
            int[] input = new[] { r.Next(1, 4) }.Concat(sizes).ToArray();
            var layers = new List<LayerDeclaration>();
            int blocks = r.Next(1, 4);
            for (int b = 0; b < blocks; b++)
            {
                layers.Add(Window(r, LayerKind.Conv, d) with { Units = r.Next(1, 6), Bias = r.Next(4) != 0 });
                if (r.Next(3) == 0) layers.Add(new LayerDeclaration(LayerKind.BatchNorm) { Epsilon = r.Next(2) == 0 ? 1e-5f : 1e-3f });
                if (r.Next(4) != 0) layers.Add(Activation(r));
                if (r.Next(2) == 0)
                    layers.Add(Window(r, r.Next(2) == 0 ? LayerKind.MaxPool : LayerKind.AvgPool, d) with { CountIncludePad = r.Next(2) == 0 });
            }
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
            return new Architecture(name, input, layers.ToArray());
        }

        private static LayerDeclaration Activation(Random r) => r.Next(5) switch
        {
            0 => new LayerDeclaration(LayerKind.ReLU),
            1 => new LayerDeclaration(LayerKind.LeakyReLU) { Alpha = (float)Math.Round(r.NextDouble() * 0.3, 3) },
            2 => new LayerDeclaration(LayerKind.ELU) { Alpha = (float)Math.Round(0.5 + r.NextDouble(), 3) },
            3 => new LayerDeclaration(LayerKind.Sigmoid),
            _ => new LayerDeclaration(LayerKind.Tanh),
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

        public static string Declare(Architecture a) =>
            DeclarationWriter.Write(new NetworkDeclaration(a.Name, new EquatableArray<int>(a.Input), new EquatableArray<LayerDeclaration>(a.Layers)));
    }
}

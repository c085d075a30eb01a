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

        [Fact]
        public void Generated_code_matches_the_reference_on_random_architectures()
        {
            int seed = Environment.GetEnvironmentVariable("CNNGEN_PROPERTY_SEED") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 20261126;
            var random = new Random(seed);
            List<Architecture> architectures = RandomArchitectures.CreateMany(random, "P", Architectures);

            var source = new StringBuilder("using CnnGen;\nnamespace Property;\n");
            foreach (Architecture a in architectures) source.Append(RandomArchitectures.Declare(a));
            Assembly assembly = InMemoryNetworks.Compile(source.ToString());

            var kinds = new HashSet<string>();
            foreach (Architecture a in architectures)
            {
                Type type = assembly.GetType("Property." + a.Name, throwOnError: true)!;
                NetworkSpec spec = InMemoryNetworks.Spec(type);
                float[] parameters = Enumerable.Range(0, (int)spec.ParameterCount).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
                // BatchNorm variances must be positive: the reference and the code agree on any weights, but keep them sane.
                foreach (var t in spec.Parameters.Where(t => t.Suffix == "running_var"))
                    for (int i = 0; i < t.Length; i++) parameters[t.Offset + i] = (float)(0.5 + random.NextDouble());
                IConvNet net = InMemoryNetworks.Create(type, parameters);
                int batch = 1 + architectures.IndexOf(a) % 6; // 4 and more run the dense stage on rows of samples
                float[] input = Enumerable.Range(0, spec.InputLength * batch).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                var output = new float[spec.OutputLength * batch];
                net.Forward(input, output, batch);
                for (int n = 0; n < batch; n++)
                {
                    double[] expected = ReferenceNetwork.Run(a.Input, a.Layers, parameters, input.AsSpan(n * spec.InputLength, spec.InputLength));
                    double scale = Math.Max(1, expected.Max(Math.Abs));
                    for (int i = 0; i < expected.Length; i++)
                    {
                        double actual = output[n * spec.OutputLength + i];
                        if (Math.Abs(actual - expected[i]) > 1e-5 * scale + 1e-4 * Math.Abs(expected[i]))
                            Assert.Fail($"{a.Name} (seed {seed}), sample {n}, output {i}: generated {actual}, reference {expected[i]}\n{RandomArchitectures.Declare(a)}\n{spec.Summary}");
                    }
                }
                foreach (LayerDeclaration l in a.Layers) kinds.Add(l.Kind + (l.Kernel.Count > 0 ? "" : "") + (a.Input.Length - 1) + "D");
            }
            _output.WriteLine($"{architectures.Count} architectures, seed {seed}; layer kinds and ranks covered: {string.Join(", ", kinds.OrderBy(k => k))}");
            foreach (string kind in new[] { "Conv1D", "Conv2D", "Conv3D", "MaxPool2D", "AvgPool3D", "Dense1D", "BatchNorm2D", "Softmax2D", "GlobalAvgPool1D", "GlobalMaxPool3D", "ELU2D", "LeakyReLU3D" })
                Assert.Contains(kind, kinds);
        }

    }
}

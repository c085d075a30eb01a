using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Weights
{
    /// <summary>mnist-8 declared as source text (the trained model's layers), for the tests that compile or build it with Weights.</summary>
    internal static class Mnist8Source
    {
        /// <summary>The layer attributes after [ConvNet] and the class.</summary>
        public const string Layers = """
            [Conv(8, 5, Padding = Padding.Same), ReLU]
            [MaxPool(2)]
            [Conv(16, 5, Padding = Padding.Same), ReLU]
            #pragma warning disable CNN0011
            [MaxPool(3)]
            #pragma warning restore CNN0011
            [Flatten]
            [Dense(10)]
            public partial class Mnist8 { }
            """;

        /// <summary>[ConvNet(1, 28, 28, Weights = "<paramref name="weights"/>")] on its first line, then <paramref name="layers"/>.</summary>
        public static string Declaration(string weights, string layers = Layers) =>
            "[ConvNet(1, 28, 28, Weights = \"" + weights + "\")]\n" + layers + "\n";

        /// <summary>
        /// A program shipping mnist-8 (Weights = "mnist-8.onnx" on line 5, column 21) that runs Mnist8.Default on the three
        /// reference inputs in the folder of its first argument and prints "Set{n}=" and the logits.
        /// </summary>
        public static readonly string ShippedProgram = """
            using System;
            using System.Globalization;
            using System.Linq;
            using CnnGen;

            """ + Declaration("mnist-8.onnx") + """
            public static class Program
            {
                public static void Main(string[] args)
                {
                    var logits = new float[Mnist8.OutputLength];
                    for (int set = 0; set < 3; set++)
                    {
                        float[] input = OnnxData.ReadTensor(System.IO.Path.Combine(args[0], $"test_data_set_{set}", "input_0.pb"), out _);
                        Mnist8.Default.Forward(input, logits);
                        Console.WriteLine($"Set{set}=" + string.Join(" ", logits.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                    }
                }
            }
            """;

        public static string Dir => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8"));

        /// <summary>A folder under <paramref name="work"/> with the three reference inputs and no model.</summary>
        public static string InputsOnly(string work)
        {
            string inputs = Path.Combine(work, "inputs");
            for (int set = 0; set < 3; set++)
            {
                Directory.CreateDirectory(Path.Combine(inputs, $"test_data_set_{set}"));
                File.Copy(Path.Combine(Dir, $"test_data_set_{set}", "input_0.pb"), Path.Combine(inputs, $"test_data_set_{set}", "input_0.pb"));
            }
            return inputs;
        }

        /// <summary>The three "Set{n}=" lines of <see cref="ShippedProgram"/>'s output are mnist-8's reference outputs.</summary>
        public static void AssertReferenceOutputs(string output)
        {
            for (int set = 0; set < 3; set++)
            {
                float[] expected = OnnxData.ReadTensor(Path.Combine(Dir, $"test_data_set_{set}", "output_0.pb"), out _);
                float[] logits = Regex.Match(output, $"Set{set}=(.*)").Groups[1].Value.Trim().Split(' ')
                    .Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(expected.Length, logits.Length);
                Assert.True(logits.Zip(expected, (a, b) => MathF.Abs(a - b)).Max() <= 1e-4f * expected.Max(MathF.Abs), output);
            }
        }
    }
}

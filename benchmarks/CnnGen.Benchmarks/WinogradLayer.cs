using System;
using BenchmarkDotNet.Attributes;
using CnnGen.Kernels;

namespace CnnGen.Benchmarks
{
    /// <summary>
    /// One 3x3 stride-1 layer, Winograd F(2x2, 3x3) against the direct sum that
    /// <c>&lt;CnnGen_Winograd&gt;false&lt;/CnnGen_Winograd&gt;</c> selects: the cost of that project option, and where
    /// Winograd starts to pay (KernelLayout.WinogradChannels: from 24 input channels; 16 into 16 stays direct). One thread.
    /// </summary>
    public class WinogradLayer
    {
        [Params("32x32, 16->16", "32x32, 24->32", "16x16, 32->32", "32x32, 32->32", "24x24, 48->48", "16x16, 64->64")]
        public string Layer { get; set; } = "";

        private ConvWeights _weights = null!;
        private WindowShape _shape;
        private Aligned<float> _x = null!, _y = null!, _scratch = null!; // 64-byte aligned, as a network's workspace and scratch

        [GlobalSetup]
        public void Setup()
        {
            // "HxW, C->K"
            string[] parts = Layer.Split(", ");
            int size = int.Parse(parts[0].Split('x')[0], System.Globalization.CultureInfo.InvariantCulture);
            string[] ck = parts[1].Split("->");
            int channels = int.Parse(ck[0], System.Globalization.CultureInfo.InvariantCulture), filters = int.Parse(ck[1], System.Globalization.CultureInfo.InvariantCulture);
            var random = new Random(7);
            var weight = new float[filters * channels * 9];
            for (int i = 0; i < weight.Length; i++) weight[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
            _weights = new ConvWeights(weight, default, filters, channels, (3, 3), winograd: true);
            int cp = Shapes.KernelLayout.Pad8(channels), kp = Shapes.KernelLayout.Pad8(filters);
            _shape = new WindowShape(channels, cp, (size, size), filters, (size, size), (3, 3), (1, 1), (1, 1), (1, 1));
            _x = new Aligned<float>(size * size * cp);
            for (int i = 0; i < _x.Length; i++) _x.Span[i] = (float)random.NextDouble();
            _y = new Aligned<float>(size * size * kp);
            _scratch = new Aligned<float>((int)Shapes.KernelLayout.ConvScratch(cp, new(1, size, size), new(1, size, size),
                new(1, 3, 3), new(1, 1, 1), new(1, 1, 1), new(0, 1, 1), winograd: true, filters));
        }

        [Benchmark(Baseline = true)]
        public void Winograd() => Conv.Winograd(_weights, _x.Span, _y.Span, _scratch.Span, _shape, Activation.ReLU);

        [Benchmark]
        public void Direct() => Conv.Direct(_weights, _x.Span, _y.Span, _scratch.Span, _shape, Activation.ReLU);
    }
}

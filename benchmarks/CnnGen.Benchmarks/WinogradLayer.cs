using System;
using BenchmarkDotNet.Attributes;
using CnnGen.Kernels;

namespace CnnGen.Benchmarks
{
    /// <summary>
    /// One 3x3 stride-1 layer of the VGG-style net, Winograd F(2x2, 3x3) (the default) against the direct sum that
    /// <c>&lt;CnnGen_Winograd&gt;false&lt;/CnnGen_Winograd&gt;</c> selects: the cost of that project option. One thread.
    /// </summary>
    public class WinogradLayer
    {
        [Params("32x32, 32->32", "16x16, 64->64")]
        public string Layer { get; set; } = "";

        private ConvWeights _weights = null!;
        private WindowShape _shape;
        private float[] _x = null!, _y = null!, _scratch = null!;

        [GlobalSetup]
        public void Setup()
        {
            (int size, int channels) = Layer.StartsWith("32x32", StringComparison.Ordinal) ? (32, 32) : (16, 64);
            var random = new Random(7);
            var weight = new float[channels * channels * 9];
            for (int i = 0; i < weight.Length; i++) weight[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
            _weights = new ConvWeights(weight, default, channels, channels, (3, 3), winograd: true);
            _shape = new WindowShape(channels, channels, (size, size), channels, (size, size), (3, 3), (1, 1), (1, 1), (1, 1));
            _x = GC.AllocateArray<float>(size * size * channels, pinned: true);
            for (int i = 0; i < _x.Length; i++) _x[i] = (float)random.NextDouble();
            _y = GC.AllocateArray<float>(size * size * channels, pinned: true);
            _scratch = GC.AllocateArray<float>((int)Shapes.KernelLayout.ConvScratch(channels, new(1, size, size), new(1, size, size),
                new(1, 3, 3), new(1, 1, 1), new(1, 1, 1), new(0, 1, 1), winograd: true, channels), pinned: true);
        }

        [Benchmark(Baseline = true)]
        public void Winograd() => Conv.Winograd(_weights, _x, _y, _scratch, _shape, Activation.ReLU);

        [Benchmark]
        public void Direct() => Conv.Direct(_weights, _x, _y, _scratch, _shape, Activation.ReLU);
    }
}

using System;
using BenchmarkDotNet.Attributes;
using CnnGen.Kernels;

namespace CnnGen.Benchmarks
{
    /// <summary>
    /// One 3x3 stride-1 layer of the VGG-style net, Winograd F(2x2, 3x3) (the default) against the direct sum that
    /// <c>&lt;CnnGen_Winograd&gt;false&lt;/CnnGen_Winograd&gt;</c> selects: the cost of that project option. One thread.
    /// </summary>
    public unsafe class WinogradLayer
    {
        [Params("32x32, 32->32", "16x16, 64->64")]
        public string Layer { get; set; } = "";

        private ConvPlan _winograd = null!, _direct = null!;
        private Aligned<float> _x = null!, _y = null!, _scratch = null!;

        [GlobalSetup]
        public void Setup()
        {
            (int size, int channels) = Layer.StartsWith("32x32", StringComparison.Ordinal) ? (32, 32) : (16, 64);
            var random = new Random(7);
            var weight = new float[channels * channels * 9];
            for (int i = 0; i < weight.Length; i++) weight[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
            int[] shape = { channels, size, size }, three = { 3, 3 }, one = { 1, 1 }, same = { 1, 1, 1, 1 };
            _winograd = new ConvPlan(shape, channels, three, one, same, one, weight, default, relu: true);
            _direct = new ConvPlan(shape, channels, three, one, same, one, weight, default, relu: true, winograd: false);
            if (!_winograd.UsesWinograd || _direct.UsesWinograd) throw new InvalidOperationException("The two plans do not take the two paths.");
            _x = new Aligned<float>(size * size * channels);
            for (int i = 0; i < _x.Length; i++) _x.Pointer[i] = (float)random.NextDouble();
            _y = new Aligned<float>(_winograd.OutputLength);
            _scratch = new Aligned<float>(Math.Max(_winograd.ScratchLength, _direct.ScratchLength));
        }

        [Benchmark(Baseline = true)]
        public void Winograd() => _winograd.Run(_x.Pointer, _y.Pointer, _scratch.Pointer);

        [Benchmark]
        public void Direct() => _direct.Run(_x.Pointer, _y.Pointer, _scratch.Pointer);
    }
}

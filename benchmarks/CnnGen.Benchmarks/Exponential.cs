using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using CnnGen.Kernels;

namespace CnnGen.Benchmarks
{
    /// <summary>
    /// e^x over 16 Ki floats from -10 to 10, one thread: CnnGen's single-precision <c>Simd.Exp</c> against .NET's
    /// <see cref="Vector256.Exp(Vector256{float})"/> and <see cref="Vector512.Exp(Vector512{float})"/> (which compute a float
    /// vector as two double ones), 8 and 16 lanes; and CnnGen's SiLU and tanh kernels, which use it. The 512-bit cases
    /// return at once where AVX-512 does not run.
    /// </summary>
    public class Exponential
    {
        private const int Length = 16384;
        private float[] _x = null!, _y = null!;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(3);
            _x = new float[Length];
            _y = new float[Length];
            for (int i = 0; i < Length; i++) _x[i] = (float)(random.NextDouble() * 20 - 10);
        }

        [Benchmark(Baseline = true)]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as CnnGen's kernels: optimised from the first call, not tier 0
        public void DotnetExp256()
        {
            for (int i = 0; i < Length; i += 8) Vector256.Exp(Vector256.Create(_x, i)).CopyTo(_y, i);
        }

        [Benchmark]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as CnnGen's kernels: optimised from the first call, not tier 0
        public void CnnGenExp256()
        {
            for (int i = 0; i < Length; i += 8) Simd.Exp(Vector256.Create(_x, i)).CopyTo(_y, i);
        }

        [Benchmark]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as CnnGen's kernels: optimised from the first call, not tier 0
        public void DotnetExp512()
        {
            if (!Simd.Wide) return;
            for (int i = 0; i < Length; i += 16) Vector512.Exp(Vector512.Create(_x, i)).CopyTo(_y, i);
        }

        [Benchmark]
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as CnnGen's kernels: optimised from the first call, not tier 0
        public void CnnGenExp512()
        {
            if (!Simd.Wide) return;
            for (int i = 0; i < Length; i += 16) Simd.Exp(Vector512.Create(_x, i)).CopyTo(_y, i);
        }

        [Benchmark]
        public void SiLU() => Activations.Run(_x, _y, Activation.SiLU, 0f);

        [Benchmark]
        public void Tanh() => Activations.Run(_x, _y, Activation.Tanh, 0f);
    }
}

using System;

namespace CnnGen
{
    /// <summary>Process-wide options of the generated networks.</summary>
    public static class CnnGenRuntime
    {
        private static int s_maxThreads = Environment.ProcessorCount;

        /// <summary>
        /// The most threads a <c>Forward</c> call uses (default: the processor count): a batch is split by samples, a
        /// single sample splits its large layers (about a million multiply-adds or more) by output positions. 1 turns
        /// threading off. One call at a time uses the worker threads; a concurrent call meanwhile runs on its own thread.
        /// Read at each call. A project's MSBuild property CnnGen_MaxThreads bounds its own networks further. Where threads
        /// cannot start (WebAssembly without threads) every call runs on its calling thread.
        /// </summary>
        public static int MaxThreads
        {
            get => s_maxThreads;
            set => s_maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxThreads must be at least 1.");
        }

        /// <summary>Whether vector kernels (128, 256 or 512 bits: <see cref="VectorBits"/>) run on this machine; otherwise the scalar ones do.</summary>
        public static bool IsVectorized => Kernels.Simd.Enabled;

        /// <summary>
        /// The width in bits of the vector kernels that run on this machine: 512 (AVX-512F: the convolutions' register
        /// blocks), 256 (AVX2 + FMA), 128 (Vector128 in hardware without 256-bit vectors: ARM64's AdvSimd, x64 without
        /// AVX2 such as NativeAOT's default target, WebAssembly SIMD), or 0 for the scalar kernels.
        /// </summary>
        public static int VectorBits => Kernels.Simd.Bits;
    }
}

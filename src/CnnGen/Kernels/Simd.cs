using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Kernels
{
    /// <summary>
    /// Which vector kernels run, and small helpers shared by them. Four paths, one layout (channels padded to 8, filters in
    /// panels): 512-bit (AVX-512F), 256-bit (AVX2 and FMA), 128-bit (Vector128 in hardware: ARM64's AdvSimd, x64 without
    /// AVX2 such as NativeAOT's default target, WebAssembly SIMD), and scalar.
    /// </summary>
    internal static class Simd
    {
        /// <summary>Whether the vector paths run at all: Vector128 in hardware. The scalar paths keep the same layouts.</summary>
        public static bool Enabled => Vector128.IsHardwareAccelerated;

        /// <summary>Whether the 256-bit kernels run: Vector256 in hardware with FMA (AVX2 on x64).</summary>
        public static bool Full => Vector256.IsHardwareAccelerated && Fma.IsSupported;

        /// <summary>
        /// Whether the 128-bit path runs: vectors, but not 256-bit ones. Its convolutions use their own 128-bit register
        /// blocks; the element-wise kernels (activations, pooling, transforms, depthwise) are written with Vector256 and run
        /// as pairs of 128-bit instructions (the runtime's lowering where Vector256 is not accelerated), and the kernels
        /// that hold many accumulators keep to the variants that fit 16 registers of 128 bits.
        /// </summary>
        public static bool Narrow => Enabled && !Full;

        /// <summary>
        /// Whether the convolutions' register blocks run 512-bit (AVX-512F): twice the multiply-adds per instruction, and
        /// twice the FLOPs where the core has two 512-bit FMA units. <c>DOTNET_EnableAVX512=0</c> turns it off.
        /// (<see cref="Vector512.IsHardwareAccelerated"/> is false on cores that lower their clock for 512-bit code; the
        /// register blocks are measured faster there all the same.)
        /// </summary>
        public static bool Wide => Full && Avx512F.IsSupported;

        /// <summary>The width of the vector kernels that run: 512, 256, 128, or 0 for the scalar ones.</summary>
        public static int Bits => Wide ? 512 : Full ? 256 : Enabled ? 128 : 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Fmadd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

        /// <summary>a * b + c: one FMA where there is one (x64 FMA; two 128-bit ones on ARM64), else a multiply and an add.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Fmadd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        {
            if (Fma.IsSupported) return Fma.MultiplyAdd(a, b, c);
            if (AdvSimd.IsSupported)
                return Vector256.Create(AdvSimd.FusedMultiplyAdd(c.GetLower(), a.GetLower(), b.GetLower()),
                    AdvSimd.FusedMultiplyAdd(c.GetUpper(), a.GetUpper(), b.GetUpper()));
            return a * b + c;
        }

        /// <summary>a * b + c in 128 bits: FMA on x64 with FMA and on ARM64, else a multiply and an add.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Fmadd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
        {
            if (Fma.IsSupported) return Fma.MultiplyAdd(a, b, c);
            if (AdvSimd.IsSupported) return AdvSimd.FusedMultiplyAdd(c, a, b);
            return a * b + c;
        }

        /// <summary>
        /// The larger of a window's value <paramref name="x"/> and the running maximum <paramref name="acc"/>, as pooling
        /// takes it: <paramref name="x"/> when it is greater, else <paramref name="acc"/> (on x64 a NaN never wins, as in the
        /// scalar path and ONNX Runtime). One <c>vmaxps</c> on x64: .NET 9's <see cref="Vector256.Max{T}"/> orders -0 below +0 and
        /// propagates NaN with three dependent instructions, which made a pooling window's chain of maxima three times longer.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> MaxOf(Vector256<float> x, Vector256<float> acc) =>
#if NET9_0_OR_GREATER
            Vector256.MaxNative(x, acc);
#else
            Vector256.Max(x, acc);
#endif

        /// <summary>Channels are padded to a multiple of 8 in the channels-last buffers, so vectors never need a tail.</summary>
        public static int Pad8(int n) => (n + 7) & ~7;
    }
}

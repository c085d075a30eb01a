using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Kernels
{
    /// <summary>Small helpers shared by the kernels.</summary>
    internal static class Simd
    {
        /// <summary>Whether the vector paths run: Vector256 in hardware (AVX2 on x64). The scalar paths keep the same layouts.</summary>
        public static bool Enabled => Vector256.IsHardwareAccelerated && Fma.IsSupported;

        /// <summary>
        /// Whether the convolutions' register blocks run 512-bit (AVX-512F): twice the multiply-adds per instruction, and
        /// twice the FLOPs where the core has two 512-bit FMA units. <c>DOTNET_EnableAVX512=0</c> turns it off.
        /// (<see cref="Vector512.IsHardwareAccelerated"/> is false on cores that lower their clock for 512-bit code; the
        /// register blocks are measured faster there all the same.)
        /// </summary>
        public static bool Wide => Enabled && Avx512F.IsSupported;

        /// <summary>The width of the vector kernels that run: 512, 256, or 0 for the scalar ones.</summary>
        public static int Bits => Wide ? 512 : Enabled ? 256 : 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Fmadd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Fmadd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);

        /// <summary>Channels are padded to a multiple of 8 in the channels-last buffers, so vectors never need a tail.</summary>
        public static int Pad8(int n) => (n + 7) & ~7;
    }
}

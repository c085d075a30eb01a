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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Fmadd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);

        /// <summary>Channels are padded to a multiple of 8 in the channels-last buffers, so vectors never need a tail.</summary>
        public static int Pad8(int n) => (n + 7) & ~7;
    }
}

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

        /// <summary>A mask of lanes [<paramref name="from"/>, <paramref name="to"/>) of 8 (either bound may lie outside 0-8).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Lanes(int from, int to)
        {
            Vector256<int> lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            return (Vector256.GreaterThanOrEqual(lane, Vector256.Create(from)) & Vector256.LessThan(lane, Vector256.Create(to))).AsSingle();
        }

        /// <summary>A mask of the last <paramref name="count"/> lanes of 8 (a tail handled as the last vector of a row: its new lanes).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> LastLanes(int count) => Lanes(8 - count, 8);

        /// <summary>As the 8-lane <see cref="MaxOf(Vector256{float}, Vector256{float})"/>, over 4 lanes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> MaxOf(Vector128<float> x, Vector128<float> acc) =>
#if NET9_0_OR_GREATER
            Vector128.MaxNative(x, acc);
#else
            Vector128.Max(x, acc);
#endif

#if NET9_0_OR_GREATER
        // e^x in single precision: the bounds of its range and the constants of its reduction (see Exp).
        private const float ExpHigh = 88.7228394f, ExpLow = -103.972084f, Log2E = 1.44269504f, Ln2High = 0.693145752f, Ln2Low = 1.42860677e-6f;
        private const float RoundingShift = 12582912f; // 1.5 * 2^23: added and taken away, it rounds a float below 2^22 to an integer

        /// <summary>
        /// e^x in single precision, 8 lanes: 2^n e^r with n = round(x log2 e) and r = x - n ln 2 (ln 2 in two parts, so r
        /// keeps its low bits), e^r by its Taylor series to r^7 (|r| &lt;= ln 2 / 2: the truncation is under 1e-8 of it,
        /// below a float's rounding), 2^n as two factors written in the exponent bits (each a normal float from the
        /// smallest subnormal result to the largest float). Above ln(float.MaxValue) it gives +inf, below the log of the
        /// smallest subnormal 0, and NaN stays NaN. .NET's Vector256.Exp computes a float vector as two double ones,
        /// about twice the work; the activations with an exponential and softmax spend most of their time in it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Exp(Vector256<float> x)
        {
            Vector256<float> c = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(ExpLow)), Vector256.Create(ExpHigh));
            Vector256<float> n = c * Vector256.Create(Log2E) + Vector256.Create(RoundingShift) - Vector256.Create(RoundingShift);
            Vector256<float> r = Fmadd(n, Vector256.Create(-Ln2High), c);
            r = Fmadd(n, Vector256.Create(-Ln2Low), r);
            Vector256<float> p = Fmadd(Vector256.Create(1f / 5040f), r, Vector256.Create(1f / 720f));
            p = Fmadd(p, r, Vector256.Create(1f / 120f));
            p = Fmadd(p, r, Vector256.Create(1f / 24f));
            p = Fmadd(p, r, Vector256.Create(1f / 6f));
            p = Fmadd(p, r, Vector256.Create(0.5f));
            p = Fmadd(p, r, Vector256<float>.One);
            p = Fmadd(p, r, Vector256<float>.One);
            Vector256<int> k = Vector256.ConvertToInt32Native(n), half = Vector256.ShiftRightArithmetic(k, 1);
            Vector256<float> e = p * Vector256.ShiftLeft(half + Vector256.Create(127), 23).AsSingle() * Vector256.ShiftLeft(k - half + Vector256.Create(127), 23).AsSingle();
            e = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(ExpHigh)), Vector256.Create(float.PositiveInfinity), e);
            e = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpLow)), Vector256<float>.Zero, e);
            return Vector256.ConditionalSelect(Vector256.Equals(x, x), e, x);
        }

        /// <summary>e^x in single precision, 16 lanes (the 512-bit path): as the 8-lane one.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Exp(Vector512<float> x)
        {
            Vector512<float> c = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(ExpLow)), Vector512.Create(ExpHigh));
            Vector512<float> n = c * Vector512.Create(Log2E) + Vector512.Create(RoundingShift) - Vector512.Create(RoundingShift);
            Vector512<float> r = Fmadd(n, Vector512.Create(-Ln2High), c);
            r = Fmadd(n, Vector512.Create(-Ln2Low), r);
            Vector512<float> p = Fmadd(Vector512.Create(1f / 5040f), r, Vector512.Create(1f / 720f));
            p = Fmadd(p, r, Vector512.Create(1f / 120f));
            p = Fmadd(p, r, Vector512.Create(1f / 24f));
            p = Fmadd(p, r, Vector512.Create(1f / 6f));
            p = Fmadd(p, r, Vector512.Create(0.5f));
            p = Fmadd(p, r, Vector512<float>.One);
            p = Fmadd(p, r, Vector512<float>.One);
            Vector512<int> k = Vector512.ConvertToInt32Native(n), half = Vector512.ShiftRightArithmetic(k, 1);
            Vector512<float> e = p * Vector512.ShiftLeft(half + Vector512.Create(127), 23).AsSingle() * Vector512.ShiftLeft(k - half + Vector512.Create(127), 23).AsSingle();
            e = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(ExpHigh)), Vector512.Create(float.PositiveInfinity), e);
            e = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpLow)), Vector512<float>.Zero, e);
            return Vector512.ConditionalSelect(Vector512.Equals(x, x), e, x);
        }
#endif

        /// <summary>Channels are padded to a multiple of 8 in the channels-last buffers, so vectors never need a tail.</summary>
        public static int Pad8(int n) => (n + 7) & ~7;
    }
}

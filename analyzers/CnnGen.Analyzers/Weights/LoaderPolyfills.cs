#if !NET5_0_OR_GREATER
using System;

// The weight loaders are linked from src/CnnGen/Loading (net8.0/net10.0). These types give their netstandard2.0 build in
// the analyzer the few framework members it lacks; inside namespace CnnGen.Loading they are found before the framework's.
namespace CnnGen.Loading
{
    internal static class MathF
    {
        public static float Sqrt(float x) => (float)Math.Sqrt(x);
    }

    internal static class BitConverter
    {
        public static float Int32BitsToSingle(int bits) => System.BitConverter.ToSingle(System.BitConverter.GetBytes(bits), 0);

        public static double Int64BitsToDouble(long bits) => System.BitConverter.Int64BitsToDouble(bits);

        /// <summary>An IEEE 754 half's bits as the float it is (the framework's Half is not in netstandard2.0).</summary>
        public static float UInt16BitsToHalf(ushort bits)
        {
            int exponent = bits >> 10 & 0x1F, mantissa = bits & 0x3FF;
            float magnitude = exponent switch
            {
                0 => mantissa * (1f / (1 << 24)),
                0x1F => mantissa == 0 ? float.PositiveInfinity : float.NaN,
                _ => (1f + mantissa / 1024f) * (float)Math.Pow(2, exponent - 15),
            };
            return (bits & 0x8000) != 0 ? -magnitude : magnitude;
        }
    }

    internal static class BinaryPrimitives
    {
        public static ushort ReadUInt16LittleEndian(ReadOnlySpan<byte> s) => (ushort)(s[0] | s[1] << 8);

        public static int ReadInt32LittleEndian(ReadOnlySpan<byte> s) => s[0] | s[1] << 8 | s[2] << 16 | s[3] << 24;

        public static long ReadInt64LittleEndian(ReadOnlySpan<byte> s) => (uint)ReadInt32LittleEndian(s) | (long)ReadInt32LittleEndian(s.Slice(4)) << 32;

        public static float ReadSingleLittleEndian(ReadOnlySpan<byte> s) => BitConverter.Int32BitsToSingle(ReadInt32LittleEndian(s));

        public static double ReadDoubleLittleEndian(ReadOnlySpan<byte> s) => System.BitConverter.Int64BitsToDouble(ReadInt64LittleEndian(s));
    }
}
#endif

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CnnGen.Shapes
{
    /// <summary>
    /// The formulas of SPEC.md, one place for the generator, the analyzers and the runtime.
    /// All arithmetic is done in <see cref="long"/> so that user-supplied sizes cannot overflow here;
    /// callers check the results against <see cref="int.MaxValue"/> where a size must fit an int.
    /// </summary>
    internal static class ShapeMath
    {
        /// <summary>O = (I - F + P_start + P_end) / S + 1 with the division floored, as every framework does.</summary>
        public static long OutputSize(long input, long kernel, long stride, long padStart, long padEnd) =>
            FloorDiv(Numerator(input, kernel, padStart, padEnd), stride) + 1;

        /// <summary>I - F + P_start + P_end: the span the window travels over; compatible when divisible by S.</summary>
        public static long Numerator(long input, long kernel, long padStart, long padEnd) =>
            input - kernel + padStart + padEnd;

        /// <summary>Positions of the padded input after the last window, never read: the remainder of the division.</summary>
        public static long Remainder(long input, long kernel, long stride, long padStart, long padEnd)
        {
            long n = Numerator(input, kernel, padStart, padEnd);
            return n < 0 ? 0 : n % stride;
        }

        public static long FloorDiv(long a, long b)
        {
            long q = a / b;
            if (a % b != 0 && ((a < 0) != (b < 0))) q--;
            return q;
        }

        public static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

        /// <summary>The kernel extent with dilation D: D * (F - 1) + 1.</summary>
        public static long EffectiveKernel(long kernel, long dilation) => dilation * (kernel - 1) + 1;

        /// <summary>
        /// Same ("half") padding: total = S*ceil(I/S) - I + F - S, clamped at 0, the extra cell at the end
        /// (TensorFlow SAME, ONNX SAME_UPPER). The output size is then ceil(I/S).
        /// </summary>
        public static (long Start, long End) SamePadding(long input, long kernel, long stride)
        {
            long total = stride * CeilDiv(input, stride) - input + kernel - stride;
            if (total < 0) total = 0;
            return (total / 2, total - total / 2);
        }

        /// <summary>Full padding: F - 1 on both sides, so the window sees the input end to end.</summary>
        public static (long Start, long End) FullPadding(long kernel) => (kernel - 1, kernel - 1);

        public static (long Start, long End) ResolvePadding(PaddingMode mode, long input, long kernel, long stride) => mode switch
        {
            PaddingMode.Same => SamePadding(input, kernel, stride),
            PaddingMode.Full => FullPadding(kernel),
            _ => (0, 0),
        };

        /// <summary>Convolution parameters: (F^d * C + 1) * K with a bias, F^d * C * K without.</summary>
        public static long ConvParameters(IReadOnlyList<int> kernel, long inChannels, long filters, bool bias)
        {
            long perFilter = inChannels;
            foreach (int f in kernel) perFilter = SaturatingMultiply(perFilter, f);
            return SaturatingMultiply(SaturatingAdd(perFilter, bias ? 1 : 0), filters);
        }

        /// <summary>Dense parameters: (N_in + 1) * N_out with a bias, N_in * N_out without.</summary>
        public static long DenseParameters(long inputs, long units, bool bias) =>
            SaturatingMultiply(SaturatingAdd(inputs, bias ? 1 : 0), units);

        /// <summary>
        /// One step of the receptive field recurrence R_k = R_(k-1) + (F_k - 1) * J_(k-1), J_k = J_(k-1) * S_k,
        /// which unrolls to SPEC's R_k = 1 + sum_j (F_j - 1) * prod_(i&lt;j) S_i with S_0 = 1.
        /// </summary>
        public static (long Field, long Jump) ReceptiveFieldStep(long field, long jump, long kernel, long stride) =>
            (SaturatingAdd(field, SaturatingMultiply(kernel - 1, jump)), SaturatingMultiply(jump, stride));

        public static long Product(IReadOnlyList<int> values, int start = 0)
        {
            long p = 1;
            for (int i = start; i < values.Count; i++) p = SaturatingMultiply(p, values[i]);
            return p;
        }

        public static long SaturatingMultiply(long a, long b)
        {
            if (a == 0 || b == 0) return 0;
            if (a < 0 || b < 0) return a * b; // only positive sizes reach here in practice
            return a > long.MaxValue / b ? long.MaxValue : a * b;
        }

        public static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

        /// <summary>Names of the spatial dimensions: L for 1D; H, W for 2D; D, H, W for 3D.</summary>
        public static string DimensionName(int spatialRank, int index) => spatialRank switch
        {
            1 => "L",
            2 => index == 0 ? "H" : "W",
            _ => index switch { 0 => "D", 1 => "H", _ => "W" },
        };

        /// <summary>A shape written the way the docs write it: 6x28x28.</summary>
        public static string Format(IReadOnlyList<int> shape)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < shape.Count; i++)
            {
                if (i > 0) sb.Append('x');
                sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }

        /// <summary>A list of values as C# writes it: [6, 14, 14].</summary>
        public static string FormatList(IReadOnlyList<int> values)
        {
            var sb = new StringBuilder("[");
            for (int i = 0; i < values.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append(values[i].ToString(CultureInfo.InvariantCulture));
            }
            return sb.Append(']').ToString();
        }

        public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        /// <summary>A count that may have saturated at <see cref="long.MaxValue"/>: then it says so instead of a wrong number.</summary>
        public static string Count(long value) => value == long.MaxValue ? "more than " + Number(long.MaxValue - 1) : Number(value);
    }
}

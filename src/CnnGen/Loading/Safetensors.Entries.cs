using System;

namespace CnnGen.Loading
{
    /// <summary>What a safetensors header says of a tensor, and which dtypes CnnGen reads (shared with the build).</summary>
    internal static partial class Safetensors
    {
        /// <summary>A tensor of the header: its dtype, shape and byte range in the data.</summary>
        public sealed record Entry(string DType, long[] Shape, long Begin, long End);

        /// <summary>Bytes per value of a dtype CnnGen reads (I64 only for num_batches_tracked); 0 for any other.</summary>
        public static int SizeOf(string dtype) => dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            "F64" or "I64" => 8,
            _ => 0,
        };

        /// <summary>The reason a tensor's dtype cannot be read, or null when it can.</summary>
        public static string? DTypeProblem(string name, string dtype)
        {
            if (SizeOf(dtype) == 0) return $"tensor '{name}' has dtype {dtype}; CnnGen reads F32, F16, BF16 and F64 weights";
            if (dtype == "I64" && !name.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                return $"tensor '{name}' has dtype I64; CnnGen reads F32, F16, BF16 and F64 weights (I64 only for BatchNorm's num_batches_tracked, which it skips)";
            return null;
        }
    }
}

using System;

namespace CnnGen.Kernels
{
    /// <summary>The batched kernels' samples: stored back to back, each buffer's length a whole multiple of the count.</summary>
    internal static class Samples
    {
        /// <summary>
        /// Floats per sample of an input, an output and a residual (0 when there is none) of <paramref name="samples"/>
        /// samples; a buffer that does not split into that many equal parts is refused.
        /// </summary>
        public static (int X, int Y, int Add) Steps(string kernel, int x, int y, int add, int samples)
        {
            if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, $"{kernel}: the sample count must be at least 1.");
            if (x % samples != 0 || y % samples != 0 || add % samples != 0)
                throw new ArgumentException($"{kernel}: buffers of {x}, {y} and {add} floats do not split into {samples} samples of equal length.");
            return (x / samples, y / samples, add / samples);
        }
    }
}

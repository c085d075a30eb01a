using System;
using CnnGen.Kernels;
using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// Dense rows (a batch's samples at once: 8 rows per pass of the 512-bit kernel, 4 of the 256-bit one, then one by one)
    /// against the product in double, for panel layouts of 8 and 64 columns and row counts around each group size.
    /// </summary>
    public class DenseKernelTests
    {
        [Theory]
        [InlineData(37, 10)]
        [InlineData(50, 64)]
        [InlineData(300, 120)]
        [InlineData(9, 200)]
        public void Rows_match_the_product_in_double(int inputs, int units)
        {
            var random = new Random(inputs * 1000 + units);
            var weight = new float[units * inputs];
            var bias = new float[units];
            for (int i = 0; i < weight.Length; i++) weight[i] = (float)(random.NextDouble() - 0.5);
            for (int i = 0; i < units; i++) bias[i] = (float)(random.NextDouble() - 0.5);
            var w = new DenseWeights(weight, bias, inputs: inputs, units: units);
            int xStride = inputs + 3, yStride = ((units + 7) & ~7) + 8; // rows apart by more than their length, as in a chunk
            foreach (int rows in new[] { 1, 3, 4, 7, 8, 9, 12, 16, 17 })
            {
                var x = new float[rows * xStride];
                for (int i = 0; i < x.Length; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
                var y = new float[rows * yStride];
                Dense.Rows(w, x, xStride, y, yStride, rows, Activation.ReLU);
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < units; j++)
                    {
                        double sum = bias[j];
                        for (int i = 0; i < inputs; i++) sum += (double)weight[j * inputs + i] * x[r * xStride + i];
                        double expected = Math.Max(0, sum);
                        Assert.True(Math.Abs(y[r * yStride + j] - expected) <= 1e-4 * (1 + Math.Abs(expected)),
                            $"{rows} rows of {inputs} -> {units}: row {r}, output {j} is {y[r * yStride + j]}, expected {expected}");
                    }
            }
        }
    }
}

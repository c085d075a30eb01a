using System;
using System.Linq;
using System.Runtime.Intrinsics;
using CnnGen.Kernels;
using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// The activations with an exponential, vectorised on .NET 9 and later: against the double formula on values from
    /// -30 to 30, tiny ones (where tanh and ELU subtract from 1) and the ends, in the lengths that take the 16-, 8-wide
    /// and one-by-one loops.
    /// </summary>
    public class ActivationKernelTests
    {
        private static double Reference(Activation a, double v, double alpha) => a switch
        {
            Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
            Activation.Tanh => Math.Tanh(v),
            Activation.SiLU => v / (1 + Math.Exp(-v)),
            _ => v > 0 ? v : alpha * (Math.Exp(v) - 1),
        };

        [Theory]
        [InlineData(Activation.Sigmoid)]
        [InlineData(Activation.Tanh)]
        [InlineData(Activation.SiLU)]
        [InlineData(Activation.ELU)]
        public void Exponential_activations_match_the_double_formula(Activation activation)
        {
            var random = new Random(5);
            float[] special = { 0f, -0f, 1e-8f, -1e-8f, 1e-4f, -3e-3f, 0.1249f, 0.1251f, -0.125f, 1f, -1f, 9f, -9f, 30f, -30f, 88f, -88f, 100f, -100f };
            float[] x = special.Concat(Enumerable.Range(0, 200).Select(_ => (float)(random.NextDouble() * 60 - 30)))
                .Concat(Enumerable.Range(0, 100).Select(_ => (float)(random.NextDouble() * 0.5 - 0.25))).ToArray();
            foreach (int length in new[] { x.Length, 7, 8, 23 })
            {
                var y = new float[length];
                Activations.Run(x.AsSpan(0, length), y, activation, 1.3f);
                for (int i = 0; i < length; i++)
                {
                    double expected = Reference(activation, x[i], 1.3);
                    Assert.True(Math.Abs(y[i] - expected) <= 2e-7 + 2e-6 * Math.Abs(expected),
                        $"{activation}({x[i]:R}) = {y[i]:R}, expected {expected:R} (length {length})");
                    if (activation == Activation.Tanh) Assert.Equal(Math.Sign(expected), Math.Sign(y[i]));
                }
            }
        }

#if NET9_0_OR_GREATER
        [Fact]
        public void The_vector_exponential_is_within_two_float_roundings_everywhere_and_keeps_its_ends()
        {
            // Every 1/1024 from -105 to 90 (both ends outside the range: 0 below, +inf above), and the special values;
            // 8 lanes, and 16 where the 512-bit path runs, against the double exponential.
            var values = Enumerable.Range(0, 195 * 1024 + 1).Select(i => -105f + i / 1024f)
                .Concat(new[] { 0f, -0f, 1e-30f, -1e-30f, 88.7228f, 88.72284f, 88.73f, -87.33655f, -103.97f, -103.98f, -110f, 200f,
                    float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue }).ToArray();
            Array.Resize(ref values, (values.Length + 15) / 16 * 16);
            var eight = new float[values.Length];
            var sixteen = new float[values.Length];
            for (int i = 0; i < values.Length; i += 8) Simd.Exp(Vector256.Create(values, i)).CopyTo(eight.AsSpan(i));
            if (Simd.Wide) for (int i = 0; i < values.Length; i += 16) Simd.Exp(Vector512.Create(values, i)).CopyTo(sixteen.AsSpan(i));
            else sixteen = eight;
            for (int i = 0; i < values.Length; i++)
            {
                float x = values[i];
                double exact = Math.Exp(x);
                foreach (float got in new[] { eight[i], sixteen[i] })
                {
                    if (float.IsNaN(x)) Assert.True(float.IsNaN(got), $"exp(NaN) = {got:R}");
                    else if (exact > float.MaxValue) Assert.True(float.IsPositiveInfinity(got) || got == float.MaxValue, $"exp({x:R}) = {got:R}, expected +inf");
                    else if (x < -103.972084f) Assert.Equal(0f, got);
                    else Assert.True(Math.Abs(got - exact) <= 2 * Math.Max(Math.Abs(exact) * Math.Pow(2, -24), Math.Pow(2, -149)),
                        $"exp({x:R}) = {got:R}, expected {exact:R}: {(got - exact) / (exact * Math.Pow(2, -23)):F2} ulp");
                }
            }
        }
#endif

        [Theory]
        [InlineData(3)]
        [InlineData(8)]
        [InlineData(10)]
        [InlineData(37)]
        [InlineData(61)]
        public void Softmax_matches_the_double_formula_in_place_and_not(int length)
        {
            var random = new Random(length);
            float[] x = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToArray();
            double max = x.Max();
            double sum = x.Sum(v => Math.Exp(v - max));
            var y = new float[length];
            Activations.Softmax(x, y, length);
            float[] inPlace = (float[])x.Clone();
            Activations.Softmax(inPlace, inPlace, length);
            for (int i = 0; i < length; i++)
            {
                double expected = Math.Exp(x[i] - max) / sum;
                Assert.True(Math.Abs(y[i] - expected) <= 1e-7 + 1e-5 * expected, $"softmax[{i}] = {y[i]:R}, expected {expected:R}");
                Assert.Equal(y[i], inPlace[i]);
            }
        }

        [Theory]
        [InlineData(8)]
        [InlineData(9)]
        [InlineData(15)]
        [InlineData(36)]
        public void Softmax_finds_the_maximum_in_every_lane_and_the_tail(int length)
        {
            // Values near 100 with one at 200: e^(x - max) overflows unless the maximum subtracted is the true one, wherever
            // it lies (each lane of the vectors, the overlapping tail). Two samples, so the batch entry runs too.
            for (int at = 0; at < length; at++)
            {
                var x = new float[2 * length];
                for (int i = 0; i < x.Length; i++) x[i] = 95f + i % 7 * 0.5f;
                x[at] = 200f;
                x[length + (length - 1 - at)] = 200f;
                var y = new float[2 * length];
                Activations.Softmax(x, y, length, 2);
                for (int n = 0; n < 2; n++)
                    for (int i = 0; i < length; i++)
                    {
                        float expected = i == (n == 0 ? at : length - 1 - at) ? 1f : 0f;
                        Assert.True(Math.Abs(y[n * length + i] - expected) < 1e-6f, $"length {length}, maximum at {at}: softmax[{n}][{i}] = {y[n * length + i]:R}");
                    }
            }
        }
    }
}

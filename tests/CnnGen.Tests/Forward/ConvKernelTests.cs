using System;
using CnnGen.Kernels;
using CnnGen.Shapes;
using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// The convolution kernels alone against a double-precision sum of the formula, on shapes chosen to reach every
    /// block and driver path: panels of every width the last one can have (the last panel of K padded to 8), passes that split
    /// a panel's rows (many channels), fewer positions than a register block, compact inputs, strides, dilations,
    /// asymmetric padding, the epilogue (activation, residual sum, activation after it) and Winograd. scripts/test.sh
    /// runs them on each kernel path this machine can force (512-, 256-bit, scalar).
    /// </summary>
    public class ConvKernelTests
    {
        [Theory]
        // channels, filters, input H x W, kernel, stride, dilation, pad top/left, output H x W
        [InlineData(3, 8, 9, 11, 3, 1, 1, 1, 9, 11)]      // compact input, one 8-wide panel
        [InlineData(1, 5, 6, 4, 2, 2, 1, 0, 3, 2)]        // compact input, rows of 2: the position blocks over all rows
        [InlineData(3, 40, 16, 14, 3, 2, 1, 1, 8, 7)]     // compact input, rows of 7, panels 32 + 8
        [InlineData(3, 40, 20, 17, 7, 2, 1, 3, 10, 9)]    // compact input, panels 32 + 8
        [InlineData(5, 56, 12, 30, 5, 1, 1, 2, 12, 30)]   // compact input, panels 32 + 24
        [InlineData(8, 16, 6, 7, 3, 1, 1, 1, 6, 7)]       // 42 positions, one 16 panel
        [InlineData(20, 24, 2, 3, 3, 1, 1, 1, 2, 3)]      // 6 positions: fewer than a register block
        [InlineData(16, 48, 15, 15, 3, 2, 1, 1, 8, 8)]    // panels 32 + 16, stride 2
        [InlineData(24, 64, 13, 11, 3, 1, 2, 2, 13, 11)]  // dilation 2
        [InlineData(300, 40, 5, 6, 3, 1, 1, 1, 5, 6)]     // many channels: a panel's rows in several passes, 30 positions
        [InlineData(520, 16, 4, 4, 1, 1, 1, 0, 4, 4)]     // 1x1, more channels than a 16-wide pass holds
        [InlineData(72, 136, 9, 9, 3, 1, 1, 0, 7, 7)]     // no padding, 49 positions, panels 2 x 64 + 8 (8 x 16 + 8)
        [InlineData(32, 120, 14, 14, 3, 1, 1, 1, 14, 14)] // panels 64 + 56 (blocks of 64, 32, 16 and 8 filters)
        [InlineData(16, 16, 14, 14, 3, 1, 1, 1, 14, 14)]  // few filters: the row kernels (input step 16)
        [InlineData(32, 24, 12, 20, 1, 1, 1, 0, 12, 20)]  // few filters, 1x1: the row kernels (step 32), panel of 24
        [InlineData(16, 8, 26, 26, 3, 2, 1, 1, 13, 13)]   // few filters, stride 2: the row kernels (step 32), 13 per row
        [InlineData(16, 16, 32, 32, 3, 1, 1, 1, 32, 32)]  // few filters, rows of 32: two blocks of 16 positions on the 512-bit path
        [InlineData(8, 24, 28, 28, 3, 1, 1, 1, 28, 28)]   // rows of 28: 16 positions and an overlapping 16 (16 filters), 12s (the other 8)
        public void Direct_matches_the_formula(int c, int k, int h, int w, int f, int s, int d, int p, int oh, int ow)
        {
            foreach ((Activation act, bool residual, Activation after) in new[]
            {
                (Activation.None, false, Activation.None), (Activation.ReLU6, false, Activation.None), (Activation.ReLU, false, Activation.None),
                (Activation.LeakyReLU, true, Activation.ReLU),
                (Activation.HardSwish, true, Activation.None), (Activation.Sigmoid, true, Activation.ReLU),
            })
            {
                var r = new Random(c * 1000 + k);
                Check(r, c, k, h, w, f, s, d, p, oh, ow, winograd: false, act, residual, after);
            }
        }

        [Theory]
        // channels, filters, input H x W, kernel (1 x f for a 1D map), stride, pad, samples
        [InlineData(1, 1, 1, 28, 3, 1, 1, 17)]   // 1D, compact input, one filter: groups of 8 and a group of the one sample left
        [InlineData(3, 5, 1, 30, 5, 2, 2, 11)]   // 1D, stride 2: a group of 8, a group of the three left
        [InlineData(8, 8, 14, 14, 3, 1, 1, 16)]  // a copy of 16 x 16 x 8: groups of 8
        [InlineData(8, 8, 14, 14, 3, 1, 1, 5)]   // fewer than a group: one group of 3, then one of 5 (not the tables of 3 lines)
        [InlineData(8, 16, 20, 20, 3, 1, 1, 9)]  // 22 x 22 x 8: groups of 4, a group of one (the room of a group past the scratch of one)
        [InlineData(8, 8, 30, 30, 3, 1, 1, 5)]   // 32 x 32 x 8: groups of 2, a group of one
        [InlineData(8, 8, 46, 46, 3, 1, 1, 3)]   // 48 x 48 x 8: one by one
        [InlineData(16, 24, 9, 7, 3, 1, 0, 10)]  // no padding: no copy, groups of 8
        [InlineData(6, 4, 5, 7, 1, 1, 0, 13)]    // 1x1: all the samples one row of their positions
        [InlineData(6, 4, 1, 30, 1, 1, 0, 11)]   // 1x1 over a 1D map: a sample alone is a row too (the chunk's tables serve it)
        [InlineData(18, 4, 3, 5, 1, 1, 0, 9)]    // 1x1, two vectors of channels per position
        [InlineData(6, 4, 5, 7, 1, 2, 0, 13)]    // 1x1 with stride 2: the 2D map's lines
        public void Samples_of_a_chunk_match_the_same_samples_one_by_one(int c, int k, int h, int w, int f, int s, int p, int samples)
        {
            // A 1D or 2D layer's samples, back to back, run in groups as one map: each sample's outputs must be those of
            // the sample alone, the epilogue's residual included.
            var r = new Random(c * 100 + k + samples);
            int cp = c < 8 ? c : KernelLayout.Pad8(c), kp = KernelLayout.Pad8(k), fh = h == 1 ? 1 : f, ph = h == 1 ? 0 : p;
            int oh = (h + 2 * ph - fh) / s + 1, ow = (w + 2 * p - f) / s + 1;
            int xStep = h * w * cp, yStep = oh * ow * kp;
            float[] x = Map(r, h * w * samples, c, cp), add = Map(r, oh * ow * samples, k, kp);
            float[] weight = Values(r, k * c * fh * f), bias = Values(r, k);
            var cw = new ConvWeights(weight, bias, k, c, (fh, f));
            var shape = new WindowShape(c, cp, (h, w), k, (oh, ow), (fh, f), (h == 1 ? 1 : s, s), (1, 1), (ph, p));
            var scratch = new float[KernelLayout.ConvScratch(cp, new Size3(1, h, w), new Size3(1, oh, ow), new Size3(1, fh, f), new Size3(1, h == 1 ? 1 : s, s),
                new Size3(1, 1, 1), new Size3(0, ph, p), false, k)];
            // Fewer samples first, then all of them: a 1x1 layer's longer row of points does not take the tables of the
            // shorter row before it.
            int fewer = samples - 2;
            var some = new float[yStep * fewer];
            Conv.Direct(cw, x.AsSpan(0, xStep * fewer), some, scratch, shape, fewer, Activation.LeakyReLU, 0.1f, add.AsSpan(0, yStep * fewer), Activation.ReLU);
            var together = new float[yStep * samples];
            Conv.Direct(cw, x, together, scratch, shape, samples, Activation.LeakyReLU, 0.1f, add, Activation.ReLU);
            // All, then fewer, on new weights: the shorter row takes the tables of the longer one before it (their first part).
            var fresh = new ConvWeights(weight, bias, k, c, (fh, f));
            var again = new float[yStep * samples];
            Conv.Direct(fresh, x, again, scratch, shape, samples, Activation.LeakyReLU, 0.1f, add, Activation.ReLU);
            var someAgain = new float[yStep * fewer];
            Conv.Direct(fresh, x.AsSpan(0, xStep * fewer), someAgain, scratch, shape, fewer, Activation.LeakyReLU, 0.1f, add.AsSpan(0, yStep * fewer), Activation.ReLU);
            Assert.Equal(together, again);
            Assert.Equal(some, someAgain);
            var alone = new float[yStep];
            for (int n = 0; n < samples; n++)
            {
                Conv.Direct(cw, x.AsSpan(n * xStep, xStep), alone, scratch, shape, Activation.LeakyReLU, 0.1f, add.AsSpan(n * yStep, yStep), Activation.ReLU);
                for (int i = 0; i < yStep; i++) Near(alone[i], together[n * yStep + i], $"sample {n} of {samples}, float {i}");
                if (n < fewer)
                    for (int i = 0; i < yStep; i++) Near(alone[i], some[n * yStep + i], $"sample {n} of {fewer}, float {i}");
            }
        }

        [Theory]
        // channels (input stride), filters, groups, input D x H x W, kernel, pad begin, pad end, samples
        [InlineData(2, 2, 6, 2, 5, 3, 7, 2, 0, 1, 14)]   // R14's first layer: compact input, "Same" 0/1, a chunk of 14
        [InlineData(2, 2, 6, 2, 5, 3, 7, 2, 0, 1, 3)]
        [InlineData(8, 8, 16, 1, 4, 6, 5, 3, 1, 1, 5)]   // padded 6 x 8 x 7 x 8: 42 samples fit a stack; two vectors of filters
        [InlineData(3, 3, 4, 1, 9, 9, 11, 3, 1, 1, 7)]   // padded 11 x 11 x 13 x 3: 3 samples per stack, then 3, then 1
        [InlineData(16, 16, 8, 1, 3, 4, 5, 2, 0, 0, 6)]  // no padding: the stack reads the samples where they lie
        public void Samples_of_a_3D_chunk_match_the_same_samples_one_by_one(int c, int cp, int k, int groups, int d, int h, int w, int f, int pb, int pe, int samples)
        {
            // A 3D layer's samples (rows too short for the row kernels) run as one list of positions over their copies
            // one after another: each sample's outputs must be those of the sample alone, the residual included.
            var r = new Random(c * 100 + k + samples);
            int kp = KernelLayout.Pad8(k), o = (d + pb + pe - f) + 1, oh = h + pb + pe - f + 1, ow = w + pb + pe - f + 1;
            int xStep = d * h * w * cp, yStep = o * oh * ow * kp;
            float[] x = Map(r, d * h * w * samples, c, cp), add = Map(r, o * oh * ow * samples, k, kp);
            float[] weight = Values(r, k * c / groups * f * f * f), bias = Values(r, k);
            var cw = new ConvWeights(weight, bias, k, c, (f, f, f), groups);
            var single = new ConvWeights(weight, bias, k, c, (f, f, f), groups); // its own tables: made for one sample
            var shape = new WindowShape(c, cp, (d, h, w), k, (o, oh, ow), (f, f, f), (1, 1, 1), (1, 1, 1), (pb, pb, pb));
            var scratch = new float[KernelLayout.ConvScratch(cp, new Size3(d, h, w), new Size3(o, oh, ow), new Size3(f, f, f), new Size3(1, 1, 1),
                new Size3(1, 1, 1), new Size3(pb, pb, pb), false, k)];
            var together = new float[yStep * samples];
            Conv.Direct(cw, x, together, scratch, shape, samples, Activation.ReLU, 0f, add, Activation.None);
            var alone = new float[yStep];
            for (int n = 0; n < samples; n++)
            {
                Conv.Direct(single, x.AsSpan(n * xStep, xStep), alone, scratch, shape, Activation.ReLU, 0f, add.AsSpan(n * yStep, yStep), Activation.None);
                for (int i = 0; i < yStep; i++) Near(alone[i], together[n * yStep + i], $"sample {n} of {samples}, float {i}");
            }
        }

        [Theory]
        [InlineData(64, 64, 10, 10)]
        [InlineData(64, 48, 11, 13)]  // odd sizes: clipped tiles; panels 32 + 16
        [InlineData(100, 80, 16, 12)] // channels padded to 104, panels 32 + 32 + 16
        [InlineData(130, 16, 14, 14)]
        [InlineData(64, 112, 12, 12)] // panels 64 + 48
        [InlineData(24, 32, 13, 10)]  // the fewest channels the generator gives Winograd (KernelLayout.WinogradChannels)
        [InlineData(32, 16, 16, 16)]  // CIFAR ResNet-20's second stage shape, 16 filters: one 16-wide panel
        public void Winograd_matches_the_formula(int c, int k, int h, int w)
        {
            var r = new Random(c + k);
            Check(r, c, k, h, w, 3, 1, 1, 1, h, w, winograd: true, Activation.None, false, Activation.None);
            Check(r, c, k, h, w, 3, 1, 1, 1, h, w, winograd: true, Activation.ReLU, true, Activation.ReLU);
        }

        [Theory]
        // channels, multiplier, input H x W, kernel H x W, stride, pad top/left, output H x W
        [InlineData(144, 1, 12, 9, 3, 3, 1, 1, 12, 9)]
        [InlineData(40, 1, 11, 11, 3, 3, 2, 1, 6, 6)]
        [InlineData(24, 1, 7, 7, 5, 5, 1, 2, 7, 7)]
        [InlineData(8, 3, 6, 10, 3, 1, 1, 1, 6, 10)]   // multiplier 3: K = 24
        [InlineData(20, 1, 3, 2, 3, 3, 1, 1, 3, 2)]    // every output at an edge
        [InlineData(16, 1, 9, 9, 3, 3, 1, 0, 7, 7)]    // no padding
        [InlineData(1, 2, 5, 6, 1, 1, 2, 0, 3, 3, 1)]  // compact inputs (C floats per position) with a multiplier: one channel,
        [InlineData(2, 3, 5, 7, 2, 2, 1, 0, 4, 6, 2)]  // two (loads of 8 floats run into the next positions; the last ones go one by one),
        [InlineData(3, 2, 4, 5, 3, 3, 1, 1, 4, 5, 3)]  // three with padding,
        [InlineData(2, 6, 4, 4, 3, 3, 1, 1, 4, 4, 2)]  // two vectors of output channels
        public void Depthwise_matches_the_formula(int c, int m, int h, int w, int fh, int fw, int s, int p, int oh, int ow, int inStride = 0)
        {
            var r = new Random(c * m + h);
            int k = c * m, cp = inStride > 0 ? inStride : KernelLayout.Pad8(c), kp = KernelLayout.Pad8(k);
            float[] x = Map(r, h * w, c, cp);
            float[] weight = Values(r, k * fh * fw), bias = Values(r, k);
            var dw = new DepthwiseWeights(weight, bias, c, m, (fh, fw));
            var shape = new WindowShape(c, cp, (h, w), k, (oh, ow), (fh, fw), (s, s), (1, 1), (p, p));
            var y = new float[oh * ow * kp];
            var scratch = new float[KernelLayout.ConvScratch(cp, new Size3(1, h, w), new Size3(1, oh, ow), new Size3(1, fh, fw), new Size3(1, s, s),
                new Size3(1, 1, 1), new Size3(0, p, p), false, k, copyAlways: m > 1, copyStride: kp)];
            Depthwise.Run(dw, x, y, scratch, shape, Activation.ReLU6);
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int j = 0; j < k; j++)
                    {
                        double sum = bias[j];
                        for (int a = 0; a < fh; a++)
                            for (int b = 0; b < fw; b++)
                            {
                                int iy = oy * s - p + a, ix = ox * s - p + b;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) sum += (double)x[(iy * w + ix) * cp + j / m] * weight[(j * fh + a) * fw + b];
                            }
                        double expected = Math.Min(Math.Max(sum, 0), 6);
                        Near(expected, y[(oy * ow + ox) * kp + j], $"depthwise output ({oy}, {ox}) channel {j}");
                    }
        }

        /// <summary>
        /// A NaN in the input stays NaN through ReLU and ReLU6 in every output that reads it, and the others are exact,
        /// whether the kernel clamps as it stores (a 64-wide panel on the 512-bit path) or the epilogue does (8 filters).
        /// </summary>
        [Theory]
        [InlineData(Activation.ReLU, 64)]
        [InlineData(Activation.ReLU6, 64)]
        [InlineData(Activation.ReLU6, 8)]
        public void A_NaN_input_stays_NaN_through_ReLU_and_ReLU6(Activation act, int k)
        {
            const int c = 16, h = 6, w = 6;
            var r = new Random(5);
            float[] x = Map(r, h * w, c, c);
            x[(2 * w + 3) * c + 5] = float.NaN; // position (2, 3), channel 5
            float[] weight = Values(r, k * c * 9), bias = Values(r, k);
            var cw = new ConvWeights(weight, bias, k, c, (3, 3));
            var shape = new WindowShape(c, c, (h, w), k, (h, w), (3, 3), (1, 1), (1, 1), (1, 1));
            var y = new float[h * w * k];
            var scratch = new float[KernelLayout.ConvScratch(c, new Size3(1, h, w), new Size3(1, h, w), new Size3(1, 3, 3), new Size3(1, 1, 1),
                new Size3(1, 1, 1), new Size3(0, 1, 1), false, k)];
            Conv.Direct(cw, x, y, scratch, shape, act);
            for (int oy = 0; oy < h; oy++)
                for (int ox = 0; ox < w; ox++)
                {
                    bool reads = Math.Abs(oy - 2) <= 1 && Math.Abs(ox - 3) <= 1;
                    for (int j = 0; j < k; j++)
                        Assert.True(reads == float.IsNaN(y[(oy * w + ox) * k + j]), $"{act}, {k} filters: output ({oy}, {ox}) filter {j} is {y[(oy * w + ox) * k + j]}");
                }
        }

        private static void Check(Random r, int c, int k, int h, int w, int f, int s, int d, int p, int oh, int ow, bool winograd,
            Activation act, bool residual, Activation after)
        {
            int cp = c < 8 ? c : KernelLayout.Pad8(c), kp = KernelLayout.Pad8(k);
            float[] x = Map(r, h * w, c, cp);
            float[] weight = Values(r, k * c * f * f), bias = Values(r, k);
            var cw = new ConvWeights(weight, bias, k, c, (f, f), winograd: winograd);
            var shape = new WindowShape(c, cp, (h, w), k, (oh, ow), (f, f), (s, s), (d, d), (p, p));
            float[] add = residual ? Map(r, oh * ow, k, kp) : Array.Empty<float>();
            var y = new float[oh * ow * kp];
            var scratch = new float[KernelLayout.ConvScratch(cp, new Size3(1, h, w), new Size3(1, oh, ow), new Size3(1, f, f), new Size3(1, s, s),
                new Size3(1, d, d), new Size3(0, p, p), winograd, k)];
            const float alpha = 0.1f;
            if (winograd) Conv.Winograd(cw, x, y, scratch, shape, act, alpha, add, after);
            else Conv.Direct(cw, x, y, scratch, shape, act, alpha, add, after);
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int j = 0; j < k; j++)
                    {
                        double sum = bias[j];
                        for (int ch = 0; ch < c; ch++)
                            for (int a = 0; a < f; a++)
                                for (int b = 0; b < f; b++)
                                {
                                    int iy = oy * s - p + a * d, ix = ox * s - p + b * d;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) sum += (double)x[(iy * w + ix) * cp + ch] * weight[((j * c + ch) * f + a) * f + b];
                                }
                        double expected = Apply(sum, act, alpha);
                        if (residual) expected = Apply(expected + add[(oy * ow + ox) * kp + j], after, 0);
                        Near(expected, y[(oy * ow + ox) * kp + j], $"{(winograd ? "Winograd" : "direct")} {c}->{k} {act}{(residual ? $" + residual, {after}" : "")}: output ({oy}, {ox}) filter {j}");
                    }
        }

        private static double Apply(double v, Activation a, double alpha) => a switch
        {
            Activation.None => v,
            Activation.ReLU => Math.Max(v, 0),
            Activation.ReLU6 => Math.Min(Math.Max(v, 0), 6),
            Activation.LeakyReLU => v >= 0 ? v : alpha * v,
            Activation.HardSwish => v * Math.Min(Math.Max(v / 6 + 0.5, 0), 1),
            Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
            _ => throw new ArgumentOutOfRangeException(nameof(a)),
        };

        private static void Near(double expected, float actual, string what)
        {
            if (Math.Abs(expected - actual) > 1e-4 + 1e-4 * Math.Abs(expected))
                Assert.Fail($"{what}: {actual}, expected {expected} (path: {CnnGenRuntime.VectorBits} bits)");
        }

        /// <summary>A channels-last map: <paramref name="channels"/> random values per position, zeros in the padding lanes.</summary>
        private static float[] Map(Random r, int positions, int channels, int stride)
        {
            var x = new float[positions * stride];
            for (int i = 0; i < positions; i++)
                for (int ch = 0; ch < channels; ch++) x[i * stride + ch] = (float)(r.NextDouble() * 2 - 1);
            return x;
        }

        private static float[] Values(Random r, int n)
        {
            var v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float)(r.NextDouble() - 0.5);
            return v;
        }
    }
}

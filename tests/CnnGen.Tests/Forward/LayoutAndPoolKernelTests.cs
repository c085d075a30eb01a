using System;
using CnnGen.Kernels;
using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// Kernels with several loops for one job, against plain loops in double: padded pooling (one pass per dimension on
    /// small maps, window by window on large ones), the broadcast gate (channels outer), the input transpose of few
    /// channels (channel by channel), the concatenation of narrow branches (no whole-vector stores past a branch). The Forward filter runs them on every path scripts/test.sh forces.
    /// </summary>
    public class LayoutAndPoolKernelTests
    {
        // channels, input (D, H, W), kernel, stride, pad begin, pad end: 1D, 2D and 3D, padding on one side or both,
        // a window wider than the input along one dimension, strides that skip cells.
        public static TheoryData<int, int[], int[], int[], int[], int[]> Pools => new()
        {
            { 2, new[] { 7, 6, 5 }, new[] { 3, 3, 3 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 }, new[] { 1, 1, 1 } },
            { 8, new[] { 1, 5, 2 }, new[] { 1, 3, 3 }, new[] { 1, 1, 1 }, new[] { 0, 1, 1 }, new[] { 0, 1, 1 } }, // rows of 2: both ends clipped
            { 6, new[] { 1, 1, 9 }, new[] { 1, 1, 3 }, new[] { 1, 1, 1 }, new[] { 0, 0, 1 }, new[] { 0, 0, 1 } }, // one row of a 1D map
            { 9, new[] { 1, 9, 7 }, new[] { 1, 3, 2 }, new[] { 1, 2, 2 }, new[] { 0, 1, 0 }, new[] { 0, 1, 1 } },
            { 3, new[] { 1, 1, 20 }, new[] { 1, 1, 4 }, new[] { 1, 1, 3 }, new[] { 0, 0, 2 }, new[] { 0, 0, 1 } },
            { 16, new[] { 3, 4, 5 }, new[] { 2, 5, 2 }, new[] { 2, 1, 1 }, new[] { 1, 2, 0 }, new[] { 0, 2, 1 } },
            { 5, new[] { 1, 40, 300 }, new[] { 1, 3, 3 }, new[] { 1, 1, 1 }, new[] { 0, 1, 1 }, new[] { 0, 1, 1 } }, // too large for the passes
        };

        [Theory]
        [MemberData(nameof(Pools))]
        public void Padded_pooling_matches_the_windows_in_double(int channels, int[] input, int[] kernel, int[] stride, int[] padBegin, int[] padEnd)
        {
            int cp = (channels + 7) & ~7;
            var output = new int[3];
            for (int d = 0; d < 3; d++) output[d] = (input[d] + padBegin[d] + padEnd[d] - kernel[d]) / stride[d] + 1;
            var random = new Random(11);
            int inPositions = input[0] * input[1] * input[2], outPositions = output[0] * output[1] * output[2];
            var x = new float[inPositions * cp];
            for (int i = 0; i < x.Length; i++) x[i] = i % cp < channels ? (float)(random.NextDouble() * 4 - 2) : 0f;
            var shape = new WindowShape(channels, cp, (input[0], input[1], input[2]), channels, (output[0], output[1], output[2]),
                (kernel[0], kernel[1], kernel[2]), (stride[0], stride[1], stride[2]), (1, 1, 1), (padBegin[0], padBegin[1], padBegin[2]));
            foreach (bool max in new[] { true, false })
                foreach (bool includePad in max ? new[] { false } : new[] { false, true })
                {
                    var y = new float[outPositions * cp];
                    Pool.Run(x, y, shape, max, includePad);
                    for (int od = 0; od < output[0]; od++)
                        for (int oh = 0; oh < output[1]; oh++)
                            for (int ow = 0; ow < output[2]; ow++)
                                for (int c = 0; c < channels; c++)
                                {
                                    double acc = max ? double.NegativeInfinity : 0;
                                    int cells = 0;
                                    for (int a = 0; a < kernel[0]; a++)
                                        for (int b = 0; b < kernel[1]; b++)
                                            for (int e = 0; e < kernel[2]; e++)
                                            {
                                                int id = od * stride[0] - padBegin[0] + a, ih = oh * stride[1] - padBegin[1] + b, iw = ow * stride[2] - padBegin[2] + e;
                                                if (id < 0 || id >= input[0] || ih < 0 || ih >= input[1] || iw < 0 || iw >= input[2]) continue;
                                                double v = x[((id * input[1] + ih) * input[2] + iw) * cp + c];
                                                acc = max ? Math.Max(acc, v) : acc + v;
                                                cells++;
                                            }
                                    double expected = max ? acc : acc / (includePad ? kernel[0] * kernel[1] * kernel[2] : cells);
                                    float actual = y[((od * output[1] + oh) * output[2] + ow) * cp + c];
                                    Assert.True(Math.Abs(actual - expected) <= 1e-5 * (1 + Math.Abs(expected)),
                                        $"{(max ? "max" : includePad ? "average (pads counted)" : "average")} at ({od}, {oh}, {ow}) channel {c}: {actual}, expected {expected}");
                                }
                }
        }

        [Theory]
        [InlineData(1, 78)]
        [InlineData(3, 5)]
        [InlineData(12, 33)]
        [InlineData(40, 7)]
        public void A_broadcast_gate_and_a_full_one_multiply_every_value(int channels, int positions)
        {
            int stride = (channels + 7) & ~7;
            var random = new Random(channels);
            var x = new float[positions * stride];
            var full = new float[x.Length];
            var gate = new float[stride];
            for (int i = 0; i < x.Length; i++) (x[i], full[i]) = ((float)random.NextDouble() - 0.5f, (float)random.NextDouble());
            for (int c = 0; c < stride; c++) gate[c] = (float)random.NextDouble();
            var y = new float[x.Length];
            Merge.Multiply(x, gate, y, positions, stride, broadcast: true);
            for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] * gate[i % stride], y[i]);
            Merge.Multiply(x, full, y, positions, stride, broadcast: false);
            for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] * full[i], y[i]);
            x.AsSpan().CopyTo(y);
            Merge.Multiply(y, gate, y, positions, stride, broadcast: true); // in place, as the generated code runs it
            for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] * gate[i % stride], y[i]);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(7)]
        [InlineData(8)]
        [InlineData(33)]
        [InlineData(78)]
        [InlineData(100)]
        public void A_compact_channel_pools_gates_and_flattens_as_it_lies(int positions)
        {
            // One channel at one float per position (stride 1), three samples back to back: global max and average, a
            // broadcast gate, channels-first; the pooled vector's lanes past the channel are zero.
            const int samples = 3;
            var random = new Random(positions);
            var x = new float[samples * positions];
            for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble() * 4 - 2;
            foreach (bool max in new[] { true, false })
            {
                var y = new float[samples * 8];
                y.AsSpan().Fill(float.NaN);
                Pool.Global(x, y, channels: 1, positions, max, samples, stride: 1);
                for (int n = 0; n < samples; n++)
                {
                    double expected = max ? double.NegativeInfinity : 0;
                    for (int p = 0; p < positions; p++) expected = max ? Math.Max(expected, x[n * positions + p]) : expected + x[n * positions + p];
                    if (!max) expected /= positions;
                    Assert.True(Math.Abs(y[n * 8] - expected) <= 1e-6 * (1 + Math.Abs(expected)), $"{(max ? "max" : "average")} of sample {n}: {y[n * 8]}, expected {expected}");
                    for (int c = 1; c < 8; c++) Assert.Equal(0f, y[n * 8 + c]);
                }
            }
            var gate = new float[samples * 8];
            for (int i = 0; i < gate.Length; i++) gate[i] = i + 0.5f;
            var gated = new float[x.Length];
            Merge.Multiply(x, gate, gated, positions, stride: 1, broadcast: true, samples);
            for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] * gate[i / positions * 8], gated[i]);
            var first = new float[x.Length];
            Layout.ToChannelsFirst(x, first, channels: 1, positions, stride: 1, samples);
            Assert.Equal(x, first);
            Assert.Throws<ArgumentException>(() => Pool.Global(new float[16], new float[8], channels: 2, positions: 8, max: true, samples: 1, stride: 2));
        }

        [Fact]
        public void Batched_kernels_refuse_buffers_that_do_not_split_into_their_samples()
        {
            // Two samples of 2 positions of 8 floats are 32 floats; 33 cannot be two equal samples.
            var e = Assert.Throws<ArgumentException>(() => Pool.Global(new float[33], new float[16], channels: 8, positions: 2, max: true, samples: 2));
            Assert.Contains("do not split into 2 samples", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Softmax(new float[16], new float[16], 8, samples: 0));
            // Equal samples, but each too short for its map.
            e = Assert.Throws<ArgumentException>(() => Layout.ToChannelsFirst(new float[30], new float[30], channels: 8, positions: 2, stride: 8, samples: 2));
            Assert.Contains("per sample", e.Message);
            // Split right, the samples come out as one by one.
            var x = new float[2 * 2 * 8];
            for (int i = 0; i < x.Length; i++) x[i] = i;
            var batched = new float[16];
            Pool.Global(x, batched, channels: 8, positions: 2, max: true, samples: 2);
            var one = new float[8];
            for (int n = 0; n < 2; n++)
            {
                Pool.Global(x.AsSpan(n * 16, 16), one, channels: 8, positions: 2, max: true);
                Assert.Equal(one, batched.AsSpan(n * 8, 8).ToArray());
            }
        }

        [Theory]
        [InlineData(new[] { 2, 11, 40, 3 }, 56, false)]
        [InlineData(new[] { 2, 11, 40, 3 }, 56, true)]
        [InlineData(new[] { 5, 7, 9, 1, 6 }, 32, false)]
        [InlineData(new[] { 5, 7, 9, 1, 6 }, 32, true)]
        [InlineData(new[] { 8, 3, 13, 31 }, 56, true)]
        public void Concatenated_branches_keep_each_others_channels(int[] widths, int outputStride, bool tight)
        {
            // Branches one after another into a map of outputStride floats per position: narrow ones at offsets inside a
            // vector (a moved load and a select), ones that cross vectors, 40 (a block copy). Every output channel comes
            // from its branch, the padding lanes stay as they were. Tight: x and y end right after the last position's
            // channels (the end positions must not read or write past them).
            const int positions = 13;
            var y = new float[positions * outputStride];
            y.AsSpan().Fill(-1f);
            int offset = 0;
            foreach (int channels in widths)
            {
                int inputStride = (channels + 7) & ~7;
                var x = new float[positions * inputStride];
                for (int p = 0; p < positions; p++)
                    for (int c = 0; c < inputStride; c++) x[p * inputStride + c] = c < channels ? 1000 * (offset + c) + p : float.NaN;
                int xLength = tight ? (positions - 1) * inputStride + channels : x.Length;
                int yLength = tight ? (positions - 1) * outputStride + offset + channels : y.Length;
                Merge.Concat(x.AsSpan(0, xLength), y.AsSpan(0, yLength), positions, channels, inputStride, outputStride, offset);
                offset += channels;
            }
            for (int p = 0; p < positions; p++)
                for (int c = 0; c < outputStride; c++)
                    Assert.Equal(c < offset ? 1000 * c + p : -1f, y[p * outputStride + c]);
        }

        [Theory]
        [InlineData(new[] { 2, 2, 4 }, 16, false)]  // R17's
        [InlineData(new[] { 2, 2, 4 }, 16, true)]
        [InlineData(new[] { 1, 7 }, 3, true)]
        [InlineData(new[] { 1, 2, 1, 3 }, 21, true)]
        [InlineData(new[] { 3, 2 }, 2, false)]       // lanes past the channels zero
        [InlineData(new[] { 5, 3 }, 1, true)]        // one position: its loads leave the tight branches, one by one
        [InlineData(new[] { 6, 6, 6 }, 105, false)]  // R14's: 18 channels in 24 floats, each vector from two branches
        [InlineData(new[] { 6, 6, 6 }, 17, true)]
        [InlineData(new[] { 5, 9, 3 }, 11, true)]    // a branch of two vectors in the middle
        [InlineData(new[] { 1, 15, 16 }, 9, true)]   // 32 channels: four output vectors
        [InlineData(new[] { 8, 8 }, 6, false)]       // whole vectors
        [InlineData(new[] { 3, 17, 2, 9 }, 5, true)] // four branches, 31 channels
        [InlineData(new[] { 7, 7 }, 1, true)]        // 14 channels, one position: one by one, the lanes past them zero
        public void Branches_of_few_channels_join_in_one_pass(int[] widths, int positions, bool tight)
        {
            // Merge.Join puts each position together from every branch: every output channel from its branch, the lanes
            // past them (to the next multiple of 8) zero, in the vector loop and at the end positions that go one by one.
            // Tight: each branch ends right after its last position's channels (the moved reads must not leave it).
            var xs = new float[widths.Length][];
            int offset = 0;
            var offsets = new int[widths.Length];
            for (int i = 0; i < widths.Length; i++)
            {
                int stride = (widths[i] + 7) & ~7;
                xs[i] = new float[positions * stride];
                offsets[i] = offset;
                for (int p = 0; p < positions; p++)
                    for (int c = 0; c < stride; c++) xs[i][p * stride + c] = c < widths[i] ? 1000 * (offset + c) + p : float.NaN;
                if (tight) xs[i] = xs[i].AsSpan(0, (positions - 1) * stride + widths[i]).ToArray();
                offset += widths[i];
            }
            int outputStride = (offset + 7) & ~7;
            var y = new float[positions * outputStride];
            y.AsSpan().Fill(-1f);
            static int S(int w) => (w + 7) & ~7;
            if (widths.Length == 2) Merge.Join(y, positions, xs[0], widths[0], S(widths[0]), xs[1], widths[1], S(widths[1]));
            else if (widths.Length == 3) Merge.Join(y, positions, xs[0], widths[0], S(widths[0]), xs[1], widths[1], S(widths[1]), xs[2], widths[2], S(widths[2]));
            else Merge.Join(y, positions, xs[0], widths[0], S(widths[0]), xs[1], widths[1], S(widths[1]), xs[2], widths[2], S(widths[2]), xs[3], widths[3], S(widths[3]));
            for (int p = 0; p < positions; p++)
                for (int c = 0; c < offset; c++) Assert.Equal(1000 * c + p, y[p * outputStride + c]);
            for (int p = 0; p < positions; p++)
                for (int c = offset; c < outputStride; c++)
                    Assert.True(y[p * outputStride + c] == 0f, $"position {p} lane {c}: {y[p * outputStride + c]}");
            var wide = new float[positions * 24];
            Assert.Throws<ArgumentException>(() => Merge.Join(new float[positions * 40], positions, wide, 20, 24, wide, 20, 24)); // 40 channels: more than 32
            Assert.Throws<ArgumentException>(() => Merge.Join(new float[positions * 16 - 1], positions, wide, 5, 24, wide, 5, 24)); // 10 channels: 16 floats per position
        }

        [Theory]
        [InlineData(1, 7, 8)]
        [InlineData(2, 8, 8)]
        [InlineData(6, 78, 8)]
        [InlineData(8, 17, 8)]
        [InlineData(11, 9, 16)]
        [InlineData(16, 25, 16)]
        [InlineData(18, 33, 24)]
        [InlineData(3, 20, 3)]
        public void Channels_last_maps_go_channels_first_exactly(int channels, int positions, int stride)
        {
            // Two samples back to back: 8 positions at a time where the stride is whole vectors, the rest one by one; no
            // float of y past the channels' rows is touched.
            const int samples = 2;
            var x = new float[samples * positions * stride];
            for (int i = 0; i < x.Length; i++) x[i] = i % stride < channels ? i + 1 : float.NaN; // a padding lane read would show
            int length = channels * positions + 5;
            var y = new float[samples * length];
            y.AsSpan().Fill(-1f);
            Layout.ToChannelsFirst(x, y, channels, positions, stride, samples);
            for (int n = 0; n < samples; n++)
            {
                for (int c = 0; c < channels; c++)
                    for (int p = 0; p < positions; p++)
                        Assert.Equal(x[(n * positions + p) * stride + c], y[n * length + c * positions + p]);
                for (int i = channels * positions; i < length; i++) Assert.Equal(-1f, y[n * length + i]);
            }
        }

        [Theory]
        [InlineData(1, 1, 1, 26, 3)]
        [InlineData(3, 1, 1, 26, 3)]
        [InlineData(2, 1, 4, 5, 2)]
        [InlineData(5, 2, 3, 2, 2)]
        [InlineData(7, 1, 1, 3, 4)]
        [InlineData(8, 1, 3, 3, 2)]
        public void Upsampling_repeats_each_position_and_writes_nothing_past_the_map(int stride, int d, int h, int w, int scale)
        {
            // Compact maps (fewer than 8 floats per position) move 8 floats at a time where that stays inside both maps;
            // the floats after the output map keep their values.
            var input = new Dims(d, h, w);
            var s3 = new Dims(d > 1 ? scale : 1, h > 1 ? scale : 1, scale);
            var output = new Dims(d * s3.D, h * s3.H, w * s3.W);
            var x = new float[input.Product * stride];
            for (int i = 0; i < x.Length; i++) x[i] = i + 1;
            var y = new float[output.Product * stride + 9];
            y.AsSpan().Fill(-1f);
            Layout.Upsample(x, y, input, s3, stride);
            for (int od = 0; od < output.D; od++)
                for (int oh = 0; oh < output.H; oh++)
                    for (int ow = 0; ow < output.W; ow++)
                        for (int c = 0; c < stride; c++)
                        {
                            int from = ((od / s3.D * h + oh / s3.H) * w + ow / s3.W) * stride + c, to = ((od * output.H + oh) * output.W + ow) * stride + c;
                            Assert.Equal(x[from], y[to]);
                        }
            for (int i = output.Product * stride; i < y.Length; i++) Assert.Equal(-1f, y[i]);
        }

        [Theory]
        [InlineData(2, 112, 2)]
        [InlineData(3, 17, 3)]
        [InlineData(2, 9, 8)]
        [InlineData(5, 30, 8)]
        [InlineData(11, 6, 16)]
        [InlineData(2, 210, 8)]    // 8 positions of 8 channels at a time, transposed in registers, and the last 2 one by one
        [InlineData(8, 17, 8)]
        [InlineData(11, 25, 16)]
        [InlineData(3, 40, 24)]    // a group of 8 lanes past the channels'
        [InlineData(1, 20, 16)]
        public void Few_channels_go_channels_last_with_zero_padding_lanes(int channels, int positions, int stride)
        {
            var x = new float[channels * positions];
            for (int i = 0; i < x.Length; i++) x[i] = i + 1;
            var y = new float[positions * stride];
            y.AsSpan().Fill(float.NaN); // a padding lane left unwritten would show
            Layout.ToChannelsLast(x, y, channels, positions, stride);
            for (int p = 0; p < positions; p++)
                for (int c = 0; c < stride; c++)
                    Assert.Equal(c < channels ? x[c * positions + p] : 0f, y[p * stride + c]);
        }
    }
}

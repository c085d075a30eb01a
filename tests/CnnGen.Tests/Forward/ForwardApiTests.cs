using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Forward
{
    [Collection(RuntimeSettings.Name)]
    public class ForwardApiTests
    {
        private static string Mnist8Dir => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8"));

        private static float[] Random(int n, int seed)
        {
            var r = new Random(seed);
            return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        }

        [Theory]
        [InlineData(0, 2)]
        [InlineData(1, 0)]
        [InlineData(2, 9)]
        public void Mnist8_reproduces_the_reference_outputs(int set, int digit)
        {
            Mnist8 net = Mnist8.Load(Path.Combine(Mnist8Dir, "model.onnx"));
            float[] input = OnnxData.ReadTensor(Path.Combine(Mnist8Dir, $"test_data_set_{set}", "input_0.pb"), out long[] inShape);
            float[] expected = OnnxData.ReadTensor(Path.Combine(Mnist8Dir, $"test_data_set_{set}", "output_0.pb"), out _);
            Assert.Equal(new long[] { 1, 1, 28, 28 }, inShape);
            var logits = new float[10];
            net.Forward(input, logits);
            float tolerance = 1e-4f * expected.Max(MathF.Abs);
            for (int i = 0; i < 10; i++) Assert.InRange(logits[i], expected[i] - tolerance, expected[i] + tolerance);
            Assert.Equal(digit, Array.IndexOf(logits, logits.Max()));
        }

        [Fact]
        public void Wrong_span_lengths_throw_ArgumentException_with_expected_and_actual()
        {
            var net = new LeNet5(new float[LeNet5.ParameterCount]);
            var e = Assert.Throws<ArgumentException>(() => net.Forward(new float[783], new float[10]));
            Assert.Equal("input", e.ParamName);
            Assert.Contains("783", e.Message);
            Assert.Contains("784", e.Message);
            e = Assert.Throws<ArgumentException>(() => net.Forward(new float[784 * 3], new float[30 - 1], 3));
            Assert.Contains("29", e.Message);
            Assert.Contains("30", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(new float[784], new float[10], 0));
            e = Assert.Throws<ArgumentException>(() => new LeNet5(new float[5]));
            Assert.Contains("61706", e.Message);
            Assert.Contains("5", e.Message);
        }

        [Fact]
        public void Batch_equals_samples_one_by_one()
        {
            var net = new LeNet5(Random((int)LeNet5.ParameterCount, 1));
            float[] input = Random(784 * 5, 2);
            var batch = new float[50];
            net.Forward(input, batch, 5);
            for (int n = 0; n < 5; n++)
            {
                var one = new float[10];
                net.Forward(input.AsSpan(n * 784, 784), one);
                // Equal up to rounding: in a batch the dense layers may run on rows of 4 samples (another summation order).
                for (int i = 0; i < 10; i++) Assert.InRange(batch[n * 10 + i], one[i] - 1e-6f - 1e-5f * one[i], one[i] + 1e-6f + 1e-5f * one[i]);
            }
            Assert.Equal(1f, batch.Take(10).Sum(), 3); // softmax output
        }

        [Fact]
        public void Forward_allocates_nothing_after_warm_up()
        {
            var net = new LeNet5(Random((int)LeNet5.ParameterCount, 3));
            float[] input = Random(784 * 4, 4);
            var output = new float[40];
            int saved = CnnGenRuntime.MaxThreads;
            try
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    CnnGenRuntime.MaxThreads = threads;
                    for (int i = 0; i < 3; i++) { net.Forward(input, output, 4); net.Forward(input.AsSpan(0, 784), output.AsSpan(0, 10)); }
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 50; i++) { net.Forward(input, output, 4); net.Forward(input.AsSpan(0, 784), output.AsSpan(0, 10)); }
                    Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                // A struct network (run through one box made by its constructor) whose batches run in chunks, each
                // chunk's convolution in groups of samples taken as one map, the last group the samples left (the tables
                // of the full group serve the smaller ones and the single sample); on two threads the chunks take every
                // size. Then a 3D network whose chunks run their samples as one list of positions and as one row.
                var small = new SmallNet(Random((int)SmallNet.ParameterCount, 6));
                float[] smallInput = Random(72 * 35, 7);
                var smallOutput = new float[4 * 35];
                int[] batches = { 1, 3, 17, 35 };
                foreach (int threads in new[] { 1, 2 })
                {
                    CnnGenRuntime.MaxThreads = threads;
                    // Warmed up past tiered compilation's promotions (a one-off allocation of the JIT's own on this thread).
                    for (int round = 0; round < 2; round++)
                    {
                        for (int i = 0; i < 100; i++) foreach (int batch in batches) small.Forward(smallInput.AsSpan(0, 72 * batch), smallOutput.AsSpan(0, 4 * batch), batch);
                        System.Threading.Thread.Sleep(300);
                    }
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 20; i++) foreach (int batch in batches) small.Forward(smallInput.AsSpan(0, 72 * batch), smallOutput.AsSpan(0, 4 * batch), batch);
                    Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                var volume = new SmallVolume(Random((int)SmallVolume.ParameterCount, 8));
                int inputLength = (int)SmallVolume.InputLength, outputLength = (int)SmallVolume.OutputLength;
                float[] volumeInput = Random(inputLength * 35, 9);
                var volumeOutput = new float[outputLength * 35];
                foreach (int threads in new[] { 1, 2 })
                {
                    CnnGenRuntime.MaxThreads = threads;
                    for (int round = 0; round < 2; round++)
                    {
                        for (int i = 0; i < 100; i++) foreach (int batch in batches) volume.Forward(volumeInput.AsSpan(0, inputLength * batch), volumeOutput.AsSpan(0, outputLength * batch), batch);
                        System.Threading.Thread.Sleep(300);
                    }
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 20; i++) foreach (int batch in batches) volume.Forward(volumeInput.AsSpan(0, inputLength * batch), volumeOutput.AsSpan(0, outputLength * batch), batch);
                    Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
                }
            }
            finally
            {
                CnnGenRuntime.MaxThreads = saved;
            }
        }

        [Fact]
        public void A_default_struct_network_says_it_has_no_weights()
        {
            var e = Assert.Throws<InvalidOperationException>(() => default(SmallNet).Forward(new float[72], new float[4]));
            Assert.Contains("SmallNet has no weights", e.Message);
            Assert.Contains("new SmallNet(parameters)", e.Message);
        }

        [Fact]
        public void One_instance_is_safe_to_share_between_threads()
        {
            var net = new LeNet5(Random((int)LeNet5.ParameterCount, 5));
            float[][] inputs = Enumerable.Range(0, 8).Select(i => Random(784, 10 + i)).ToArray();
            float[][] expected = inputs.Select(x => { var y = new float[10]; net.Forward(x, y); return y; }).ToArray();
            Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            {
                var y = new float[10];
                net.Forward(inputs[i % 8], y);
                Assert.Equal(expected[i % 8], y);
            });
        }

        [Fact]
        public void Batches_run_the_same_on_one_thread_and_on_several()
        {
            var net = new LeNet5(Random((int)LeNet5.ParameterCount, 21));
            float[] input = Random(784 * 37, 22);
            float[] threaded = new float[370], single = new float[370];
            int saved = CnnGenRuntime.MaxThreads;
            try
            {
                CnnGenRuntime.MaxThreads = 3;
                net.Forward(input, threaded, 37);
                CnnGenRuntime.MaxThreads = 1;
                net.Forward(input, single, 37);
            }
            finally
            {
                CnnGenRuntime.MaxThreads = saved;
            }
            // The same sums, grouped differently (rows of 4 samples or one sample at a time): equal up to rounding.
            for (int i = 0; i < single.Length; i++) Assert.InRange(threaded[i], single[i] - 1e-6f - 1e-5f * Math.Abs(single[i]), single[i] + 1e-6f + 1e-5f * Math.Abs(single[i]));
            Assert.Throws<ArgumentOutOfRangeException>(() => CnnGenRuntime.MaxThreads = 0);
        }

        [Fact]
        public void Spec_describes_the_declaration()
        {
            Assert.Equal(new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias" },
                LeNet5.Spec.ParameterNames);
            Assert.Equal(61706, LeNet5.Spec.ParameterCount);
            Assert.Equal(new[] { "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.1.running_mean", "features.1.running_var", "classifier.weight", "classifier.bias" },
                SmallNet.Spec.ParameterNames);
            IConvNet net = new SmallNet(new float[SmallNet.ParameterCount]);
            Assert.Equal(72, net.InputLength);
            Assert.Equal(4, net.OutputLength);
        }
    }
}

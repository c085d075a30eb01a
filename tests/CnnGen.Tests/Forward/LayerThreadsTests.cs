using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using CnnGen.Kernels;
using CnnGen.Shapes;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// A single sample with several threads splits its large layers by outputs (rows, positions, Winograd tile blocks,
    /// dense weight blocks). A share smaller than a register block runs on the one-position kernel, which sums in
    /// another order, so the results are equal up to rounding.
    /// </summary>
    [Collection(RuntimeSettings.Name)]
    public class LayerThreadsTests
    {
        [Fact]
        public void Split_layers_give_the_same_outputs_as_one_thread()
        {
            var random = new Random(4242);
            List<Architecture> architectures = RandomArchitectures.CreateMany(random, "T", 60);
            // Layers of every kind of kernel: compact first layer (row kernels), the register blocks, Winograd, dense.
            Kernel(architectures, "Rows", new[] { 1, 40, 37 }, new LayerDeclaration(LayerKind.Conv) { Units = 8, Kernel = new EquatableArray<int>(new[] { 5 }) });
            Kernel(architectures, "Narrow", new[] { 12, 29, 23 }, new LayerDeclaration(LayerKind.Conv) { Units = 8, Kernel = new EquatableArray<int>(new[] { 3 }), Stride = 2 });
            Kernel(architectures, "Wide", new[] { 9, 300 }, new LayerDeclaration(LayerKind.Conv) { Units = 40, Kernel = new EquatableArray<int>(new[] { 7 }), Pads = new EquatableArray<int>(new[] { 3, 2 }) });
            // Many filters over a small map: the threads share the panels of filters, not the positions.
            Kernel(architectures, "Deep", new[] { 64, 6, 5 }, new LayerDeclaration(LayerKind.Conv) { Units = 264, Kernel = new EquatableArray<int>(new[] { 3 }), Padding = 1 });
            Kernel(architectures, "Wino", new[] { 64, 23, 19 }, new LayerDeclaration(LayerKind.Conv) { Units = 48, Kernel = new EquatableArray<int>(new[] { 3 }), Padding = 1 });
            architectures.Add(new Architecture("Dense", new[] { 7, 10, 10 }, new[] { new LayerDeclaration(LayerKind.Flatten), new LayerDeclaration(LayerKind.Dense) { Units = 333 } }));

            var source = new StringBuilder("using CnnGen;\nnamespace Threads;\n");
            foreach (Architecture a in architectures) source.Append(RandomArchitectures.Declare(a));
            Assembly assembly = InMemoryNetworks.Compile(source.ToString());

            int savedThreads = CnnGenRuntime.MaxThreads;
            long savedSplit = Batch.LayerSplitMacs;
            try
            {
                Batch.LayerSplitMacs = 0; // split every layer, however small: uneven shares and shares smaller than a register block
                foreach (Architecture a in architectures)
                {
                    Type type = assembly.GetType("Threads." + a.Name, throwOnError: true)!;
                    NetworkSpec spec = InMemoryNetworks.Spec(type);
                    IConvNet net = InMemoryNetworks.Create(type, RandomArchitectures.Parameters(spec, random));
                    float[] input = RandomArchitectures.Inputs(spec.InputLength, random);
                    var single = new float[spec.OutputLength];
                    CnnGenRuntime.MaxThreads = 1;
                    net.Forward(input, single);
                    float[] other = RandomArchitectures.Inputs(spec.InputLength, random);
                    foreach (int threads in new[] { 2, 3, 5 })
                    {
                        // Another input first, so an output a split would leave unwritten holds another value.
                        CnnGenRuntime.MaxThreads = 1;
                        net.Forward(other, new float[spec.OutputLength]);
                        var split = new float[spec.OutputLength];
                        CnnGenRuntime.MaxThreads = threads;
                        net.Forward(input, split);
                        for (int i = 0; i < single.Length; i++)
                            if (Math.Abs(single[i] - split[i]) > 1e-6f + 1e-5f * Math.Abs(single[i]))
                                Assert.Fail($"{a.Name} on {threads} threads, output {i}: {split[i]}, on one thread {single[i]}\n{RandomArchitectures.Declare(a)}\n{spec.Summary}");
                    }
                }
            }
            finally
            {
                CnnGenRuntime.MaxThreads = savedThreads;
                Batch.LayerSplitMacs = savedSplit;
            }
        }

        /// <summary>Counts, per job, how often each of its parts ran.</summary>
        private sealed unsafe class CountingJob : IParallelJob
        {
            public int[] Runs = Array.Empty<int>();

            public void RunPart(float* x, float* y, int part, int parts, float* scratch)
            {
                if (parts != Runs.Length) throw new InvalidOperationException($"a part of a job of {Runs.Length} parts was told {parts}");
                System.Threading.Interlocked.Increment(ref Runs[part]);
                if (part % 3 == 0) System.Threading.Thread.SpinWait(200); // uneven parts, so threads overtake each other
            }
        }

        [Fact]
        public void Shares_tile_the_range_in_whole_units_largest_at_the_two_ends()
        {
            foreach (int parts in new[] { 2, 3, 6, 7, 12, 40 })
                foreach (int unit in new[] { 1, 12, 64 })
                    foreach (int count in new[] { 0, 1, 5, 11, 64, 256, 1000, 4097 })
                    {
                        int end = 0;
                        var sizes = new int[parts];
                        for (int part = 0; part < parts; part++)
                        {
                            (int from, int to) = Batch.Share(count, unit, part, parts);
                            Assert.True(from == end, $"count {count}, unit {unit}, part {part} of {parts}: starts at {from}, the part before ended at {end}");
                            Assert.True(to >= from && (to == count || to % unit == 0), $"count {count}, unit {unit}, part {part} of {parts}: [{from}, {to})");
                            sizes[part] = to - from;
                            end = to;
                        }
                        Assert.Equal(count, end);
                        if (count / unit < parts * 8 || count % unit != 0) continue;
                        // Enough units for the weights to show: each end part is at least as large as the parts towards the middle.
                        for (int part = 1; part < parts / 2; part++)
                        {
                            Assert.True(sizes[part] <= sizes[part - 1] + unit, $"count {count}, unit {unit}, {parts} parts: {string.Join(", ", sizes)}");
                            Assert.True(sizes[parts - 1 - part] <= sizes[parts - part] + unit, $"count {count}, unit {unit}, {parts} parts: {string.Join(", ", sizes)}");
                        }
                        Assert.True(sizes[0] >= 2 * sizes[parts / 2] - unit || parts < 4, $"count {count}, unit {unit}, {parts} parts: {string.Join(", ", sizes)}");
                    }
            Assert.Equal((0, 10), Batch.Share(10, 1, 0, 1));
            // The weights themselves: 4, 2, 1, 1, 2, 4 for six parts; 8, 8, 4, 2, 1, 2, 4, 8, 8 for nine.
            Assert.Equal(new[] { 4, 2, 1, 1, 2, 4 }, Enumerable.Range(0, 6).Select(p => Batch.Share(14, 1, p, 6)).Select(r => r.To - r.From));
            Assert.Equal(new[] { 8, 8, 4, 2, 1, 2, 4, 8, 8 }, Enumerable.Range(0, 9).Select(p => Batch.Share(45, 1, p, 9)).Select(r => r.To - r.From));
        }

        [Fact]
        public unsafe void Every_part_of_every_job_runs_once_before_the_job_returns()
        {
            // Jobs of different part counts back to back: a worker that wakes late for one job must take nothing of the
            // next, and a job returns only when all its parts have run, whichever thread took them.
            var job = new CountingJob();
            var random = new Random(11);
            Batch.AsSingleSample(3, 64, () =>
            {
                for (int j = 0; j < 20000; j++)
                {
                    int parts = random.Next(1, 13);
                    job.Runs = new int[parts];
                    Batch.For(job, 3, parts, null, null);
                    for (int p = 0; p < parts; p++)
                        if (job.Runs[p] != 1) Assert.Fail($"job {j} of {parts} parts: part {p} ran {job.Runs[p]} times before the job returned");
                }
            });
        }

        private static void Kernel(List<Architecture> architectures, string name, int[] input, LayerDeclaration layer) =>
            architectures.Add(new Architecture(name, input, new[] { layer, new LayerDeclaration(LayerKind.ReLU) }));
    }
}

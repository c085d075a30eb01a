using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using CnnGen.Tests.Forward;
using CnnGen.Tests.Infrastructure;

namespace CnnGen.Benchmarks
{
    /// <summary>
    /// The random-architecture benchmark (--random): the networks of RandomNetworks.cs, drawn by the property test's
    /// generator with a fixed seed, each against ONNX Runtime at batch 1 and 64 on 1 and 2 threads. Outside
    /// BenchmarkDotNet (160 cases would take it hours): CnnGen and ONNX Runtime alternate in rounds of a few
    /// milliseconds each, and the medians of the rounds are compared, so both see the same noise of this shared machine.
    /// A network's four cases share their rounds, so CnnGen's comparisons with itself are taken round by round too.
    /// </summary>
    public static class RandomArchitecturesRun
    {
        /// <summary>A case's medians, and CnnGen's time per image in each round (the rounds a network's cases share).</summary>
        private sealed record Row(string Net, string Layers, int Batch, int Threads, double CnnGenUs, double OrtUs, double[] CnnGenRounds)
        {
            public double Ratio => OrtUs / CnnGenUs;
        }

        public static void Run(int rounds, string[] only)
        {
            var rows = new List<Row>();
            string dir = Directory.CreateTempSubdirectory("cnngen-random-").FullName;
            var watch = Stopwatch.StartNew();
            foreach (var (name, spec, create) in RandomNetworks.All.Networks.Where(n => only.Length == 0 || only.Contains(n.Name)))
            {
                var random = new Random(name.Aggregate(17, (h, c) => h * 31 + c));
                float[] parameters = RandomArchitectures.Parameters(spec, random);
                IConvNet net = create(parameters);
                string onnx = Path.Combine(dir, name + ".onnx");
                File.WriteAllBytes(onnx, OnnxExport.Write(spec, parameters));
                string layers = string.Join(" ", spec.Analysis.Layers.Select(l => l.Kind.ToString()).Distinct());
                var cases = new List<Case>();
                try
                {
                    foreach (int batch in new[] { 1, 64 })
                        foreach (int threads in new[] { 1, 2 })
                            cases.Add(new Case(net, spec, onnx, batch, threads, rounds, random));
                    MeasureTogether(cases, rounds);
                }
                finally
                {
                    foreach (Case c in cases) c.Dispose();
                }
                foreach (Case c in cases)
                {
                    rows.Add(new Row(name, layers, c.Batch, c.Threads, c.CnnGenUs, c.OrtUs, c.CnnGen));
                    Console.WriteLine($"{name} b{c.Batch} t{c.Threads}: CnnGen {c.CnnGenUs:F2} us/image, ONNX Runtime {c.OrtUs:F2} us/image, {c.OrtUs / c.CnnGenUs:F2}x");
                }
            }
            Directory.Delete(dir, recursive: true);
            CnnGenRuntime.MaxThreads = Environment.ProcessorCount;
            Write(rows, rounds, watch.Elapsed);
        }

        /// <summary>
        /// The BenchmarkDotNet cases measured the same way (--interleaved): CnnGen and ONNX Runtime in alternating rounds,
        /// medians, so both see the same noise; the table of docs/performance.md on a busy shared machine.
        /// </summary>
        public static void Interleaved(int rounds, IReadOnlyCollection<string> networks)
        {
            var lines = new List<string>
            {
                $"CnnGen's kernels {CnnGenRuntime.VectorBits}-bit; {rounds} alternating rounds per case (each at least one call and about 4 ms), medians",
                "",
                "| network | batch | threads | CnnGen us/image | ONNX Runtime us/image | CnnGen vs ORT | CnnGen GFLOP/s |",
                "|---|---|---|---|---|---|---|",
            };
            var models = new Dictionary<string, Model>();
            foreach (string c in Inference.Cases())
            {
                (string net, int batch, int threads) = Inference.Parse(c);
                if (networks.Count > 0 && !networks.Contains(net)) continue;
                if (!models.TryGetValue(net, out Model? model)) models[net] = model = Model.Create(net);
                (double cg, double ort) = Measure(model.Network, model.Spec, model.OnnxPath, batch, threads, rounds, new Random(7));
                Console.WriteLine($"{c}: CnnGen {cg:F1} us/image, ONNX Runtime {ort:F1} us/image, {ort / cg:F2}x");
                lines.Add($"| {net} | {batch} | {threads} | {cg:F1} | {ort:F1} | {ort / cg:F2}x | {2.0 * model.Macs / (cg * 1000):F1} |");
            }
            CnnGenRuntime.MaxThreads = Environment.ProcessorCount;
            Report.Save("cnngen-interleaved.md", lines);
        }

        /// <summary>One network's CnnGen time per image at several batch sizes and thread counts (--random-probe NAME): where a batch loses.</summary>
        public static void Probe(string name, (int Batch, int Threads)? only = null)
        {
            var (_, spec, create) = RandomNetworks.All.Networks.Single(n => n.Name == name);
            var random = new Random(1);
            IConvNet net = create(RandomArchitectures.Parameters(spec, random));
            Console.WriteLine(spec.Summary);
            foreach (int threads in only is null ? new[] { 1, 2 } : new[] { only.Value.Threads })
                foreach (int batch in only is null ? new[] { 1, 2, 3, 4, 5, 8, 16, 17, 64 } : new[] { only.Value.Batch })
                {
                    CnnGenRuntime.MaxThreads = threads;
                    float[] input = RandomArchitectures.Inputs(spec.InputLength * batch, random);
                    var output = new float[spec.OutputLength * batch];
                    Action run = () => net.Forward(input, output, batch);
                    int calls = Calls(run, run);
                    var times = new double[only is null ? 15 : 400];
                    for (int r = 0; r < times.Length; r++) times[r] = Time(run, calls);
                    Console.WriteLine($"{name} batch {batch}, {threads} thread(s): {Median(times) / batch:F3} us/image");
                }
        }

        /// <summary>Medians over <paramref name="rounds"/> alternating rounds: microseconds per image of CnnGen and of ONNX Runtime.</summary>
        internal static (double CnnGen, double Ort) Measure(IConvNet net, NetworkSpec spec, string onnx, int batch, int threads, int rounds, Random random)
        {
            using var c = new Case(net, spec, onnx, batch, threads, rounds, random);
            MeasureTogether(new[] { c }, rounds);
            return (c.CnnGenUs, c.OrtUs);
        }

        /// <summary>
        /// One case (a network at a batch size and thread count) with both engines bound to its arrays, and its rounds'
        /// times in microseconds per image.
        /// </summary>
        private sealed class Case : IDisposable
        {
            public readonly int Batch, Threads;
            public readonly double[] CnnGen, Ort;
            private readonly IConvNet _net;
            private readonly float[] _input, _output;
            private readonly BoundSession _session;
            public int Calls;

            public Case(IConvNet net, NetworkSpec spec, string onnx, int batch, int threads, int rounds, Random random)
            {
                (_net, Batch, Threads) = (net, batch, threads);
                CnnGen = new double[rounds];
                Ort = new double[rounds];
                _input = RandomArchitectures.Inputs(spec.InputLength * batch, random);
                _output = new float[spec.OutputLength * batch];
                var ortOutput = new float[_output.Length];
                _session = new BoundSession(onnx, threads, _input, new long[] { batch }.Concat(spec.InputShape.Select(v => (long)v)).ToArray(),
                    ortOutput, new long[] { batch }.Concat(spec.OutputShape.Select(v => (long)v)).ToArray());

                // They agree before anything is timed.
                CnnGenRuntime.MaxThreads = threads;
                RunCnnGen();
                _session.Run();
                BoundSession.CheckAgree(_output, ortOutput, $"batch {batch}, {threads} threads");
            }

            public void RunCnnGen() => _net.Forward(_input, _output, Batch);

            public void RunOrt() => _session.Run();

            public double CnnGenUs => Median(CnnGen);

            public double OrtUs => Median(Ort);

            public void Dispose() => _session.Dispose();
        }

        /// <summary>
        /// Measures the cases in the same rounds: each round times every case, CnnGen then ONNX Runtime, the cases'
        /// order turning by one each round. So a slow stretch of this shared machine falls on cases side by side, and a
        /// comparison of two cases (a batch against one sample, two threads against one) can take each round's ratio.
        /// </summary>
        private static void MeasureTogether(IReadOnlyList<Case> cases, int rounds)
        {
            foreach (Case c in cases)
            {
                CnnGenRuntime.MaxThreads = c.Threads;
                c.Calls = Calls(c.RunCnnGen, c.RunOrt);
            }
            for (int r = 0; r < rounds; r++)
                for (int k = 0; k < cases.Count; k++)
                {
                    Case c = cases[(k + r) % cases.Count];
                    CnnGenRuntime.MaxThreads = c.Threads;
                    // Before each timing the process goes quiet: the other engine's threads have stopped spinning and do
                    // not take a core from this one's. ONNX Runtime's pool spins for 40-60 ms after a run on this
                    // machine (measured: a fixed 15 ms pause left CnnGen's two-thread rounds on one free core); CnnGen's
                    // workers spin for 200 us. Then the engine runs untimed for 20 ms, and the round measures calls in
                    // a row, the steady state BenchmarkDotNet measures. One untimed call was not enough on this VM: the
                    // kernel wakes a sleeping thread on the CPU of the thread that wakes it (perf sched: target_cpu of
                    // the waker, the other vCPU idle), so a woken worker shares the caller's vCPU until the load
                    // balancer moves it, 1-4 ms later or not within the call. After one call ONNX Runtime's threads spin
                    // on and keep the vCPU they were moved to, while CnnGen's sleep again after 200 us, so with one
                    // untimed call CnnGen's two-thread rounds at batch 8 measured either two threads' time or one's
                    // (CIFAR ResNet-20: 230 or 460 us per image, half the rounds each).
                    Quiet();
                    Warm(c.RunCnnGen);
                    c.CnnGen[r] = Time(c.RunCnnGen, c.Calls) / c.Batch;
                    Quiet();
                    Warm(c.RunOrt);
                    c.Ort[r] = Time(c.RunOrt, c.Calls) / c.Batch;
                }
        }

        private static readonly Process Self = Process.GetCurrentProcess();

        /// <summary>
        /// Waits until the process has used under 1 ms of CPU time in a 10 ms window (no thread of either engine still
        /// spinning), at least 15 ms and at most 500 ms.
        /// </summary>
        private static void Quiet()
        {
            Thread.Sleep(5);
            long start = Stopwatch.GetTimestamp();
            Self.Refresh();
            TimeSpan used = Self.TotalProcessorTime;
            while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 500)
            {
                Thread.Sleep(10);
                Self.Refresh();
                TimeSpan now = Self.TotalProcessorTime;
                if ((now - used).TotalMilliseconds < 1) return;
                used = now;
            }
        }

        /// <summary>
        /// Warms both up and returns how many calls make a round of about 4 ms for the slower one. The warm-up lasts at
        /// least 400 ms: the JIT recompiles a method called 30 times only after 100 ms without new tier-0 code, so a
        /// network's first calls run unoptimised kernels, and 30 calls measured a network's start-up, not its steady
        /// state (R28 at batch 64: 1.8 us per image after 30 calls, 0.84 us once the JIT was done).
        /// </summary>
        private static int Calls(Action a, Action b)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 30 || Stopwatch.GetElapsedTime(start).TotalMilliseconds < 400; i++) { a(); b(); }
            double slower = Math.Max(Time(a, 10), Time(b, 10));
            return Math.Clamp((int)(4000 / slower), 1, 5000);
        }

        /// <summary>Runs <paramref name="run"/> for at least 20 ms (at least once), untimed.</summary>
        private static void Warm(Action run)
        {
            long start = Stopwatch.GetTimestamp();
            do run();
            while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 20);
        }

        /// <summary>Microseconds per call over <paramref name="calls"/> calls.</summary>
        private static double Time(Action run, int calls)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) run();
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000 / calls;
        }

        private static double Median(double[] values)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }

        private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);

        private static void Write(List<Row> rows, int rounds, TimeSpan elapsed)
        {
            var lines = new List<string>
            {
                $"{rows.Select(r => r.Net).Distinct().Count()} networks, CnnGen's kernels {CnnGenRuntime.VectorBits}-bit, {rounds} rounds (each times a network's four cases, CnnGen and ONNX Runtime alternating), {elapsed.TotalMinutes:F1} minutes",
                "",
                "Ratio = ONNX Runtime time / CnnGen time (above 1: CnnGen faster), per batch and thread count:",
                "",
                "| batch | threads | min | median | max | cases below 1.0x |",
                "|---|---|---|---|---|---|",
            };
            foreach (var g in rows.GroupBy(r => (r.Batch, r.Threads)))
            {
                double[] ratios = g.Select(r => r.Ratio).OrderBy(v => v).ToArray();
                lines.Add($"| {g.Key.Batch} | {g.Key.Threads} | {F(ratios[0])}x | {F(Median(ratios))}x | {F(ratios[^1])}x | {ratios.Count(v => v < 1)} of {ratios.Length} |");
            }

            // A batch per image against one sample, and two threads against one, on the same call: the median of the
            // rounds' ratios, each round's two times taken side by side.
            Row Of(string net, int batch, int threads) => rows.Single(r => r.Net == net && r.Batch == batch && r.Threads == threads);
            string[] nets = rows.Select(r => r.Net).Distinct().ToArray();
            lines.Add("");
            lines.Add("CnnGen against itself (above 1: the first is faster):");
            lines.Add("");
            lines.Add("| comparison | min | median | max | cases below 1.0x |");
            lines.Add("|---|---|---|---|---|");
            void Self(string label, Func<string, double> ratioOf)
            {
                double[] ratios = nets.Select(ratioOf).OrderBy(v => v).ToArray();
                lines.Add($"| {label} | {F(ratios[0])}x | {F(Median(ratios))}x | {F(ratios[^1])}x | {ratios.Count(v => v < 1)} of {ratios.Length} |");
            }
            static double RoundRatio(Row slower, Row faster) => Median(slower.CnnGenRounds.Zip(faster.CnnGenRounds, (s, f) => s / f).ToArray());
            Self("batch 64 per image vs batch 1, 1 thread", n => RoundRatio(Of(n, 1, 1), Of(n, 64, 1)));
            Self("batch 64 per image vs batch 1, 2 threads", n => RoundRatio(Of(n, 1, 2), Of(n, 64, 2)));
            Self("2 threads vs 1, batch 1", n => RoundRatio(Of(n, 1, 1), Of(n, 1, 2)));
            Self("2 threads vs 1, batch 64", n => RoundRatio(Of(n, 64, 1), Of(n, 64, 2)));

            lines.Add("");
            lines.Add("The ten slowest cases against ONNX Runtime:");
            lines.Add("");
            lines.Add("| network | batch | threads | CnnGen us/image | ONNX Runtime us/image | ratio | layers |");
            lines.Add("|---|---|---|---|---|---|---|");
            foreach (Row r in rows.OrderBy(r => r.Ratio).Take(10))
                lines.Add($"| {r.Net} | {r.Batch} | {r.Threads} | {F(r.CnnGenUs)} | {F(r.OrtUs)} | {F(r.Ratio)}x | {r.Layers} |");

            lines.Add("");
            lines.Add("Every case:");
            lines.Add("");
            lines.Add("| network | b1 t1 | b1 t2 | b64 t1 | b64 t2 | CnnGen us/image b1 t1 | b64 vs b1, t1 | t2 vs t1, b64 | layers |");
            lines.Add("|---|---|---|---|---|---|---|---|---|");
            foreach (string n in nets)
                lines.Add($"| {n} | {F(Of(n, 1, 1).Ratio)}x | {F(Of(n, 1, 2).Ratio)}x | {F(Of(n, 64, 1).Ratio)}x | {F(Of(n, 64, 2).Ratio)}x | {F(Of(n, 1, 1).CnnGenUs)} | " +
                    $"{F(RoundRatio(Of(n, 1, 1), Of(n, 64, 1)))}x | {F(RoundRatio(Of(n, 64, 1), Of(n, 64, 2)))}x | {Of(n, 1, 1).Layers} |");

            Report.Save("cnngen-random.md", lines);
        }
    }
}

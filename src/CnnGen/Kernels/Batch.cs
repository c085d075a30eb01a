using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace CnnGen.Kernels
{
    /// <summary>
    /// What a generated network implements for <see cref="Batch"/>: run some samples with the calling thread's
    /// workspace (the activations, at the offsets the generator planned) and scratch (room the kernels need).
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public interface INetworkBody
    {
        /// <summary>Runs <paramref name="count"/> samples stored back to back in <paramref name="input"/> into <paramref name="output"/>.</summary>
        void Run(ReadOnlySpan<float> input, Span<float> output, int count, Span<float> workspace, Span<float> scratch);
    }

    /// <summary>Work on an input and an output, split into parts that run at the same time, one per thread.</summary>
    internal unsafe interface IParallelJob
    {
        /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>; <paramref name="scratch"/> is the running thread's own scratch.</summary>
        void RunPart(float* x, float* y, int part, int parts, float* scratch);
    }

    /// <summary>
    /// Runs work on up to <see cref="CnnGenRuntime.MaxThreads"/> threads: the caller and dedicated background workers,
    /// woken without allocating. A batch is split by samples; a single sample lets its large layers split themselves
    /// (<see cref="LayerThreads"/>). Each thread keeps its own aligned buffers, made on its first call. One caller at a
    /// time owns the workers; another caller meanwhile runs alone on its own thread.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static unsafe class Batch
    {
        private static readonly object Gate = new();
        private static Worker[] s_workers = Array.Empty<Worker>();
        private static readonly SampleJob s_samples = new();

        [ThreadStatic] private static int t_layerThreads;
        [ThreadStatic] private static int t_scratchLength;

        /// <summary>
        /// Layers of a single sample with at least this many multiply-adds split their outputs over the threads (smaller
        /// ones cost less than waking a worker and moving their data between caches). Tests lower it.
        /// </summary>
        internal static long LayerSplitMacs = 1L << 20;

        /// <summary>
        /// A batch of at least this much work in all (Run's workPerSample times the batch size) splits its
        /// samples over the threads. Lower than <see cref="LayerSplitMacs"/>: a batch joins its threads once per call, a
        /// split layer once per layer, and a small network's units of work are slow ones (its layers' set-up, values
        /// written one vector at a time: 0.07-0.2 ns per multiply-add on the random networks, against 0.01-0.02 in a
        /// large convolution). Measured over the 40 random networks at batch 64 on two threads, against ONNX Runtime:
        /// median 0.88x-1.06x with the batch bound at a million, 1.57x at 128 thousand, 1.72x at 32 thousand (then no
        /// network slower per image at batch 64 than at batch 1 on two threads, and one of 40 at 0.99x of its own
        /// one-thread time). With maps of few channels compact, the smallest networks' batches of 64 came to 4-12 us
        /// under 32 thousand units and stayed on one thread; at 16 thousand they split (R10 0.18 -> 0.10-0.11 us per
        /// image on two threads, R0 at batch 16 0.47 -> 0.30), none of the 40 slower on two threads than on one at
        /// batch 64 (the lowest 1.05x) and none below ONNX Runtime there.
        /// </summary>
        internal static long BatchSplitWork = 1L << 14;

        /// <summary>
        /// How many threads a layer of <paramref name="macs"/> multiply-adds running on this thread should split itself
        /// over with <see cref="For"/>: 1 (run alone) unless this is the calling thread of a single-sample Forward that
        /// owns the workers and the layer is large.
        /// </summary>
        internal static int LayerThreads(long macs) => t_layerThreads > 1 && macs >= LayerSplitMacs ? t_layerThreads : 1;

        /// <summary>
        /// Runs <paramref name="batchSize"/> samples of <paramref name="network"/> on up to
        /// <see cref="CnnGenRuntime.MaxThreads"/> threads, and up to <paramref name="maxThreads"/> when that is not 0.
        /// </summary>
        /// <param name="network">The generated network.</param>
        /// <param name="input">The samples, back to back.</param>
        /// <param name="output">Room for their outputs.</param>
        /// <param name="batchSize">How many samples.</param>
        /// <param name="inputLength">Floats per input sample.</param>
        /// <param name="outputLength">Floats per output sample.</param>
        /// <param name="workspaceLength">Floats of workspace a thread needs (the activations of one sample, of a chunk of samples a small network runs layer by layer, or of the rows of a dense tail).</param>
        /// <param name="scratchLength">Floats of scratch a thread needs.</param>
        /// <param name="maxThreads">The network's own bound (the project's CnnGen_MaxThreads), or 0.</param>
        /// <param name="workPerSample">
        /// The work of one sample as the generator counts it (its multiply-adds, plus one per value its layers write and per
        /// value its pooling windows read), or 0 (unknown): a batch of less than <see cref="BatchSplitWork"/> in all runs on
        /// the calling thread, as waking a worker and joining it would cost more than the work it takes over, and so does a
        /// single sample of less than an eighth of <see cref="LayerSplitMacs"/> (none of its layers is large enough to split).
        /// </param>
        public static void Run(INetworkBody network, ReadOnlySpan<float> input, Span<float> output, int batchSize, int inputLength, int outputLength,
            int workspaceLength, int scratchLength, long workPerSample = 0, int maxThreads = 0)
        {
            if (maxThreads < 0) throw new ArgumentOutOfRangeException(nameof(maxThreads), maxThreads, "maxThreads must be 0 (no bound) or at least 1.");
            // A small batch runs on this thread. So does a single sample none of whose layers can split: a layer splits at
            // LayerSplitMacs of its multiply-adds, counted up to 8 times over (a depthwise layer's, a dense layer's
            // padded to 8 outputs), and the work counts every multiply-add, so a sample under an eighth of that in all has
            // no such layer (and skips taking the workers).
            long bound = batchSize > 1 ? BatchSplitWork : LayerSplitMacs;
            int times = batchSize > 1 ? batchSize : 8;
            if (workPerSample > 0 && workPerSample < bound && workPerSample * times < bound) maxThreads = 1;
            fixed (float* x = input)
            fixed (float* y = output)
                Run(network, x, y, batchSize, inputLength, outputLength, workspaceLength, scratchLength, maxThreads);
        }

        private static void Run(INetworkBody network, float* x, float* y, int batchSize, int inputLength, int outputLength, int bufferLength, int scratchLength, int maxThreads)
        {
            int threads = Math.Max(1, CnnGenRuntime.MaxThreads);
            if (maxThreads > 0) threads = Math.Min(threads, maxThreads);
            if (batchSize > 1) threads = Math.Min(threads, batchSize);
            if (threads > 1 && t_layerThreads == 0 && Monitor.TryEnter(Gate))
            {
                try
                {
                    threads = 1 + EnsureWorkers(threads - 1);
                    if (threads > 1)
                    {
                        t_scratchLength = scratchLength;
                        if (batchSize == 1)
                        {
                            t_layerThreads = threads;
                            RunRange(network, x, y, 0, 1, inputLength, outputLength, bufferLength, scratchLength);
                        }
                        else
                        {
                            s_samples.Set(network, batchSize, inputLength, outputLength, bufferLength, scratchLength);
                            For(s_samples, threads, Math.Min(batchSize, threads * PartsPerThread), x, y);
                        }
                        return;
                    }
                }
                finally
                {
                    t_layerThreads = 0;
                    s_samples.Set(null, 0, 0, 0, 0, 0);
                    Monitor.Exit(Gate);
                }
            }
            RunRange(network, x, y, 0, batchSize, inputLength, outputLength, bufferLength, scratchLength);
        }

        /// <summary>Runs <paramref name="body"/> as a single-sample Forward that owns the workers does (per-layer timing in the benchmarks).</summary>
        internal static void AsSingleSample(int threads, int scratchLength, Action body)
        {
            lock (Gate)
            {
                threads = 1 + EnsureWorkers(threads - 1);
                (t_layerThreads, t_scratchLength) = (threads, scratchLength);
                try
                {
                    body();
                }
                finally
                {
                    t_layerThreads = 0;
                }
            }
        }

        [ThreadStatic] private static Aligned<float>? t_a, t_s;

        /// <summary>This thread's buffers, 64-byte aligned, grown when a larger network needs more (then kept).</summary>
        private static Aligned<float> Buffer(ref Aligned<float>? slot, int length)
        {
            if (slot is null || slot.Length < length) slot = new Aligned<float>(Math.Max(length, 1024));
            return slot;
        }

        private static void RunRange(INetworkBody network, float* x, float* y, int first, int count, int inputLength, int outputLength, int bufferLength, int scratchLength)
        {
            Aligned<float> a = Buffer(ref t_a, bufferLength), s = Buffer(ref t_s, scratchLength);
            network.Run(new ReadOnlySpan<float>(x + (long)first * inputLength, count * inputLength), new Span<float>(y + (long)first * outputLength, count * outputLength),
                count, new Span<float>(a.Pointer, bufferLength), new Span<float>(s.Pointer, scratchLength));
        }

        /// <summary>
        /// Whether this platform starts threads: false once starting one failed with <see cref="PlatformNotSupportedException"/>
        /// (WebAssembly without threads), after which every call runs on its caller's thread whatever
        /// <see cref="CnnGenRuntime.MaxThreads"/> says.
        /// </summary>
        private static bool s_threadsStart = true;

        /// <summary>Makes up to <paramref name="count"/> workers (fewer where threads cannot start); returns how many there are to use.</summary>
        private static int EnsureWorkers(int count)
        {
            if (s_workers.Length >= count) return count;
            if (!s_threadsStart) return s_workers.Length;
            var workers = new List<Worker>(s_workers);
            try
            {
                while (workers.Count < count) workers.Add(new Worker(workers.Count));
            }
            catch (PlatformNotSupportedException)
            {
                s_threadsStart = false;
            }
            s_workers = workers.ToArray();
            return s_workers.Length;
        }

        /// <summary>
        /// How many parts a split layer or batch offers each thread: the threads take them one by one, so a thread that
        /// starts late or loses its core for a while (a busy VM) takes fewer. A layer's parts are not even (see
        /// <see cref="Share"/>): three per thread measured best (CIFAR ResNet-20 at batch 1 on two threads: 405 us with
        /// four even parts per thread, 357-369 us with three or two uneven ones, in alternating rounds).
        /// </summary>
        internal const int PartsPerThread = 3;

        // The job running now, its buffers, and one word to claim its parts with: the job's epoch (high 32 bits), the
        // first part not taken from the front (16 bits) and the end of the parts not taken from the back (low 16 bits).
        // The caller takes parts from the front and the workers from the back, so with two threads each keeps to its
        // own end of the map in every layer (the rows it wrote are the rows it reads next, in its own cache), and they
        // meet wherever the slower one has got to. A worker woken late for an earlier job finds another epoch and takes
        // nothing of a later one.
        private static IParallelJob? s_job;
        private static IntPtr s_x, s_y;
        private static int s_scratchLength, s_epoch, s_finished, s_parts;
        private static long s_claim;
        private static Exception? s_error;

        /// <summary>
        /// Runs the <paramref name="parts"/> parts of <paramref name="job"/> on <paramref name="x"/> and
        /// <paramref name="y"/> with this thread and <paramref name="threads"/> - 1 workers, each taking the next part
        /// not yet taken (this thread from the front, the workers from the back) until none is left. Only a caller that
        /// owns the workers calls this (the batch runner, or a layer when <see cref="LayerThreads"/> says so); the first
        /// exception of any part is rethrown after all have finished.
        /// </summary>
        internal static void For(IParallelJob job, int threads, int parts, float* x, float* y)
        {
            parts = Math.Clamp(parts, 1, ushort.MaxValue); // the claim word holds the count in 16 bits
            int epoch = ++s_epoch;
            (s_job, s_x, s_y, s_scratchLength, s_error, s_parts) = (job, (IntPtr)x, (IntPtr)y, t_scratchLength, null, parts);
            Volatile.Write(ref s_finished, 0);
            Volatile.Write(ref s_claim, ((long)epoch << 32) | (uint)parts); // publishes the fields above: a part is claimed before they are read
            for (int t = 1; t < threads; t++) s_workers[t - 1].Start(epoch);
            RunParts(epoch, fromBack: false);
            var spinner = new SpinWait();
            while (Volatile.Read(ref s_finished) != parts) spinner.SpinOnce(-1); // parts others took and are running
            (s_job, s_x, s_y) = (null, IntPtr.Zero, IntPtr.Zero);
            Exception? error = s_error;
            s_error = null;
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        }

        /// <summary>Takes and runs the parts of job <paramref name="epoch"/> from one end until none is left (or a later job has begun).</summary>
        private static void RunParts(int epoch, bool fromBack)
        {
            while (true)
            {
                long claim = Volatile.Read(ref s_claim);
                int front = (int)((claim >> 16) & 0xFFFF), back = (int)(claim & 0xFFFF);
                if ((int)(claim >> 32) != epoch || front >= back) return;
                int part = fromBack ? back - 1 : front;
                if (Interlocked.CompareExchange(ref s_claim, fromBack ? claim - 1 : claim + (1 << 16), claim) != claim) continue;
                try
                {
                    s_job!.RunPart((float*)s_x, (float*)s_y, part, s_parts, Buffer(ref t_s, s_scratchLength).Pointer);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref s_error, e, null);
                }
                finally
                {
                    Interlocked.Increment(ref s_finished);
                }
            }
        }

        /// <summary>
        /// Part <paramref name="part"/>'s range of <paramref name="count"/> items, split in multiples of
        /// <paramref name="unit"/>. The parts are largest at the two ends and halve towards the middle (weights 4, 2, 1, 1,
        /// 2, 4 for six parts; at most 8): the caller and a worker each start on a large part at their own end, and
        /// what is left when they meet is small, so a late or slow thread costs little waiting, with few parts (each
        /// part has fixed costs: the border lines it copies, its own register blocks).
        /// </summary>
        internal static (int From, int To) Share(int count, int unit, int part, int parts)
        {
            if (parts == 1) return (0, count);
            int units = (count + unit - 1) / unit;
            int from = Cut(units, part, parts) * unit, to = Cut(units, part + 1, parts) * unit;
            return (Math.Min(from, count), Math.Min(to, count));
        }

        /// <summary>Where part <paramref name="i"/> of <paramref name="parts"/> starts, in units.</summary>
        private static int Cut(int units, int i, int parts)
        {
            // The weights are symmetric: the parts from i on mirror the first parts - i, so every sum is a prefix of the
            // first half, in closed form (each part asks twice, so a loop over the parts would cost parts^2 per job).
            int half = (parts + 1) / 2;
            long total = FirstWeights(half, half) + FirstWeights(parts - half, half);
            long below = i <= half ? FirstWeights(i, half) : total - FirstWeights(parts - i, half);
            return (int)(units * below / total);
        }

        /// <summary>
        /// The sum of the first <paramref name="n"/> weights of a half of <paramref name="half"/> parts (n at most half):
        /// 8 for each part more than three from the middle, then 4, 2, 1.
        /// </summary>
        private static long FirstWeights(int n, int half)
        {
            int capped = Math.Max(0, half - 3); // the parts of weight 8
            return 8L * Math.Min(n, capped) + (n > capped ? (1L << (half - capped)) - (1L << (half - n)) : 0);
        }

        /// <summary>The samples of a batch as a job: part i runs the i-th share of the samples (<see cref="Share"/>).</summary>
        private sealed class SampleJob : IParallelJob
        {
            private INetworkBody? _network;
            private int _batchSize, _inputLength, _outputLength, _bufferLength, _scratchLength;

            public void Set(INetworkBody? network, int batchSize, int inputLength, int outputLength, int bufferLength, int scratchLength) =>
                (_network, _batchSize, _inputLength, _outputLength, _bufferLength, _scratchLength) = (network, batchSize, inputLength, outputLength, bufferLength, scratchLength);

            public void RunPart(float* x, float* y, int part, int parts, float* scratch)
            {
                (int first, int end) = Share(_batchSize, 1, part, parts);
                if (end > first) RunRange(_network!, x, y, first, end - first, _inputLength, _outputLength, _bufferLength, _scratchLength);
            }
        }

        /// <summary>
        /// A background thread that takes parts of the jobs it is woken for. Between jobs it spins for a short while
        /// (layers of one sample follow each other within microseconds, and waking a sleeping thread costs more than
        /// that), then sleeps on an event.
        /// </summary>
        private sealed class Worker
        {
            private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 us
            private readonly ManualResetEventSlim _start = new(false);
            private int _epoch; // the latest job it was woken for

            public Worker(int index)
            {
                // A slim event makes its lock object lazily, on the first wait that blocks, which would allocate in the
                // middle of some later Forward on the calling thread: make it now with one short wait.
                _start.Wait(1);
                var thread = new Thread(Loop) { IsBackground = true, Name = "CnnGen worker " + (index + 1) };
                thread.Start();
            }

            public void Start(int epoch)
            {
                Volatile.Write(ref _epoch, epoch);
                _start.Set();
            }

            private void Loop()
            {
                int seen = 0;
                while (true)
                {
                    seen = Next(seen);
                    RunParts(seen, fromBack: true);
                }
            }

            /// <summary>Waits for a job after <paramref name="seen"/>: spinning first, then on the event.</summary>
            private int Next(int seen)
            {
                long until = Stopwatch.GetTimestamp() + SpinTicks;
                var spinner = new SpinWait();
                int epoch;
                while ((epoch = Volatile.Read(ref _epoch)) == seen)
                {
                    if (Stopwatch.GetTimestamp() < until)
                    {
                        spinner.SpinOnce(-1); // never Sleep(1): that would cost a millisecond
                        continue;
                    }
                    _start.Wait();
                    _start.Reset(); // the epoch is read again after the reset, so a Start between the two is not lost
                }
                return epoch;
            }
        }
    }
}

using System;
using System.Diagnostics;
using System.Threading;

namespace CnnGen.Kernels
{
    /// <summary>What the batch runner drives: a way to run a range of samples with given buffers.</summary>
    internal unsafe interface IBatchRunner
    {
        /// <summary>Runs samples [first, first + count); a, b and s are the calling thread's buffers.</summary>
        void RunSamples(float* x, float* y, int first, int count, float* a, float* b, float* s);
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
    internal static unsafe class Batch
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
        /// How many threads a layer of <paramref name="macs"/> multiply-adds running on this thread should split itself
        /// over with <see cref="For"/>: 1 (run alone) unless this is the calling thread of a single-sample Forward that
        /// owns the workers and the layer is large.
        /// </summary>
        internal static int LayerThreads(long macs) => t_layerThreads > 1 && macs >= LayerSplitMacs ? t_layerThreads : 1;

        /// <summary>
        /// Runs <paramref name="batchSize"/> samples of <paramref name="network"/> on up to
        /// <see cref="CnnGenRuntime.MaxThreads"/> threads, and up to <paramref name="maxThreads"/> when that is not 0.
        /// </summary>
        public static void Run(IBatchRunner network, float* x, float* y, int batchSize, int inputLength, int outputLength, int bufferLength, int scratchLength, int maxThreads = 0)
        {
            int threads = Math.Max(1, CnnGenRuntime.MaxThreads);
            if (maxThreads > 0) threads = Math.Min(threads, maxThreads);
            if (batchSize > 1) threads = Math.Min(threads, batchSize);
            if (threads > 1 && t_layerThreads == 0 && Monitor.TryEnter(Gate))
            {
                try
                {
                    EnsureWorkers(threads - 1);
                    t_scratchLength = scratchLength;
                    if (batchSize == 1)
                    {
                        t_layerThreads = threads;
                        RunRange(network, x, y, 0, 1, bufferLength, scratchLength);
                    }
                    else
                    {
                        s_samples.Set(network, batchSize, bufferLength, scratchLength);
                        For(s_samples, threads, x, y);
                    }
                    return;
                }
                finally
                {
                    t_layerThreads = 0;
                    s_samples.Set(null, 0, 0, 0);
                    Monitor.Exit(Gate);
                }
            }
            RunRange(network, x, y, 0, batchSize, bufferLength, scratchLength);
        }

        /// <summary>Runs <paramref name="body"/> as a single-sample Forward that owns the workers does (per-layer timing in the benchmarks).</summary>
        internal static void AsSingleSample(int threads, int scratchLength, Action body)
        {
            lock (Gate)
            {
                EnsureWorkers(threads - 1);
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

        [ThreadStatic] private static Aligned<float>? t_a, t_b, t_s, t_rows0, t_rows1;

        /// <summary>This thread's row buffers for the dense stage of a batch (0 or 1).</summary>
        internal static float* Rows(int which, int length) => which == 0 ? Buffer(ref t_rows0, length).Pointer : Buffer(ref t_rows1, length).Pointer;

        /// <summary>This thread's buffers, 64-byte aligned, grown when a larger network needs more (then kept).</summary>
        private static Aligned<float> Buffer(ref Aligned<float>? slot, int length)
        {
            if (slot is null || slot.Length < length) slot = new Aligned<float>(Math.Max(length, 1024));
            return slot;
        }

        internal static void RunRange(IBatchRunner network, float* x, float* y, int first, int count, int bufferLength, int scratchLength)
        {
            float* a = Buffer(ref t_a, bufferLength).Pointer, b = Buffer(ref t_b, bufferLength).Pointer, s = Buffer(ref t_s, scratchLength).Pointer;
            network.RunSamples(x, y, first, count, a, b, s);
        }

        private static void EnsureWorkers(int count)
        {
            if (s_workers.Length >= count) return;
            var workers = new Worker[count];
            Array.Copy(s_workers, workers, s_workers.Length);
            for (int i = s_workers.Length; i < workers.Length; i++) workers[i] = new Worker(i);
            s_workers = workers;
        }

        /// <summary>
        /// Runs the <paramref name="parts"/> parts of <paramref name="job"/> on <paramref name="x"/> and
        /// <paramref name="y"/>: part 0 on this thread, the others on the workers. Only a caller that owns the workers
        /// calls this (the batch runner, or a layer when <see cref="LayerThreads"/> says so); the first exception of any
        /// part is rethrown after all have finished.
        /// </summary>
        internal static void For(IParallelJob job, int parts, float* x, float* y)
        {
            int scratchLength = t_scratchLength;
            for (int t = 1; t < parts; t++) s_workers[t - 1].Start(job, x, y, t, parts, scratchLength);
            Exception? error = null;
            try
            {
                job.RunPart(x, y, 0, parts, Buffer(ref t_s, scratchLength).Pointer);
            }
            catch (Exception e)
            {
                error = e;
            }
            for (int t = 1; t < parts; t++) error ??= s_workers[t - 1].Wait();
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        }

        /// <summary>Part <paramref name="part"/>'s range of <paramref name="count"/> items, split in multiples of <paramref name="unit"/>.</summary>
        internal static (int From, int To) Share(int count, int unit, int part, int parts)
        {
            if (parts == 1) return (0, count);
            int units = (count + unit - 1) / unit;
            int from = (int)((long)units * part / parts) * unit, to = (int)((long)units * (part + 1) / parts) * unit;
            return (Math.Min(from, count), Math.Min(to, count));
        }

        /// <summary>The samples of a batch as a job: part i runs the i-th even share of the samples.</summary>
        private sealed class SampleJob : IParallelJob
        {
            private IBatchRunner? _network;
            private int _batchSize, _bufferLength, _scratchLength;

            public void Set(IBatchRunner? network, int batchSize, int bufferLength, int scratchLength) =>
                (_network, _batchSize, _bufferLength, _scratchLength) = (network, batchSize, bufferLength, scratchLength);

            public void RunPart(float* x, float* y, int part, int parts, float* scratch)
            {
                int per = _batchSize / parts, extra = _batchSize % parts;
                int first = part * per + Math.Min(part, extra), count = per + (part < extra ? 1 : 0);
                RunRange(_network!, x, y, first, count, _bufferLength, _scratchLength);
            }
        }

        /// <summary>
        /// A background thread that runs one part at a time. Between parts it spins for a short while (layers of one
        /// sample follow each other within microseconds, and waking a sleeping thread costs more than that), then sleeps
        /// on an event.
        /// </summary>
        private sealed class Worker
        {
            private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 us
            private readonly ManualResetEventSlim _start = new(false), _done = new(false);
            private IParallelJob? _job;
            private IntPtr _x, _y;
            private int _part, _parts, _scratchLength;
            private int _started, _finished; // sequence numbers: a part is pending while they differ
            private Exception? _error;

            public Worker(int index)
            {
                // A slim event makes its lock object lazily, on the first wait that blocks, which would allocate in the
                // middle of some later Forward on the calling thread: make both now with one short wait each.
                _start.Wait(1);
                _done.Wait(1);
                var thread = new Thread(Loop) { IsBackground = true, Name = "CnnGen worker " + (index + 1) };
                thread.Start();
            }

            public void Start(IParallelJob job, float* x, float* y, int part, int parts, int scratchLength)
            {
                (_job, _x, _y, _part, _parts, _scratchLength, _error) = (job, (IntPtr)x, (IntPtr)y, part, parts, scratchLength, null);
                Volatile.Write(ref _started, _started + 1);
                _start.Set();
            }

            public Exception? Wait()
            {
                int target = _started;
                Await(ref _finished, target, _done);
                _job = null;
                return _error;
            }

            /// <summary>Waits until <paramref name="counter"/> reaches <paramref name="target"/>: spinning first, then on the event.</summary>
            private static void Await(ref int counter, int target, ManualResetEventSlim signal)
            {
                long until = Stopwatch.GetTimestamp() + SpinTicks;
                var spinner = new SpinWait();
                while (Volatile.Read(ref counter) != target)
                {
                    if (Stopwatch.GetTimestamp() < until)
                    {
                        spinner.SpinOnce(-1); // never Sleep(1): that would cost a millisecond
                        continue;
                    }
                    signal.Wait();
                    signal.Reset(); // the counter is read again after the reset, so a Set between the two is not lost
                }
            }

            private void Loop()
            {
                int seen = 0;
                while (true)
                {
                    seen++;
                    Await(ref _started, seen, _start);
                    try
                    {
                        _job!.RunPart((float*)_x, (float*)_y, _part, _parts, Buffer(ref t_s, _scratchLength).Pointer);
                    }
                    catch (Exception e)
                    {
                        _error = e;
                    }
                    finally
                    {
                        Volatile.Write(ref _finished, seen);
                        _done.Set();
                    }
                }
            }
        }
    }
}

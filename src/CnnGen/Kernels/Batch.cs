using System;
using System.ComponentModel;
using System.Threading;

namespace CnnGen.Kernels
{
    /// <summary>What the batch runner drives: a way to run a range of samples with given buffers.</summary>
    internal unsafe interface IBatchRunner
    {
        /// <summary>Runs samples [first, first + count); a, b and s are the calling thread's buffers.</summary>
        void RunSamples(float* x, float* y, int first, int count, float* a, float* b, float* s);
    }

    /// <summary>
    /// Runs a batch on up to <see cref="CnnGenRuntime.MaxThreads"/> threads: the caller and dedicated background workers,
    /// woken per batch without allocating. Each thread keeps its own aligned buffers, made on its first call.
    /// </summary>
    internal static unsafe class Batch
    {
        private static readonly object Gate = new();
        private static Worker[] s_workers = Array.Empty<Worker>();

        /// <summary>Runs <paramref name="batchSize"/> samples of <paramref name="network"/>.</summary>
        public static void Run(IBatchRunner network, float* x, float* y, int batchSize, int inputLength, int outputLength, int bufferLength, int scratchLength)
        {
            int threads = Math.Min(Math.Max(1, CnnGenRuntime.MaxThreads), batchSize);
            if (threads > 1 && Monitor.TryEnter(Gate))
            {
                try
                {
                    RunParallel(network, x, y, batchSize, threads, bufferLength, scratchLength);
                    return;
                }
                finally
                {
                    Monitor.Exit(Gate);
                }
            }
            RunRange(network, x, y, 0, batchSize, bufferLength, scratchLength);
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

        private static void RunParallel(IBatchRunner network, float* x, float* y, int batchSize, int threads, int bufferLength, int scratchLength)
        {
            if (s_workers.Length < threads - 1)
            {
                var workers = new Worker[threads - 1];
                Array.Copy(s_workers, workers, s_workers.Length);
                for (int i = s_workers.Length; i < workers.Length; i++) workers[i] = new Worker(i);
                s_workers = workers;
            }
            int per = batchSize / threads, extra = batchSize % threads, first = 0;
            int own = per + (extra > 0 ? 1 : 0);
            first = own;
            for (int t = 1; t < threads; t++)
            {
                int count = per + (t < extra ? 1 : 0);
                s_workers[t - 1].Start(network, x, y, first, count, bufferLength, scratchLength);
                first += count;
            }
            Exception? error = null;
            try
            {
                RunRange(network, x, y, 0, own, bufferLength, scratchLength);
            }
            catch (Exception e)
            {
                error = e;
            }
            for (int t = 1; t < threads; t++) error ??= s_workers[t - 1].Wait();
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        }

        private sealed class Worker
        {
            private readonly ManualResetEventSlim _start = new(false), _done = new(false);
            private IBatchRunner? _network;
            private IntPtr _x, _y;
            private int _first, _count, _bufferLength, _scratchLength;
            private Exception? _error;

            public Worker(int index)
            {
                // A slim event makes its lock object lazily, on the first wait that blocks, which would allocate in the
                // middle of some later Forward on the calling thread: make it now with one short wait.
                _done.Wait(1);
                var thread = new Thread(Loop) { IsBackground = true, Name = "CnnGen batch worker " + (index + 1) };
                thread.Start();
            }

            public void Start(IBatchRunner network, float* x, float* y, int first, int count, int bufferLength, int scratchLength)
            {
                (_network, _x, _y, _first, _count, _bufferLength, _scratchLength, _error) = (network, (IntPtr)x, (IntPtr)y, first, count, bufferLength, scratchLength, null);
                _done.Reset();
                _start.Set();
            }

            public Exception? Wait()
            {
                _done.Wait();
                _network = null;
                return _error;
            }

            private void Loop()
            {
                while (true)
                {
                    _start.Wait();
                    _start.Reset();
                    try
                    {
                        RunRange(_network!, (float*)_x, (float*)_y, _first, _count, _bufferLength, _scratchLength);
                    }
                    catch (Exception e)
                    {
                        _error = e;
                    }
                    finally
                    {
                        _done.Set();
                    }
                }
            }
        }
    }
}

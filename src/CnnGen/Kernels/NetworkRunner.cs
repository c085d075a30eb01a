using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace CnnGen.Kernels
{
    /// <summary>
    /// Runs a generated network's layer plans on samples: converts the input to channels-last, runs each plan
    /// (element-wise ones in place, the others between two buffers), converts the output back to channels-first.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed unsafe class NetworkRunner : IBatchRunner
    {
        private readonly int _inChannels, _inPixels, _outChannels, _outPixels, _inputLength, _outputLength;
        private readonly bool _vectorOutput;
        private readonly LayerPlan[] _plans;
        private readonly bool[] _inPlace;
        private readonly int _bufferLength, _scratchLength;
        private readonly int _maxThreads;
        private readonly int _inputStride; // floats per input position in the internal layout
        private readonly int _split;       // plans from here on work on vectors (the first Dense on): run them on rows of samples
        private readonly int _rowStride;   // floats per sample row in that stage
        private const int ChunkRows = 16;

        /// <param name="inputShape">One sample's input shape, channels first.</param>
        /// <param name="outputShape">One sample's output shape.</param>
        /// <param name="plans">The layers, in order (fused and no-op layers left out).</param>
        /// <param name="maxThreads">
        /// The most threads one call uses, below <see cref="CnnGenRuntime.MaxThreads"/> (the project's CnnGen_MaxThreads);
        /// 0: no bound of its own.
        /// </param>
        public NetworkRunner(int[] inputShape, int[] outputShape, LayerPlan[] plans, int maxThreads = 0)
        {
            if (maxThreads < 0) throw new ArgumentOutOfRangeException(nameof(maxThreads), maxThreads, "maxThreads must be 0 (no bound) or at least 1.");
            _maxThreads = maxThreads;
            _inChannels = inputShape[0];
            _inPixels = Product(inputShape) / _inChannels;
            _inputLength = Product(inputShape);
            _outputLength = Product(outputShape);
            _vectorOutput = outputShape.Length == 1;
            _outChannels = outputShape[0];
            _outPixels = _outputLength / _outChannels;
            _plans = plans;
            _inPlace = Array.ConvertAll(plans, p => p is ActivationPlan or BatchNormPlan or SoftmaxPlan);
            _inputStride = plans.Length > 0 && plans[0] is ConvPlan first ? first.UseCompactInput() : Simd.Pad8(_inChannels);
            _split = Array.FindIndex(plans, p => p is DensePlan);
            if (_split < 0) _split = plans.Length;
            _rowStride = 8;
            for (int i = _split; i < plans.Length; i++) _rowStride = Math.Max(_rowStride, Simd.Pad8(plans[i].OutputLength));
            if (_split < plans.Length) _rowStride = Math.Max(_rowStride, Simd.Pad8(((DensePlan)plans[_split]).InputLength));
            (_bufferLength, _scratchLength) = LayerPlan.Lengths(_inPixels * Simd.Pad8(_inChannels), plans);
        }

        private static int Product(int[] shape)
        {
            int p = 1;
            foreach (int v in shape) p *= v;
            return p;
        }

        /// <summary>Runs <paramref name="batchSize"/> samples (lengths already checked by the caller).</summary>
        public void Run(ReadOnlySpan<float> input, Span<float> output, int batchSize)
        {
            fixed (float* x = input)
            fixed (float* y = output)
                Batch.Run(this, x, y, batchSize, _inputLength, _outputLength, _bufferLength, _scratchLength, _maxThreads);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void IBatchRunner.RunSamples(float* x, float* y, int first, int count, float* a, float* b, float* s)
        {
            if (count < 4 || _split == _plans.Length)
            {
                for (int n = first; n < first + count; n++) Sample(x + (long)n * _inputLength, y + (long)n * _outputLength, a, b, s);
                return;
            }
            // Several samples and a dense tail: run each sample up to the first Dense, then the dense stage on rows.
            float* rowsA = Batch.Rows(0, ChunkRows * _rowStride), rowsB = Batch.Rows(1, ChunkRows * _rowStride);
            for (int n0 = first; n0 < first + count; n0 += ChunkRows)
            {
                int rows = Math.Min(ChunkRows, first + count - n0);
                int length = ((DensePlan)_plans[_split]).InputLength;
                for (int r = 0; r < rows; r++)
                {
                    float* vector = Front(x + (long)(n0 + r) * _inputLength, a, b, s, _split);
                    Buffer.MemoryCopy(vector, rowsA + r * _rowStride, length * 4L, length * 4L);
                }
                float* cur = rowsA, other = rowsB;
                for (int i = _split; i < _plans.Length; i++)
                {
                    if (_plans[i] is DensePlan dense)
                    {
                        dense.RunRows(cur, _rowStride, other, _rowStride, rows);
                        float* t = cur;
                        cur = other;
                        other = t;
                    }
                    else
                    {
                        for (int r = 0; r < rows; r++) _plans[i].Run(cur + r * _rowStride, cur + r * _rowStride, s);
                    }
                }
                for (int r = 0; r < rows; r++)
                    Buffer.MemoryCopy(cur + r * _rowStride, y + (long)(n0 + r) * _outputLength, _outputLength * 4L, _outputLength * 4L);
            }
        }

        /// <summary>One sample through the first <paramref name="count"/> plans; returns the buffer that holds the result.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private float* Front(float* x, float* a, float* b, float* s, int count)
        {
            Layout.ToChannelsLast(x, a, _inChannels, _inPixels, _inputStride);
            float* cur = a, other = b;
            for (int i = 0; i < count; i++)
            {
                if (_inPlace[i])
                {
                    _plans[i].Run(cur, cur, s);
                }
                else
                {
                    _plans[i].Run(cur, other, s);
                    float* t = cur;
                    cur = other;
                    other = t;
                }
            }
            return cur;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Sample(float* x, float* y, float* a, float* b, float* s)
        {
            float* cur = Front(x, a, b, s, _plans.Length);
            if (_vectorOutput) Buffer.MemoryCopy(cur, y, _outputLength * 4L, _outputLength * 4L);
            else Layout.ToChannelsFirst(cur, y, _outChannels, _outPixels);
        }
    }
}

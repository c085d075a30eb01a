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

        /// <param name="inputShape">One sample's input shape, channels first.</param>
        /// <param name="outputShape">One sample's output shape.</param>
        /// <param name="plans">The layers, in order (fused and no-op layers left out).</param>
        public NetworkRunner(int[] inputShape, int[] outputShape, LayerPlan[] plans)
        {
            _inChannels = inputShape[0];
            _inPixels = Product(inputShape) / _inChannels;
            _inputLength = Product(inputShape);
            _outputLength = Product(outputShape);
            _vectorOutput = outputShape.Length == 1;
            _outChannels = outputShape[0];
            _outPixels = _outputLength / _outChannels;
            _plans = plans;
            _inPlace = Array.ConvertAll(plans, p => p is ActivationPlan or BatchNormPlan or SoftmaxPlan);
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
                Batch.Run(this, x, y, batchSize, _inputLength, _outputLength, _bufferLength, _scratchLength);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void IBatchRunner.RunSamples(float* x, float* y, int first, int count, float* a, float* b, float* s)
        {
            for (int n = first; n < first + count; n++) Sample(x + (long)n * _inputLength, y + (long)n * _outputLength, a, b, s);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Sample(float* x, float* y, float* a, float* b, float* s)
        {
            Layout.ToChannelsLast(x, a, _inChannels, _inPixels);
            float* cur = a, other = b;
            for (int i = 0; i < _plans.Length; i++)
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
            if (_vectorOutput) Buffer.MemoryCopy(cur, y, _outputLength * 4L, _outputLength * 4L);
            else Layout.ToChannelsFirst(cur, y, _outChannels, _outPixels);
        }
    }
}

using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Benchmarks
{
    /// <summary>
    /// ONNX Runtime as every mode of the benchmark runs it: <c>IntraOpNumThreads</c> = threads, one inter-op thread,
    /// sequential execution, all graph optimisations, the input and output pre-bound as OrtValues over pinned arrays.
    /// </summary>
    public sealed class BoundSession : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly OrtValue _in, _out;
        private readonly OrtIoBinding _binding;
        private readonly RunOptions _runOptions = new();

        public BoundSession(string model, int threads, float[] input, long[] inputShape, float[] output, long[] outputShape)
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
            _session = new InferenceSession(model, options);
            _in = OrtValue.CreateTensorValueFromMemory(input, inputShape);
            _out = OrtValue.CreateTensorValueFromMemory(output, outputShape);
            _binding = _session.CreateIoBinding();
            _binding.BindInput(_session.InputMetadata.Keys.Single(), _in);
            _binding.BindOutput(_session.OutputMetadata.Keys.Single(), _out);
        }

        public void Run() => _session.RunWithBinding(_runOptions, _binding);

        /// <summary>Throws where CnnGen's and ONNX Runtime's outputs differ by more than 1e-3 of the largest (at least 1).</summary>
        public static void CheckAgree(float[] cnngen, float[] ort, string context)
        {
            float scale = Math.Max(1f, ort.Max(MathF.Abs));
            for (int i = 0; i < cnngen.Length; i++)
                if (!(Math.Abs(cnngen[i] - ort[i]) <= 1e-3f * scale))
                    throw new InvalidOperationException($"{context}: CnnGen {cnngen[i]} and ONNX Runtime {ort[i]} differ at {i}");
        }

        public void Dispose()
        {
            _binding.Dispose();
            _in.Dispose();
            _out.Dispose();
            _runOptions.Dispose();
            _session.Dispose();
        }
    }
}

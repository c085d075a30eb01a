using System;
using System.Buffers;
using System.IO;
using System.Reflection;
using CnnGen.Loading;

namespace CnnGen
{
    /// <summary>Reads trained weights into the flat parameter array of a declared network, checking them against it.</summary>
    public static class WeightLoader
    {
        /// <summary>
        /// Loads <paramref name="path"/>: an ONNX model (any exporter's sequential CNN) or a PyTorch state_dict saved as
        /// .safetensors, chosen by the file's extension (or its first bytes).
        /// </summary>
        /// <exception cref="FileNotFoundException">There is no such file.</exception>
        /// <exception cref="InvalidDataException">The file is corrupt, or its layers or shapes differ from the declaration (the message names the layer and both values).</exception>
        public static float[] Load(string path, NetworkSpec spec)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            if (!File.Exists(path)) throw new FileNotFoundException($"No weight file at '{path}'.", path);
            return IsSafetensors(path) ? LoadSafetensors(path, spec) : LoadOnnx(path, spec);
        }

        /// <summary>Loads the weights of an ONNX model, matching its graph to the declared layers.</summary>
        public static float[] LoadOnnx(string path, NetworkSpec spec) => OnnxWeightMatcher.Match(OnnxModel.ReadFile(path), spec);

        /// <summary>Loads a PyTorch state_dict saved with safetensors; tensor names are the layer names plus .weight, .bias, ...</summary>
        public static float[] LoadSafetensors(string path, NetworkSpec spec) => Safetensors.Load(path, spec);

        /// <summary>
        /// Loads the weights the build embedded in <paramref name="assembly"/> for <c>[ConvNet(..., Weights = "...")]</c>
        /// (the generated <c>Default</c> calls this). The resource is read where it lies in the loaded assembly, not
        /// copied; its tensors are decoded into the flat parameter array, which the network's constructor repacks.
        /// </summary>
        /// <param name="assembly">The assembly that declares the network.</param>
        /// <param name="resourceName">The manifest resource the build gave the file.</param>
        /// <param name="weights">The <c>Weights</c> path as declared (for messages; its extension says the format).</param>
        /// <param name="spec">The declared network.</param>
        /// <exception cref="InvalidOperationException">The assembly holds no such resource (it was not built with CnnGen's build targets).</exception>
        /// <exception cref="InvalidDataException">The embedded file does not match the declaration (the build reports that first).</exception>
        public static float[] LoadEmbedded(Assembly assembly, string resourceName, string weights, NetworkSpec spec)
        {
            if (assembly is null) throw new ArgumentNullException(nameof(assembly));
            if (resourceName is null) throw new ArgumentNullException(nameof(resourceName));
            if (weights is null) throw new ArgumentNullException(nameof(weights));
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            using Stream stream = assembly.GetManifestResourceStream(resourceName)
                ?? throw new InvalidOperationException($"{spec.Name}: the assembly {assembly.GetName().Name} has no embedded weights '{resourceName}' for Weights = \"{weights}\". "
                    + "CnnGen's build targets embed the file: reference the CnnGen package (they come with it) and rebuild.");
            bool safetensors = weights.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
            string source = "embedded " + weights;
            if (stream is UnmanagedMemoryStream mapped && mapped.Length <= int.MaxValue)
            {
                unsafe
                {
                    using var memory = new UnmanagedBytes(mapped.PositionPointer, (int)mapped.Length);
                    return Load(memory.Memory, source, safetensors, spec);
                }
            }
            // A stream that is not the assembly's mapped image (an Assembly type of its own): read it once.
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return Load(bytes, source, safetensors, spec);
        }

        private static float[] Load(ReadOnlyMemory<byte> data, string source, bool safetensors, NetworkSpec spec) =>
            safetensors ? Safetensors.Load(data.Span, source, spec) : OnnxWeightMatcher.Match(OnnxModel.Read(data, source), spec);

        /// <summary>Memory outside the managed heap (a manifest resource in the loaded image) seen as <see cref="Memory{T}"/>, without a copy.</summary>
        private sealed unsafe class UnmanagedBytes : MemoryManager<byte>
        {
            private readonly byte* _start;
            private readonly int _length;

            public UnmanagedBytes(byte* start, int length)
            {
                _start = start;
                _length = length;
            }

            public override Span<byte> GetSpan() => new(_start, _length);

            public override MemoryHandle Pin(int elementIndex = 0) => new(_start + elementIndex);

            public override void Unpin() { }

            protected override void Dispose(bool disposing) { }
        }

        private static bool IsSafetensors(string path)
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return true;
            if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return false;
            using FileStream f = File.OpenRead(path);
            var head = new byte[9];
            return f.Read(head, 0, 9) == 9 && head[8] == (byte)'{';
        }
    }
}

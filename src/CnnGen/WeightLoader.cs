using System;
using System.IO;
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

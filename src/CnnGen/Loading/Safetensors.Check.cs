using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Loading
{
    /// <summary>
    /// The safetensors checks that need no data: a state_dict's names, types and shapes against the declared layers.
    /// Shared with the build, which checks a file's description (names, dtypes, shapes) before the program exists.
    /// </summary>
    internal static partial class Safetensors
    {
        /// <summary>
        /// Each declared parameter tensor with the entry that holds it; throws <see cref="InvalidDataException"/> naming the
        /// tensor and both shapes, or the tensors missing and left over.
        /// </summary>
        public static List<(ParameterTensor Tensor, Entry Entry)> Match(IReadOnlyDictionary<string, Entry> entries, NetworkSpec spec, string source)
        {
            var found = new List<(ParameterTensor, Entry)>();
            var missing = new List<string>();
            var used = new HashSet<string>();
            foreach (ParameterTensor t in spec.Parameters)
            {
                if (!entries.TryGetValue(t.Key, out Entry? e))
                {
                    missing.Add($"{t.Key} [{string.Join(", ", t.Shape)}]");
                    continue;
                }
                used.Add(t.Key);
                // A 1x1 convolution's weight [N_out, N_in, 1, 1] is a dense layer's [N_out, N_in] (a gate written with Conv2d on [C, 1, 1]).
                long[] shape = e.Shape.Length > t.Shape.Count && e.Shape.Skip(t.Shape.Count).All(v => v == 1) && t.Suffix == "weight"
                    && spec.Analysis.Layers[t.Layer].Kind == LayerKind.Dense ? e.Shape.Take(t.Shape.Count).ToArray() : e.Shape;
                if (!shape.SequenceEqual(t.Shape.Select(v => (long)v)))
                    throw new InvalidDataException($"{spec.Name}: layer '{spec.Analysis.Layers[t.Layer].Name}': tensor '{t.Key}' in '{source}' has shape [{string.Join(", ", e.Shape)}], but the declaration needs [{string.Join(", ", t.Shape)}]");
                found.Add((t, e));
            }
            var extra = entries.Keys.Where(k => !used.Contains(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                string message = $"{spec.Name}: the tensors of '{source}' do not match the declared layers.";
                if (missing.Count > 0) message += " Missing: " + string.Join(", ", missing) + ".";
                if (extra.Count > 0) message += " Not in the declaration: " + string.Join(", ", extra.Take(20)) + (extra.Count > 20 ? $" and {extra.Count - 20} more" : "") + ".";
                message += " Layer names come from the attributes' Name (default conv1, pool1, fc1, bn1, ...); name the layers like the PyTorch modules (Name = \"features.0\").";
                throw new InvalidDataException(message);
            }
            return found;
        }
    }
}

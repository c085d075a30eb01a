using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CnnGen.Shapes;

namespace CnnGen.Loading
{
    /// <summary>
    /// Reads a PyTorch state_dict saved as .safetensors: an 8-byte little-endian header length, a JSON header
    /// {name: {dtype, shape, data_offsets}}, then the data. F32 is read as is; F16, BF16 and F64 are converted.
    /// </summary>
    internal static class Safetensors
    {
        private const long MaxHeader = 100L * 1024 * 1024;

        public static float[] Load(string path, NetworkSpec spec)
        {
            using FileStream file = File.OpenRead(path);
            long length = file.Length;
            if (length < 8) throw Bad(path, $"the file has {length} bytes; a safetensors file starts with an 8-byte header length");
            Span<byte> prefix = stackalloc byte[8];
            file.ReadExactly(prefix);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(length - 8) || headerLength > MaxHeader)
                throw Bad(path, $"the header claims {headerLength} bytes, but the file has {length - 8} after the length (truncated, or not a safetensors file)");
            var header = new byte[headerLength];
            file.ReadExactly(header);
            long dataStart = 8 + (long)headerLength, dataLength = length - dataStart;

            Dictionary<string, Entry> entries = ParseHeader(path, header, dataLength);
            var flat = new float[spec.ParameterCount];
            var missing = new List<string>();
            var used = new HashSet<string>();
            foreach (var t in spec.Parameters)
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
                    throw new InvalidDataException($"{spec.Name}: tensor '{t.Key}' in '{path}' has shape [{string.Join(", ", e.Shape)}], but the declaration needs [{string.Join(", ", t.Shape)}]");
                file.Position = dataStart + e.Begin;
                var bytes = new byte[e.End - e.Begin];
                file.ReadExactly(bytes);
                Convert(bytes, e.DType, flat.AsSpan(t.Offset, t.Length));
            }
            var extra = entries.Keys.Where(k => !used.Contains(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                string message = $"{spec.Name}: the tensors of '{path}' do not match the declared layers.";
                if (missing.Count > 0) message += " Missing: " + string.Join(", ", missing) + ".";
                if (extra.Count > 0) message += " Not in the declaration: " + string.Join(", ", extra.Take(20)) + (extra.Count > 20 ? $" and {extra.Count - 20} more" : "") + ".";
                message += " Layer names come from the attributes' Name (default conv1, pool1, fc1, bn1, ...); name the layers like the PyTorch modules (Name = \"features.0\").";
                throw new InvalidDataException(message);
            }
            return flat;
        }

        private sealed record Entry(string DType, long[] Shape, long Begin, long End);

        private static InvalidDataException Bad(string path, string problem) => new($"'{path}' is not a valid safetensors file: {problem}");

        private static int SizeOf(string dtype) => dtype switch
        {
            "F32" => 4,
            "F16" or "BF16" => 2,
            "F64" or "I64" => 8,
            _ => 0,
        };

        private static Dictionary<string, Entry> ParseHeader(string path, byte[] header, long dataLength)
        {
            var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(header);
            }
            catch (JsonException e)
            {
                throw Bad(path, "the header is not valid JSON: " + e.Message);
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "the header is not a JSON object");
                foreach (JsonProperty p in doc.RootElement.EnumerateObject())
                {
                    if (p.Name == "__metadata__") continue;
                    string where = $"tensor '{p.Name}'";
                    try
                    {
                        JsonElement v = p.Value;
                        string dtype = v.GetProperty("dtype").GetString() ?? "";
                        long[] shape = v.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                        long[] offsets = v.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
                        int size = SizeOf(dtype);
                        if (size == 0) throw Bad(path, $"{where} has dtype {dtype}; CnnGen reads F32, F16, BF16 and F64 weights");
                        if (dtype == "I64" && !p.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
                            throw Bad(path, $"{where} has dtype I64; CnnGen reads F32, F16, BF16 and F64 weights (I64 only for BatchNorm's num_batches_tracked, which it skips)");
                        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                            throw Bad(path, $"{where} has data_offsets [{string.Join(", ", offsets)}] outside the {dataLength} data bytes (truncated file?)");
                        long count = 1;
                        foreach (long d in shape)
                        {
                            if (d < 0 || (d != 0 && count > int.MaxValue / d)) throw Bad(path, $"{where} has an impossible shape [{string.Join(", ", shape)}]");
                            count *= d;
                        }
                        if (count * size != offsets[1] - offsets[0])
                            throw Bad(path, $"{where} is {dtype} [{string.Join(", ", shape)}] = {count * size} bytes, but its data_offsets span {offsets[1] - offsets[0]}");
                        entries[p.Name] = new Entry(dtype, shape, offsets[0], offsets[1]);
                    }
                    catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
                    {
                        throw Bad(path, $"{where} lacks dtype, shape or data_offsets, or has them in the wrong form");
                    }
                }
            }
            return entries;
        }

        private static void Convert(byte[] bytes, string dtype, Span<float> into)
        {
            for (int i = 0; i < into.Length; i++)
            {
                into[i] = dtype switch
                {
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)),
                    "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2)),
                    "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i * 2)) << 16),
                    _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8)),
                };
            }
        }
    }
}

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace CnnGen.Loading
{
    /// <summary>The safetensors header: its tensors, each checked against the bytes present (shared with the build).</summary>
    internal static partial class Safetensors
    {
        private const long MaxHeader = 100L * 1024 * 1024;

        /// <summary>The tensors the header of <paramref name="data"/> describes, each checked against the data present.</summary>
        public static Dictionary<string, Entry> ReadHeader(ReadOnlySpan<byte> data, string source, out int dataStart)
        {
            long length = data.Length;
            if (length < 8) throw Bad(source, $"the file has {length} bytes; a safetensors file starts with an 8-byte header length");
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(data);
            if (headerLength > (ulong)(length - 8) || headerLength > MaxHeader)
                throw Bad(source, $"the header claims {headerLength} bytes, but the file has {length - 8} after the length (truncated, or not a safetensors file)");
            dataStart = 8 + (int)headerLength;
            return ParseHeader(source, data.Slice(8, (int)headerLength), length - dataStart);
        }

        private static InvalidDataException Bad(string path, string problem) => new($"'{path}' is not a valid safetensors file: {problem}");

        private static Dictionary<string, Entry> ParseHeader(string path, ReadOnlySpan<byte> header, long dataLength)
        {
            var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
            var reader = new Utf8JsonReader(header);
            JsonDocument doc;
            try
            {
                doc = JsonDocument.ParseValue(ref reader);
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
                        if (DTypeProblem(p.Name, dtype) is { } problem) throw WeightFileErrors.Create(WeightProblem.DataType, $"'{path}': {problem}");
                        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                            throw Bad(path, $"{where} has data_offsets [{string.Join(", ", offsets)}] outside the {dataLength} data bytes (truncated file?)");
                        long count = 1;
                        foreach (long d in shape)
                        {
                            if (d < 0 || (d != 0 && count > int.MaxValue / d)) throw Bad(path, $"{where} has an impossible shape [{string.Join(", ", shape)}]");
                            count *= d;
                        }
                        int size = SizeOf(dtype);
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
    }
}

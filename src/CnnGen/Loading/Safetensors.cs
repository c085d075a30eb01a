using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Loading
{
    /// <summary>
    /// Reads a PyTorch state_dict saved as .safetensors: an 8-byte little-endian header length, a JSON header
    /// {name: {dtype, shape, data_offsets}}, then the data. F32 is read as is; F16, BF16 and F64 are converted.
    /// </summary>
    internal static partial class Safetensors
    {
        public static float[] Load(string path, NetworkSpec spec)
        {
            var info = new FileInfo(path);
            if (info.Length > int.MaxValue) throw Bad(path, $"the file is {info.Length} bytes; files over 2 GB are not supported");
            return Load(File.ReadAllBytes(path), path, spec);
        }

        /// <summary>Loads the state_dict in <paramref name="data"/> (a file's bytes, or an embedded resource read in place).</summary>
        public static float[] Load(ReadOnlySpan<byte> data, string source, NetworkSpec spec)
        {
            Dictionary<string, Entry> entries = ReadHeader(data, source, out int dataStart);
            var flat = new float[spec.ParameterCount];
            foreach ((ParameterTensor t, Entry e) in Match(entries, spec, source))
                Convert(data.Slice(dataStart + (int)e.Begin, (int)(e.End - e.Begin)), e.DType, flat.AsSpan(t.Offset, t.Length));
            return flat;
        }

        private static void Convert(ReadOnlySpan<byte> bytes, string dtype, Span<float> into)
        {
            for (int i = 0; i < into.Length; i++)
            {
                into[i] = dtype switch
                {
                    "F32" => BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i * 4)),
                    "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes.Slice(i * 2)),
                    "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(i * 2)) << 16),
                    _ => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i * 8)),
                };
            }
        }
    }
}

using System;
using System.IO;
using CnnGen.Loading;

namespace CnnGen.Build
{
    /// <summary>
    /// The outline of an ONNX model: the same ModelProto, field for field, except that each graph initializer of more than
    /// <see cref="MaxKeptValues"/> values loses its data and is marked <see cref="OnnxTensor.OutlineField"/>. Names, types,
    /// shapes, nodes, attributes and the small constants (shapes, axes, clip bounds, scales) stay, so the analyzer matches
    /// the graph to a declaration with the loader's own code, from a description of a few kilobytes.
    /// </summary>
    internal static class OnnxOutline
    {
        public const int MaxKeptValues = 64;

        /// <summary>TensorProto fields that hold values: float_data, int32_data, string_data, int64_data, raw_data, double_data, uint64_data.</summary>
        private static bool IsData(int field) => field is 4 or 5 or 6 or 7 or 9 or 10 or 11;

        public static byte[] Write(ReadOnlyMemory<byte> model, string source) =>
            Replace(model, OnnxModel.GraphField, source, graph => Replace(graph, OnnxModel.InitializerField, source, tensor => Tensor(tensor, source)));

        /// <summary>The message with the body of each length-delimited field <paramref name="field"/> replaced by <paramref name="with"/> of it.</summary>
        private static byte[] Replace(ReadOnlyMemory<byte> message, int field, string source, Func<ReadOnlyMemory<byte>, byte[]> with)
        {
            var output = new MemoryStream();
            Copy(new ProtoReader(message, source), output, (f, wire, body, into) =>
            {
                if (f != field || wire != ProtoReader.LengthDelimited) return false;
                WriteField(into, f, with(body));
                return true;
            });
            return output.ToArray();
        }

        private static byte[] Tensor(ReadOnlyMemory<byte> tensor, string source)
        {
            var dims = new System.Collections.Generic.List<long>();
            var r = new ProtoReader(tensor, source);
            while (r.Next(out int field, out int wire))
            {
                if (field == 1) r.ReadInt64s(wire, dims, "dims");
                else r.Skip(wire);
            }
            long count = 1;
            foreach (long d in dims) count *= d;
            if (count <= MaxKeptValues) return tensor.ToArray();
            var output = new MemoryStream();
            Copy(new ProtoReader(tensor, source), output, (field, _, _, _) => IsData(field));
            WriteVarint(output, (ulong)OnnxTensor.OutlineField << 3 | ProtoReader.Varint);
            WriteVarint(output, 1);
            return output.ToArray();
        }

        /// <summary>
        /// Copies every field of a message as it is, except those <paramref name="handle"/> takes: it gets the field's number,
        /// wire type and (length-delimited fields) body, and writes what it wants instead, or nothing.
        /// </summary>
        private static void Copy(ProtoReader r, MemoryStream into, Func<int, int, ReadOnlyMemory<byte>, MemoryStream, bool> handle)
        {
            int start = r.Position;
            while (r.Next(out int field, out int wire))
            {
                ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
                if (wire == ProtoReader.LengthDelimited)
                {
                    (int offset, int length) = r.ReadSlice("a field");
                    body = r.Bytes(offset, offset + length);
                }
                else r.Skip(wire);
                if (!handle(field, wire, body, into)) into.Write(r.Bytes(start, r.Position).Span);
                start = r.Position;
            }
        }

        private static void WriteField(MemoryStream into, int field, byte[] body)
        {
            WriteVarint(into, (ulong)field << 3 | ProtoReader.LengthDelimited);
            WriteVarint(into, (ulong)body.Length);
            into.Write(body);
        }

        private static void WriteVarint(MemoryStream into, ulong value)
        {
            while (value >= 0x80)
            {
                into.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            into.WriteByte((byte)value);
        }
    }
}

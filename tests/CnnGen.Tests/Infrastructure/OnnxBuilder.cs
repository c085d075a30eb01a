using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>Writes the protobuf wire format (test side: builds ONNX models and corrupt variants of them).</summary>
    internal sealed class ProtoWriter
    {
        private readonly MemoryStream _out = new();

        public byte[] ToArray() => _out.ToArray();

        public ProtoWriter Varint(int field, long value) { Tag(field, 0); Raw((ulong)value); return this; }

        public ProtoWriter Float(int field, float value) { Tag(field, 5); _out.Write(BitConverter.GetBytes(value)); return this; }

        public ProtoWriter Bytes(int field, byte[] value) { Tag(field, 2); Raw((ulong)value.Length); _out.Write(value); return this; }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public ProtoWriter PackedInts(int field, IEnumerable<long> values)
        {
            var inner = new ProtoWriter();
            foreach (long v in values) inner.Raw((ulong)v);
            return Bytes(field, inner.ToArray());
        }

        private void Tag(int field, int wire) => Raw((ulong)(field << 3 | wire));

        private void Raw(ulong v)
        {
            while (v >= 0x80) { _out.WriteByte((byte)(v | 0x80)); v >>= 7; }
            _out.WriteByte((byte)v);
        }
    }

    /// <summary>Builds small ONNX models for loader tests: a graph of nodes with float initializers.</summary>
    internal sealed class OnnxBuilder
    {
        private readonly List<ProtoWriter> _nodes = new();
        private readonly List<ProtoWriter> _initializers = new();
        private readonly List<ProtoWriter> _inputs = new();
        private readonly List<ProtoWriter> _outputs = new();
        private int _counter;
        public long Opset { get; set; } = 13;

        public string Current { get; private set; } = "input";

        public OnnxBuilder(long[] inputShape)
        {
            _inputs.Add(Value("input", inputShape));
        }

        private static ProtoWriter Value(string name, long[] shape)
        {
            var dims = new ProtoWriter();
            foreach (long d in shape)
            {
                var dim = new ProtoWriter();
                if (d < 0) dim.String(2, "N"); else dim.Varint(1, d);
                dims.Message(1, dim);
            }
            var tensorType = new ProtoWriter().Varint(1, 1).Message(2, dims);
            return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensorType));
        }

        public static ProtoWriter Tensor(string name, long[] dims, float[] values)
        {
            var t = new ProtoWriter().PackedInts(1, dims).Varint(2, 1).String(8, name);
            var raw = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            return t.Bytes(9, raw);
        }

        /// <summary>A tensor of any ONNX data type (TensorProto.DataType: 7 INT64, 9 BOOL, ...) from its little-endian bytes.</summary>
        public static ProtoWriter Tensor(string name, long[] dims, int dataType, byte[] raw) =>
            new ProtoWriter().PackedInts(1, dims).Varint(2, dataType).String(8, name).Bytes(9, raw);

        public string Initializer(long[] dims, float[] values, string? name = null)
        {
            name ??= "w" + _counter++;
            _initializers.Add(Tensor(name, dims, values));
            return name;
        }

        /// <summary>An initializer written by the caller (a type or a field the other helpers do not write).</summary>
        public string Initializer(ProtoWriter tensor, string name)
        {
            _initializers.Add(tensor);
            return name;
        }

        public string IntInitializer(long[] values)
        {
            string name = "shape" + _counter++;
            _initializers.Add(new ProtoWriter().PackedInts(1, new long[] { values.Length }).Varint(2, 7).String(8, name).PackedInts(7, values));
            return name;
        }

        /// <summary>Adds a node on the data path: its first input is the current tensor unless inputs say otherwise.</summary>
        public OnnxBuilder Node(string op, string[]? weights = null, Action<ProtoWriter>? attributes = null, string[]? inputs = null)
        {
            Add(op, inputs ?? new[] { Current }.Concat(weights ?? Array.Empty<string>()).ToArray(), attributes);
            return this;
        }

        /// <summary>
        /// Adds a node with explicit inputs (graphs that branch and join) and returns the name of its one output, which
        /// becomes Current. Name and output are generated unless given.
        /// </summary>
        public string Add(string op, string[] inputs, Action<ProtoWriter>? attributes = null, string? name = null, string? output = null)
        {
            output ??= op.ToLowerInvariant() + _counter++;
            var node = new ProtoWriter();
            foreach (string i in inputs) node.String(1, i);
            node.String(2, output).String(3, name ?? op + "_" + _counter).String(4, op);
            attributes?.Invoke(node);
            _nodes.Add(node);
            Current = output;
            return output;
        }

        public static Action<ProtoWriter> Attributes(params (string Name, object Value)[] attributes) => node =>
        {
            foreach (var (name, value) in attributes)
            {
                var a = new ProtoWriter().String(1, name);
                switch (value)
                {
                    case long[] ints: a.PackedInts(8, ints).Varint(20, 7); break;
                    case long i: a.Varint(3, i).Varint(20, 2); break;
                    case int i: a.Varint(3, i).Varint(20, 2); break;
                    case float f: a.Float(2, f).Varint(20, 1); break;
                    case string s: a.String(4, s).Varint(20, 3); break;
                    case ProtoWriter tensor: a.Message(5, tensor).Varint(20, 4); break;
                    default: throw new ArgumentException(name);
                }
                node.Message(5, a);
            }
        };

        public byte[] Build(long[] outputShape)
        {
            _outputs.Clear();
            _outputs.Add(Value(Current, outputShape));
            var graph = new ProtoWriter();
            foreach (var n in _nodes) graph.Message(1, n);
            graph.String(2, "test");
            foreach (var i in _initializers) graph.Message(5, i);
            foreach (var i in _inputs) graph.Message(11, i);
            foreach (var o in _outputs) graph.Message(12, o);
            return new ProtoWriter().Varint(1, 8).String(2, "cnngen-tests").Message(7, graph)
                .Message(8, new ProtoWriter().String(1, "").Varint(2, Opset)).ToArray();
        }
    }

    /// <summary>
    /// Writes a safetensors file from named float tensors (F32, or F16/BF16/F64 for conversion tests; I64 for integer
    /// buffers such as BatchNorm's num_batches_tracked, whose values are whole numbers).
    /// </summary>
    internal static class SafetensorsWriter
    {
        public static byte[] Write(IEnumerable<(string Name, long[] Shape, float[] Values)> tensors, string dtype = "F32") =>
            Write(tensors.Select(t => (t.Name, t.Shape, t.Values, dtype)));

        /// <summary>Each tensor with its own dtype.</summary>
        public static byte[] Write(IEnumerable<(string Name, long[] Shape, float[] Values, string DType)> tensors)
        {
            var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
            var data = new MemoryStream();
            foreach (var (name, shape, values, dtype) in tensors)
            {
                long begin = data.Length;
                foreach (float v in values)
                {
                    switch (dtype)
                    {
                        case "F32": data.Write(BitConverter.GetBytes(v)); break;
                        case "F16": data.Write(BitConverter.GetBytes(BitConverter.HalfToUInt16Bits((Half)v))); break;
                        case "BF16": data.Write(BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >> 16))); break;
                        case "I64": data.Write(BitConverter.GetBytes((long)v)); break;
                        default: data.Write(BitConverter.GetBytes((double)v)); break;
                    }
                }
                header.Append($",\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Length}]}}");
            }
            header.Append('}');
            byte[] h = Encoding.UTF8.GetBytes(header.ToString());
            var file = new MemoryStream();
            file.Write(BitConverter.GetBytes((ulong)h.Length));
            file.Write(h);
            file.Write(data.ToArray());
            return file.ToArray();
        }
    }
}

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace CnnGen.Loading
{
    /// <summary>An ONNX tensor: name, dims, and its values decoded to float (or int64 for shape tensors).</summary>
    internal sealed partial class OnnxTensor
    {
        public const int Float = 1, UInt8 = 2, Int8 = 3, Int32 = 6, Int64 = 7, Bool = 9, Float16 = 10, Double = 11, BFloat16 = 16;

        public OnnxTensor(string name, long[] dims, int dataType, float[]? floats, long[]? ints)
        {
            Name = name;
            Dims = dims;
            DataType = dataType;
            Floats = floats;
            Ints = ints;
        }

        public string Name { get; }
        public long[] Dims { get; }
        public int DataType { get; }
        public float[]? Floats { get; }
        public long[]? Ints { get; }

        public long Count
        {
            get
            {
                long n = 1;
                foreach (long d in Dims) n *= d;
                return n;
            }
        }

        public string ShapeText => "[" + string.Join(", ", Dims) + "]";

        public float[] RequireFloats(string role) =>
            Floats ?? throw WeightFileErrors.Create(WeightProblem.DataType, $"ONNX tensor '{Name}' ({role}) has data type {TypeName(DataType)}; expected a float tensor (FLOAT, FLOAT16, BFLOAT16 or DOUBLE)");

        public static string TypeName(int t) => t switch
        {
            Float => "FLOAT",
            UInt8 => "UINT8",
            Int8 => "INT8",
            Int32 => "INT32",
            Int64 => "INT64",
            Bool => "BOOL",
            Float16 => "FLOAT16",
            Double => "DOUBLE",
            BFloat16 => "BFLOAT16",
            _ => "type " + t,
        };

        /// <summary>
        /// A field no ONNX writer uses, which the build's description of a weights file sets on the tensors whose values it
        /// leaves out (<see cref="OnnxModel.Read(ReadOnlyMemory{byte}, string, bool)"/> with <c>outline</c>).
        /// </summary>
        public const int OutlineField = 1000;

        /// <summary>Reads a TensorProto; every count is checked against the bytes present before allocating.</summary>
        /// <param name="r">The TensorProto's fields.</param>
        /// <param name="context">What the tensor is, for messages (initializer, attribute tensor, ...).</param>
        /// <param name="outline">Whether a tensor marked with <see cref="OutlineField"/> reads as zeros (only the build's outline of a checked file).</param>
        public static OnnxTensor Read(ProtoReader r, string context, bool outline = false)
        {
            var dims = new List<long>();
            int dataType = 0;
            string name = "";
            ReadOnlyMemory<byte>? raw = null;
            var floats = new List<float>();
            var doubles = new List<double>();
            var ints = new List<long>();
            bool external = false, leftOut = false;
            while (r.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case OutlineField when outline: leftOut = r.ReadInt32() == 1; break;
                    case 1: r.ReadInt64s(wire, dims, "dims"); break;
                    case 2: dataType = r.ReadInt32(); break;
                    case 4: r.ReadFloats(wire, floats, "float_data"); break;
                    case 5: r.ReadInt64s(wire, ints, "int32_data"); break;
                    case 7: r.ReadInt64s(wire, ints, "int64_data"); break;
                    case 8: name = r.ReadString("name"); break;
                    case 9: raw = r.ReadBytes("raw_data"); break;
                    case 10: r.ReadDoubles(wire, doubles, "double_data"); break;
                    case 13: external = true; r.Skip(wire); break;
                    case 14: external |= r.ReadInt32() == 1; break;
                    default: r.Skip(wire); break;
                }
            }
            string label = $"{context} '{name}'";
            if (external)
                throw WeightFileErrors.Create(WeightProblem.ExternalData, $"{label}: its data is stored outside the .onnx file (external data); save the model with every tensor inside it (onnx.save(model, path, save_as_external_data=False))");
            long count = 1;
            foreach (long d in dims)
            {
                if (d < 0) throw new InvalidDataException($"{label}: dimension {d} is negative");
                if (d != 0 && count > int.MaxValue / d) throw new InvalidDataException($"{label}: dims [{string.Join(", ", dims)}] hold more than {int.MaxValue} values");
                count *= d;
            }
            int n = (int)count;
            float[]? values = null;
            long[]? intValues = null;
            if (leftOut)
            {
                // The outline keeps a weight's name, type and shape: its values are read from the file itself at run time.
                if (IsFloat(dataType)) values = new float[n];
                else intValues = new long[n];
                return new OnnxTensor(name, dims.ToArray(), dataType, values, intValues);
            }
            switch (dataType)
            {
                case Float:
                    values = raw is { } rf ? Decode(rf, n, 4, label, (s, i) => BinaryPrimitives.ReadSingleLittleEndian(s.Slice(i * 4)))
                        : Exact(floats, n, label, "float_data").ToArray();
                    break;
                case Double:
                    values = raw is { } rd ? Decode(rd, n, 8, label, (s, i) => (float)BinaryPrimitives.ReadDoubleLittleEndian(s.Slice(i * 8)))
                        : Exact(doubles, n, label, "double_data").ConvertAll(v => (float)v).ToArray();
                    break;
                case Float16:
                    values = raw is { } rh ? Decode(rh, n, 2, label, (s, i) => (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(s.Slice(i * 2))))
                        : Exact(ints, n, label, "int32_data").ConvertAll(v => (float)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray();
                    break;
                case BFloat16:
                    values = raw is { } rb ? Decode(rb, n, 2, label, (s, i) => BFloat(BinaryPrimitives.ReadUInt16LittleEndian(s.Slice(i * 2))))
                        : Exact(ints, n, label, "int32_data").ConvertAll(v => BFloat((ushort)v)).ToArray();
                    break;
                case Int64:
                    intValues = raw is { } ri ? DecodeInts(ri, n, 8, label, (s, i) => BinaryPrimitives.ReadInt64LittleEndian(s.Slice(i * 8)))
                        : Exact(ints, n, label, "int64_data").ToArray();
                    break;
                case Int32:
                    intValues = raw is { } r32 ? DecodeInts(r32, n, 4, label, (s, i) => BinaryPrimitives.ReadInt32LittleEndian(s.Slice(i * 4)))
                        : Exact(ints, n, label, "int32_data").ToArray();
                    break;
                case Bool: // a flag input such as Dropout's training_mode: 1 byte per value in raw_data
                    intValues = raw is { } rbool ? DecodeInts(rbool, n, 1, label, (s, i) => s[i] != 0 ? 1 : 0)
                        : Exact(ints, n, label, "int32_data").ToArray();
                    break;
            }
            return new OnnxTensor(name, dims.ToArray(), dataType, values, intValues);
        }

        /// <summary>Whether tensors of <paramref name="dataType"/> decode to floats.</summary>
        public static bool IsFloat(int dataType) => dataType is Float or Double or Float16 or BFloat16;

        /// <summary>Whether CnnGen decodes tensors of <paramref name="dataType"/> at all (floats, and the integers of shapes and flags).</summary>
        public static bool IsDecoded(int dataType) => IsFloat(dataType) || dataType is Int64 or Int32 or Bool;

        private static float BFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

        private static List<T> Exact<T>(List<T> values, int n, string label, string field) =>
            values.Count == n ? values
                : throw new InvalidDataException($"{label}: {field} holds {values.Count} values, but its dims need {n}");

        private delegate T Element<T>(ReadOnlySpan<byte> data, int index);

        private static float[] Decode(ReadOnlyMemory<byte> raw, int n, int size, string label, Element<float> read)
        {
            if (raw.Length != (long)n * size)
                throw new InvalidDataException($"{label}: raw_data has {raw.Length} bytes, but its dims need {n} x {size} = {(long)n * size}");
            var values = new float[n];
            ReadOnlySpan<byte> s = raw.Span;
            for (int i = 0; i < n; i++) values[i] = read(s, i);
            return values;
        }

        private static long[] DecodeInts(ReadOnlyMemory<byte> raw, int n, int size, string label, Element<long> read)
        {
            if (raw.Length != (long)n * size)
                throw new InvalidDataException($"{label}: raw_data has {raw.Length} bytes, but its dims need {n} x {size} = {(long)n * size}");
            var values = new long[n];
            ReadOnlySpan<byte> s = raw.Span;
            for (int i = 0; i < n; i++) values[i] = read(s, i);
            return values;
        }
    }

    /// <summary>An ONNX attribute (the kinds CNN layers use).</summary>
    internal sealed class OnnxAttribute
    {
        public string Name = "";
        public int Type;
        public float F;
        public long I;
        public string S = "";
        public List<long> Ints = new();
        public List<float> Floats = new();
        public OnnxTensor? T;
    }

    internal sealed class OnnxNode
    {
        public string OpType = "";
        public string Name = "";
        public string Domain = "";
        public List<string> Inputs = new();
        public List<string> Outputs = new();
        public Dictionary<string, OnnxAttribute> Attributes = new();

        public string Label => Name.Length > 0 ? $"{OpType} node '{Name}'" : $"{OpType} node";

        public long Int(string name, long fallback) => Attributes.TryGetValue(name, out var a) ? a.I : fallback;

        public float Float(string name, float fallback) => Attributes.TryGetValue(name, out var a) ? a.F : fallback;

        public string String(string name, string fallback) => Attributes.TryGetValue(name, out var a) ? a.S : fallback;

        public long[]? Ints(string name) => Attributes.TryGetValue(name, out var a) ? a.Ints.ToArray() : null;
    }

    /// <summary>A graph input or output: its name and, where the file gives it, its shape (-1 for a symbolic dimension).</summary>
    internal sealed record OnnxValue(string Name, long[]? Shape);

    /// <summary>The parts of an ONNX ModelProto that a sequential CNN uses.</summary>
    internal sealed partial class OnnxModel
    {
        public long IrVersion;
        public long Opset = 1;
        public string Producer = "";
        public List<OnnxNode> Nodes = new();
        public Dictionary<string, OnnxTensor> Initializers = new();
        public List<OnnxValue> Inputs = new();
        public List<OnnxValue> Outputs = new();

        /// <summary>Reads a model from <paramref name="data"/> where it lies (nothing is copied but the values decoded).</summary>
        /// <param name="data">The ModelProto's bytes.</param>
        /// <param name="source">Where they come from, for messages.</param>
        /// <param name="outline">Whether <paramref name="data"/> is the build's outline of a checked file (weights marked <see cref="OnnxTensor.OutlineField"/> read as zeros).</param>
        public static OnnxModel Read(ReadOnlyMemory<byte> data, string source, bool outline = false)
        {
            var model = new OnnxModel();
            var r = new ProtoReader(data, $"ONNX model '{source}'");
            bool sawGraph = false;
            while (r.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1: model.IrVersion = r.ReadInt64(); break;
                    case 2: model.Producer = r.ReadString("producer_name"); break;
                    case 7: sawGraph = true; ReadGraph(r.ReadMessage($"ONNX model '{source}', graph"), model, outline); break;
                    case 8:
                    {
                        ProtoReader opset = r.ReadMessage("opset_import");
                        string domain = "";
                        long version = 0;
                        while (opset.Next(out int f, out int w))
                        {
                            if (f == 1) domain = opset.ReadString("domain");
                            else if (f == 2) version = opset.ReadInt64();
                            else opset.Skip(w);
                        }
                        if (domain is "" or "ai.onnx") model.Opset = version;
                        break;
                    }
                    default: r.Skip(wire); break;
                }
            }
            if (!sawGraph) throw new InvalidDataException($"'{source}' is not an ONNX model: it has no graph (is it an ONNX file at all?)");
            return model;
        }

        /// <summary>The field of the graph in a ModelProto, and of the initializers in a GraphProto.</summary>
        public const int GraphField = 7, InitializerField = 5;

        private static void ReadGraph(ProtoReader r, OnnxModel model, bool outline)
        {
            while (r.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1: model.Nodes.Add(ReadNode(r.ReadMessage("node"))); break;
                    case InitializerField:
                    {
                        OnnxTensor t = OnnxTensor.Read(r.ReadMessage("initializer"), "initializer", outline);
                        model.Initializers[t.Name] = t;
                        break;
                    }
                    case 11: model.Inputs.Add(ReadValue(r.ReadMessage("graph input"))); break;
                    case 12: model.Outputs.Add(ReadValue(r.ReadMessage("graph output"))); break;
                    default: r.Skip(wire); break;
                }
            }
        }

        private static OnnxNode ReadNode(ProtoReader r)
        {
            var node = new OnnxNode();
            while (r.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1: node.Inputs.Add(r.ReadString("node input")); break;
                    case 2: node.Outputs.Add(r.ReadString("node output")); break;
                    case 3: node.Name = r.ReadString("node name"); break;
                    case 4: node.OpType = r.ReadString("op_type"); break;
                    case 7: node.Domain = r.ReadString("domain"); break;
                    case 5:
                    {
                        OnnxAttribute a = ReadAttribute(r.ReadMessage("attribute"));
                        node.Attributes[a.Name] = a;
                        break;
                    }
                    default: r.Skip(wire); break;
                }
            }
            return node;
        }

        private static OnnxAttribute ReadAttribute(ProtoReader r)
        {
            var a = new OnnxAttribute();
            while (r.Next(out int field, out int wire))
            {
                switch (field)
                {
                    case 1: a.Name = r.ReadString("attribute name"); break;
                    case 20: a.Type = r.ReadInt32(); break;
                    case 2: a.F = r.ReadFloat(); break;
                    case 3: a.I = r.ReadInt64(); break;
                    case 4: a.S = r.ReadString("attribute string"); break;
                    case 5: a.T = OnnxTensor.Read(r.ReadMessage("attribute tensor"), "attribute tensor"); break;
                    case 7: r.ReadFloats(wire, a.Floats, "attribute floats"); break;
                    case 8: r.ReadInt64s(wire, a.Ints, "attribute ints"); break;
                    default: r.Skip(wire); break;
                }
            }
            return a;
        }

        private static OnnxValue ReadValue(ProtoReader r)
        {
            string name = "";
            long[]? shape = null;
            while (r.Next(out int field, out int wire))
            {
                if (field == 1) name = r.ReadString("value name");
                else if (field == 2) shape = ReadType(r.ReadMessage("value type"));
                else r.Skip(wire);
            }
            return new OnnxValue(name, shape);
        }

        private static long[]? ReadType(ProtoReader r)
        {
            long[]? shape = null;
            while (r.Next(out int field, out int wire))
            {
                if (field != 1) { r.Skip(wire); continue; }
                ProtoReader tensor = r.ReadMessage("tensor type");
                while (tensor.Next(out int f, out int w))
                {
                    if (f != 2) { tensor.Skip(w); continue; }
                    ProtoReader s = tensor.ReadMessage("shape");
                    var dims = new List<long>();
                    while (s.Next(out int df, out int dw))
                    {
                        if (df != 1) { s.Skip(dw); continue; }
                        ProtoReader dim = s.ReadMessage("dim");
                        long value = -1;
                        while (dim.Next(out int xf, out int xw))
                        {
                            if (xf == 1) value = dim.ReadInt64();
                            else dim.Skip(xw);
                        }
                        dims.Add(value);
                    }
                    shape = dims.ToArray();
                }
            }
            return shape;
        }
    }
}

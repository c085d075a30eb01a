using System;
using System.IO;
using System.Text;

namespace CnnGen.Loading
{
    /// <summary>
    /// A bounds-checked reader of the protobuf wire format, enough for ONNX files. Every length is checked against
    /// the bytes that are really there before anything is read or allocated, so a hostile file can only produce an
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    internal sealed class ProtoReader
    {
        private readonly ReadOnlyMemory<byte> _data;
        private readonly int _end;
        private readonly string _context;
        private int _pos;

        /// <summary>Reads <paramref name="data"/> where it lies: an array, or memory outside the managed heap (an embedded resource).</summary>
        public ProtoReader(ReadOnlyMemory<byte> data, string context) : this(data, 0, data.Length, context) { }

        private ProtoReader(ReadOnlyMemory<byte> data, int start, int end, string context)
        {
            _data = data;
            _pos = start;
            _end = end;
            _context = context;
        }

        public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

        public bool AtEnd => _pos >= _end;

        /// <summary>The offset of the next field in the data (for copying fields as they are).</summary>
        public int Position => _pos;

        /// <summary>The data's bytes in [<paramref name="from"/>, <paramref name="to"/>).</summary>
        public ReadOnlyMemory<byte> Bytes(int from, int to) => _data.Slice(from, to - from);

        public InvalidDataException Error(string problem) => new($"{_context}: {problem}");

        /// <summary>Reads the next field's number and wire type; false at the end of the message.</summary>
        public bool Next(out int field, out int wireType)
        {
            field = 0;
            wireType = 0;
            if (_pos >= _end) return false;
            ulong tag = ReadVarint();
            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            if (field <= 0 || tag >> 3 > int.MaxValue) throw Error($"invalid field number {tag >> 3} at byte {_pos}");
            return true;
        }

        public ulong ReadVarint()
        {
            ulong value = 0;
            ReadOnlySpan<byte> data = _data.Span;
            for (int shift = 0; shift < 70; shift += 7)
            {
                if (_pos >= _end) throw Error("a number runs past the end of the data (the file is truncated)");
                byte b = data[_pos++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw Error("a number is longer than 10 bytes (corrupt data)");
        }

        public long ReadInt64() => (long)ReadVarint();

        public int ReadInt32() => (int)(long)ReadVarint();

        public float ReadFloat()
        {
            Need(4, "a float");
            float v = BitConverter.Int32BitsToSingle(ReadLittleEndian32(_data.Span, _pos));
            _pos += 4;
            return v;
        }

        private static int ReadLittleEndian32(ReadOnlySpan<byte> d, int p) => d[p] | d[p + 1] << 8 | d[p + 2] << 16 | d[p + 3] << 24;

        private void Need(long count, string what)
        {
            if (count < 0 || count > _end - _pos)
                throw Error($"{what} of {count} bytes runs past the end of the data ({_end - _pos} bytes left; the file is truncated or corrupt)");
        }

        /// <summary>A length-delimited field: its bytes as [offset, length) of the underlying array.</summary>
        public (int Offset, int Length) ReadSlice(string what)
        {
            ulong length = ReadVarint();
            if (length > int.MaxValue) throw Error($"{what} claims {length} bytes");
            Need((long)length, what);
            int start = _pos;
            _pos += (int)length;
            return (start, (int)length);
        }

        public ProtoReader ReadMessage(string context)
        {
            (int offset, int length) = ReadSlice(context);
            return new ProtoReader(_data, offset, offset + length, context);
        }

        public string ReadString(string what)
        {
            (int offset, int length) = ReadSlice(what);
            try
            {
                // Names are short: decoding a copy keeps this to the APIs every target has.
                return new UTF8Encoding(false, true).GetString(_data.Slice(offset, length).ToArray());
            }
            catch (DecoderFallbackException)
            {
                throw Error($"{what} is not valid UTF-8");
            }
        }

        public ReadOnlyMemory<byte> ReadBytes(string what)
        {
            (int offset, int length) = ReadSlice(what);
            return _data.Slice(offset, length);
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case Varint: ReadVarint(); break;
                case Fixed64: Need(8, "a 64-bit field"); _pos += 8; break;
                case LengthDelimited: ReadSlice("a field"); break;
                case Fixed32: Need(4, "a 32-bit field"); _pos += 4; break;
                default: throw Error($"unsupported wire type {wireType} (corrupt data or a deprecated group)");
            }
        }

        /// <summary>Reads a repeated int64 field element: packed (wire type 2) or one value.</summary>
        public void ReadInt64s(int wireType, System.Collections.Generic.List<long> into, string what)
        {
            if (wireType == LengthDelimited)
            {
                ProtoReader packed = ReadMessage(_context + ", " + what);
                while (!packed.AtEnd) into.Add(packed.ReadInt64());
            }
            else if (wireType == Varint) into.Add(ReadInt64());
            else throw Error($"{what} has wire type {wireType}, expected integers");
        }

        /// <summary>Reads a repeated float field element: packed (wire type 2) or one value.</summary>
        public void ReadFloats(int wireType, System.Collections.Generic.List<float> into, string what)
        {
            if (wireType == LengthDelimited)
            {
                ProtoReader packed = ReadMessage(_context + ", " + what);
                if ((packed._end - packed._pos) % 4 != 0) throw Error($"{what} is not a whole number of floats");
                while (!packed.AtEnd) into.Add(packed.ReadFloat());
            }
            else if (wireType == Fixed32) into.Add(ReadFloat());
            else throw Error($"{what} has wire type {wireType}, expected floats");
        }

        public void ReadDoubles(int wireType, System.Collections.Generic.List<double> into, string what)
        {
            if (wireType == LengthDelimited)
            {
                ProtoReader packed = ReadMessage(_context + ", " + what);
                if ((packed._end - packed._pos) % 8 != 0) throw Error($"{what} is not a whole number of doubles");
                while (!packed.AtEnd) into.Add(packed.ReadDouble());
            }
            else if (wireType == Fixed64) into.Add(ReadDouble());
            else throw Error($"{what} has wire type {wireType}, expected doubles");
        }

        private double ReadDouble()
        {
            Need(8, "a double");
            ReadOnlySpan<byte> data = _data.Span;
            long bits = (uint)ReadLittleEndian32(data, _pos) | (long)ReadLittleEndian32(data, _pos + 4) << 32;
            _pos += 8;
            return BitConverter.Int64BitsToDouble(bits);
        }
    }
}

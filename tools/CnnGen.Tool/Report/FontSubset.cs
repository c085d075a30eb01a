using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CnnGen.Tool.Report
{
    /// <summary>
    /// Cuts a TrueType font (a .ttf, or one face of a .ttc) down to the glyphs a report draws, so the PDF embeds a few
    /// hundred kilobytes instead of a whole CJK font (WenQuanYi Zen Hei is 17 MB; the PDF backend embeds what it is
    /// given). Glyph numbers, the character map and the advance widths stay as they are, so text measured with the whole
    /// font draws the same with the subset; the outlines of unused glyphs are left empty and the tables a PDF viewer
    /// does not need (bitmaps, layout features, vertical metrics) are left out. Fonts with CFF outlines (.otf) are not
    /// cut: null is returned and the whole font is used.
    /// </summary>
    internal static class FontSubset
    {
        private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
        {
            "cmap", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post", "cvt ", "fpgm", "prep", "gasp", "loca", "glyf",
        };

        private static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));
        private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));

        /// <summary>The subset font file, or null when the font is not one this can cut (no glyf table, malformed).</summary>
        public static byte[]? Cut(byte[] file, int face, ISet<ushort> glyphs)
        {
            try
            {
                return CutOrThrow(file, face, glyphs);
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException)
            {
                return null;
            }
        }

        private static byte[]? CutOrThrow(byte[] file, int face, ISet<ushort> glyphs)
        {
            int directory = 0;
            if (U32(file, 0) == 0x74746366) // 'ttcf'
            {
                if (face >= (int)U32(file, 8)) return null;
                directory = (int)U32(file, 12 + 4 * face);
            }
            int count = U16(file, directory + 4);
            var tables = new Dictionary<string, (int Offset, int Length)>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                int record = directory + 12 + 16 * i;
                string tag = System.Text.Encoding.ASCII.GetString(file, record, 4);
                tables[tag] = ((int)U32(file, record + 8), (int)U32(file, record + 12));
            }
            if (!tables.TryGetValue("glyf", out var glyf) || !tables.TryGetValue("loca", out var loca)
                || !tables.TryGetValue("head", out var head) || !tables.TryGetValue("maxp", out var maxp)) return null;

            int numGlyphs = U16(file, maxp.Offset + 4);
            bool longOffsets = U16(file, head.Offset + 50) == 1;
            int Start(int g) => longOffsets ? (int)U32(file, loca.Offset + 4 * g) : 2 * U16(file, loca.Offset + 2 * g);

            // The glyphs drawn, glyph 0 (drawn for a missing character) and the components of composite glyphs.
            var keep = new SortedSet<int> { 0 };
            var pending = new Stack<int>(glyphs.Where(g => g < numGlyphs).Select(g => (int)g));
            while (pending.Count > 0)
            {
                int g = pending.Pop();
                if (!keep.Add(g) && g != 0) continue;
                int start = Start(g), end = Start(g + 1);
                if (end - start < 10 || (short)U16(file, glyf.Offset + start) >= 0) continue;
                int at = glyf.Offset + start + 10;
                while (true)
                {
                    ushort flags = U16(file, at);
                    int component = U16(file, at + 2);
                    if (component < numGlyphs && !keep.Contains(component)) pending.Push(component);
                    at += 4 + ((flags & 0x1) != 0 ? 4 : 2);
                    if ((flags & 0x8) != 0) at += 2;
                    else if ((flags & 0x40) != 0) at += 4;
                    else if ((flags & 0x80) != 0) at += 8;
                    if ((flags & 0x20) == 0) break;
                }
            }

            var newGlyf = new MemoryStream();
            var newLoca = new byte[4 * (numGlyphs + 1)];
            for (int g = 0; g < numGlyphs; g++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * g), (uint)newGlyf.Length);
                if (!keep.Contains(g)) continue;
                int start = Start(g), end = Start(g + 1);
                newGlyf.Write(file, glyf.Offset + start, end - start);
                while (newGlyf.Length % 4 != 0) newGlyf.WriteByte(0);
            }
            BinaryPrimitives.WriteUInt32BigEndian(newLoca.AsSpan(4 * numGlyphs), (uint)newGlyf.Length);

            var output = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            foreach ((string tag, (int offset, int length)) in tables)
            {
                if (!Kept.Contains(tag)) continue;
                output[tag] = tag switch
                {
                    "glyf" => newGlyf.ToArray(),
                    "loca" => newLoca,
                    _ => file.AsSpan(offset, length).ToArray(),
                };
            }
            byte[] newHead = output["head"];
            BinaryPrimitives.WriteInt16BigEndian(newHead.AsSpan(50), 1); // long loca offsets
            BinaryPrimitives.WriteUInt32BigEndian(newHead.AsSpan(8), 0);  // checkSumAdjustment, set below
            return Write(output);
        }

        /// <summary>An sfnt file of <paramref name="tables"/> (sorted by tag), 4-byte aligned, with its checksums.</summary>
        private static byte[] Write(SortedDictionary<string, byte[]> tables)
        {
            int n = tables.Count;
            int power = 1, log = 0;
            while (power * 2 <= n) { power *= 2; log++; }
            var file = new MemoryStream();
            var header = new byte[12 + 16 * n];
            BinaryPrimitives.WriteUInt32BigEndian(header, 0x00010000);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)n);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)(16 * power));
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), (ushort)log);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), (ushort)(16 * n - 16 * power));
            file.Write(header);
            int offset = header.Length, index = 0, headAt = 0;
            foreach ((string tag, byte[] data) in tables)
            {
                int record = 12 + 16 * index++;
                System.Text.Encoding.ASCII.GetBytes(tag, 0, 4, header, record);
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(record + 4), Checksum(data));
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(record + 8), (uint)offset);
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(record + 12), (uint)data.Length);
                if (tag == "head") headAt = offset;
                file.Write(data);
                while (file.Length % 4 != 0) file.WriteByte(0);
                offset = (int)file.Length;
            }
            byte[] bytes = file.ToArray();
            header.CopyTo(bytes, 0);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(headAt + 8), unchecked(0xB1B0AFBA - Checksum(bytes)));
            return bytes;
        }

        private static uint Checksum(byte[] data)
        {
            uint sum = 0;
            for (int i = 0; i < data.Length; i += 4)
            {
                uint word = 0;
                for (int k = 0; k < 4; k++) word = (word << 8) | (i + k < data.Length ? data[i + k] : 0u);
                sum = unchecked(sum + word);
            }
            return sum;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CnnGen.WeightFiles
{
    /// <summary>Why the build could not use a weights file (each kind is its own diagnostic).</summary>
    internal enum WeightsError
    {
        None,
        /// <summary>No file at the path.</summary>
        Missing,
        /// <summary>Truncated, corrupt, unreadable, or not an .onnx or .safetensors file.</summary>
        Unreadable,
        /// <summary>An ONNX model whose tensors are stored in other files.</summary>
        ExternalData,
        /// <summary>A tensor of a type CnnGen does not read.</summary>
        DataType,
    }

    /// <summary>A tensor of a weights file as the description lists it.</summary>
    internal sealed record DescribedTensor(string Name, string DType, long[] Shape);

    /// <summary>
    /// The small text the build writes for each weights file a <c>[ConvNet(Weights = "...")]</c> names, passed to the
    /// analyzer and the generator as an additional file (they do no file I/O of their own): the declared path, the
    /// file read, the manifest resource it is embedded as, its size and SHA-256, any read error, and its tensors (names,
    /// dtypes, shapes). For ONNX it also carries the model's outline: the graph with every large tensor's values left
    /// out, so the analyzer matches the graph to the declaration with the loader's own code.
    /// </summary>
    internal sealed class WeightsDescription
    {
        /// <summary>The extension of description files.</summary>
        public const string Extension = ".cnnweights";

        private const string Magic = "cnngen-weights 1";

        /// <summary>The <c>Weights</c> string as the declaration writes it.</summary>
        public string Key { get; set; } = "";

        /// <summary>The full path of the file read.</summary>
        public string File { get; set; } = "";

        /// <summary>The manifest resource name the file is embedded as.</summary>
        public string Resource { get; set; } = "";

        /// <summary>"onnx" or "safetensors" (from the extension).</summary>
        public string Format { get; set; } = "";

        public long Size { get; set; }

        /// <summary>The file's last write time (UTC ticks): with the size, how the build knows it need not read the file again.</summary>
        public long Modified { get; set; }

        public string Sha256 { get; set; } = "";

        public WeightsError Error { get; set; }

        /// <summary>The read error's message (the loader's own words).</summary>
        public string Message { get; set; } = "";

        public List<DescribedTensor> Tensors { get; } = new();

        /// <summary>ONNX: the model's outline, base64 (a ModelProto whose large initializers carry no values).</summary>
        public string Outline { get; set; } = "";

        /// <summary>The manifest resource name and file stem of <paramref name="key"/>: stable across builds and machines.</summary>
        public static string ResourceName(string key) => "CnnGen.Weights." + Hash(key);

        /// <summary>64-bit FNV-1a of the UTF-16 code units, as 16 hex digits.</summary>
        public static string Hash(string text)
        {
            ulong h = 14695981039346656037UL;
            foreach (char c in text)
            {
                h ^= c;
                h *= 1099511628211UL;
            }
            return h.ToString("x16", CultureInfo.InvariantCulture);
        }

        /// <summary>The format a path's extension names: "onnx", "safetensors", or "" for neither.</summary>
        public static string FormatOf(string path) =>
            path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? "onnx"
            : path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? "safetensors"
            : "";

        public override string ToString()
        {
            var b = new StringBuilder();
            b.Append(Magic).Append('\n');
            Line(b, "key", Key);
            Line(b, "file", File);
            Line(b, "resource", Resource);
            Line(b, "format", Format);
            Line(b, "size", Size.ToString(CultureInfo.InvariantCulture));
            Line(b, "modified", Modified.ToString(CultureInfo.InvariantCulture));
            Line(b, "sha256", Sha256);
            if (Error != WeightsError.None) Line(b, "error", Error + " " + Message);
            foreach (DescribedTensor t in Tensors)
                Line(b, "tensor", t.Name + "\t" + t.DType + "\t" + string.Join(",", t.Shape));
            if (Outline.Length > 0) Line(b, "outline", Outline);
            return b.ToString();
        }

        private static void Line(StringBuilder b, string name, string value) =>
            b.Append(name).Append(": ").Append(value.Replace("\r", " ").Replace("\n", " ")).Append('\n');

        /// <summary>Reads a description; null when <paramref name="text"/> is not one (another additional file, or a damaged one).</summary>
        public static WeightsDescription? Parse(string text)
        {
            try
            {
                return ParseLines(text);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                return null;
            }
        }

        private static WeightsDescription? ParseLines(string text)
        {
            string[] lines = text.Split('\n');
            if (lines.Length == 0 || lines[0].TrimEnd('\r') != Magic) return null;
            var d = new WeightsDescription();
            for (int i = 1; i < lines.Length; i++)
            {
                string line = lines[i].TrimEnd('\r');
                int colon = line.IndexOf(": ", StringComparison.Ordinal);
                if (colon <= 0) continue;
                string name = line.Substring(0, colon), value = line.Substring(colon + 2);
                switch (name)
                {
                    case "key": d.Key = value; break;
                    case "file": d.File = value; break;
                    case "resource": d.Resource = value; break;
                    case "format": d.Format = value; break;
                    case "size": d.Size = long.Parse(value, CultureInfo.InvariantCulture); break;
                    case "modified": d.Modified = long.Parse(value, CultureInfo.InvariantCulture); break;
                    case "sha256": d.Sha256 = value; break;
                    case "outline": d.Outline = value; break;
                    case "error":
                    {
                        int space = value.IndexOf(' ');
                        string kind = space < 0 ? value : value.Substring(0, space);
                        d.Error = (WeightsError)Enum.Parse(typeof(WeightsError), kind);
                        d.Message = space < 0 ? "" : value.Substring(space + 1);
                        break;
                    }
                    case "tensor":
                    {
                        string[] parts = value.Split('\t');
                        if (parts.Length != 3) return null;
                        long[] shape = parts[2].Length == 0 ? new long[0]
                            : Array.ConvertAll(parts[2].Split(','), v => long.Parse(v, CultureInfo.InvariantCulture));
                        d.Tensors.Add(new DescribedTensor(parts[0], parts[1], shape));
                        break;
                    }
                }
            }
            return d;
        }
    }
}

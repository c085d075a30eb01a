using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using CnnGen.Loading;
using CnnGen.WeightFiles;

namespace CnnGen.Build
{
    /// <summary>Reads one weights file into its <see cref="WeightsDescription"/> with the runtime's readers.</summary>
    internal static class WeightsReader
    {
        /// <summary>Describes the file <paramref name="key"/> names (resolved to <paramref name="file"/>); read errors go into the description.</summary>
        public static WeightsDescription Describe(string key, string file)
        {
            var d = new WeightsDescription
            {
                Key = key,
                File = file,
                Resource = WeightsDescription.ResourceName(key),
                Format = WeightsDescription.FormatOf(key),
            };
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                d.Error = WeightsError.Missing;
                d.Message = Directory.Exists(file) ? $"'{file}' is a folder, not a file" : $"there is no file at '{file}'";
                return d;
            }
            d.Size = info.Length;
            d.Modified = info.LastWriteTimeUtc.Ticks;
            if (d.Format.Length == 0)
            {
                d.Error = WeightsError.Unreadable;
                d.Message = $"'{key}' is neither an .onnx model nor a .safetensors state_dict (CnnGen tells them by the extension)";
                return d;
            }
            if (info.Length > int.MaxValue)
            {
                d.Error = WeightsError.Unreadable;
                d.Message = $"'{file}' is {info.Length} bytes; weights files over 2 GB are not supported";
                return d;
            }
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                d.Error = WeightsError.Unreadable;
                d.Message = $"'{file}' cannot be read: {e.Message}";
                return d;
            }
            d.Sha256 = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
            try
            {
                if (d.Format == "onnx") DescribeOnnx(d, bytes);
                else DescribeSafetensors(d, bytes);
            }
            catch (InvalidDataException e)
            {
                d.Error = WeightFileErrors.ProblemOf(e) switch
                {
                    WeightProblem.ExternalData => WeightsError.ExternalData,
                    WeightProblem.DataType => WeightsError.DataType,
                    _ => WeightsError.Unreadable,
                };
                d.Message = e.Message;
            }
            if (d.Error != WeightsError.None)
            {
                d.Tensors.Clear();
                d.Outline = "";
            }
            return d;
        }

        private static void DescribeOnnx(WeightsDescription d, byte[] bytes)
        {
            OnnxModel model = OnnxModel.Read(bytes, d.File);
            foreach (OnnxTensor t in model.Initializers.Values)
            {
                if (!OnnxTensor.IsDecoded(t.DataType))
                    throw WeightFileErrors.Create(WeightProblem.DataType,
                        $"initializer '{t.Name}' {t.ShapeText} has data type {OnnxTensor.TypeName(t.DataType)}; CnnGen reads float weights (FLOAT, FLOAT16, BFLOAT16 or DOUBLE), not quantised or integer ones: export the model in float");
                d.Tensors.Add(new DescribedTensor(t.Name, OnnxTensor.TypeName(t.DataType), t.Dims));
            }
            d.Outline = Convert.ToBase64String(OnnxOutline.Write(bytes, d.File));
        }

        private static void DescribeSafetensors(WeightsDescription d, byte[] bytes)
        {
            Dictionary<string, Safetensors.Entry> entries = Safetensors.ReadHeader(bytes, d.File, out _);
            foreach (KeyValuePair<string, Safetensors.Entry> e in entries.OrderBy(e => e.Value.Begin))
                d.Tensors.Add(new DescribedTensor(e.Key, e.Value.DType, e.Value.Shape));
        }

        /// <summary>
        /// Whether the description at <paramref name="path"/> was made from <paramref name="file"/> as it is now (same path,
        /// size and write time), so the file need not be read again. Reads only the description's first lines.
        /// </summary>
        public static bool IsCurrent(string path, string key, string file)
        {
            if (!File.Exists(path)) return false;
            var head = new List<string>();
            using (var reader = new StreamReader(path))
            {
                for (int i = 0; i < 8 && reader.ReadLine() is { } line; i++) head.Add(line);
            }
            WeightsDescription? old = WeightsDescription.Parse(string.Join("\n", head));
            if (old is null || old.Key != key || old.File != file) return false;
            var info = new FileInfo(file);
            if (!info.Exists) return old.Error == WeightsError.Missing;
            return old.Error != WeightsError.Missing && old.Size == info.Length && old.Modified == info.LastWriteTimeUtc.Ticks;
        }
    }
}

using System.IO;

namespace CnnGen.Loading
{
    // Reading from files: the runtime and the build tasks. The analyzer links OnnxModel.cs without this part (analyzers do no file I/O).
    internal sealed partial class OnnxTensor
    {
        /// <summary>Reads a standalone TensorProto file (the .pb files of ONNX's test data).</summary>
        public static OnnxTensor ReadFile(string path) => Read(new ProtoReader(File.ReadAllBytes(path), path), "tensor");
    }

    internal sealed partial class OnnxModel
    {
        public static OnnxModel ReadFile(string path)
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new FileNotFoundException($"No ONNX model at '{path}'.", path);
            if (info.Length > int.MaxValue) throw new InvalidDataException($"'{path}' is {info.Length} bytes; ONNX files over 2 GB are not supported");
            return Read(File.ReadAllBytes(path), path);
        }
    }
}

using System;
using CnnGen.Loading;

namespace CnnGen
{
    /// <summary>Reads tensors saved as ONNX TensorProto files (the input_0.pb / output_0.pb of ONNX test data).</summary>
    public static class OnnxData
    {
        /// <summary>Reads a float tensor (FLOAT, FLOAT16, BFLOAT16 or DOUBLE) and its shape.</summary>
        /// <exception cref="System.IO.InvalidDataException">The file is not a float TensorProto or is corrupt.</exception>
        public static float[] ReadTensor(string path, out long[] shape)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            OnnxTensor t = OnnxTensor.ReadFile(path);
            shape = t.Dims;
            return t.RequireFloats("tensor file");
        }
    }
}

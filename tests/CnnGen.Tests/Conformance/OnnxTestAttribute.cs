using System;

namespace CnnGen.Tests.Conformance
{
    /// <summary>Names the ONNX conformance test (under libonnx-testdata's data/) that the network below reproduces.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    internal sealed class OnnxTestAttribute : Attribute
    {
        public OnnxTestAttribute(string path) => Path = path;

        public string Path { get; }

        /// <summary>
        /// False where the test's data has no CNN layout ([N, features] or a bare tensor) and the declaration reads it
        /// differently: the test then checks values, not the input's declared shape.
        /// </summary>
        public bool CheckInput { get; set; } = true;
    }
}

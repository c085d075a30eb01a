using System.IO;

namespace CnnGen.Loading
{
    /// <summary>What is wrong with a weights file that cannot be read (the build reports each kind as its own error).</summary>
    internal enum WeightProblem
    {
        /// <summary>Truncated, corrupt, or not the format its name says.</summary>
        Corrupt,

        /// <summary>An ONNX model whose tensors are stored in other files.</summary>
        ExternalData,

        /// <summary>A weight of a type CnnGen does not read (integer or quantised weights, ...).</summary>
        DataType,
    }

    /// <summary>
    /// Read errors of weights files that say which <see cref="WeightProblem"/> they are: still the
    /// <see cref="InvalidDataException"/> the loaders document (a sealed type), the kind kept in its Data.
    /// </summary>
    internal static class WeightFileErrors
    {
        private const string Key = "CnnGen.WeightProblem";

        public static InvalidDataException Create(WeightProblem problem, string message)
        {
            var e = new InvalidDataException(message);
            e.Data[Key] = problem;
            return e;
        }

        /// <summary>The kind of a read error; <see cref="WeightProblem.Corrupt"/> for any other.</summary>
        public static WeightProblem ProblemOf(InvalidDataException e) => e.Data[Key] is WeightProblem p ? p : WeightProblem.Corrupt;
    }
}

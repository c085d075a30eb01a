using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>Compiles network declarations with the generator at test time and loads them, for architectures no file declares.</summary>
    internal static class InMemoryNetworks
    {
        public static Assembly Compile(string source, System.Collections.Generic.IReadOnlyDictionary<string, string>? properties = null)
        {
            CSharpCompilation input = Compilations.Create(source)
                .WithOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
            Compilations.Driver(properties: properties).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
            using var stream = new MemoryStream();
            var result = output.Emit(stream);
            if (!result.Success)
                throw new InvalidOperationException("Generated code does not compile:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
            stream.Position = 0;
            return new AssemblyLoadContext("networks-" + Guid.NewGuid(), isCollectible: true).LoadFromStream(stream);
        }

        /// <summary>Creates a network of a generated type from its flat parameters (through IConvNet&lt;T&gt;.Create).</summary>
        public static IConvNet Create(Type network, float[] parameters) =>
            (IConvNet)typeof(InMemoryNetworks).GetMethod(nameof(CreateGeneric), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(network).Invoke(null, new object[] { parameters })!;

        public static NetworkSpec Spec(Type network) =>
            (NetworkSpec)typeof(InMemoryNetworks).GetMethod(nameof(SpecGeneric), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(network).Invoke(null, null)!;

        /// <summary>Loads a network of a generated type from a weight file (through IConvNet&lt;T&gt;.Load).</summary>
        public static IConvNet Load(Type network, string path) =>
            (IConvNet)typeof(InMemoryNetworks).GetMethod(nameof(LoadGeneric), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(network).Invoke(null, new object[] { path })!;

        private static IConvNet LoadGeneric<T>(string path) where T : IConvNet<T> => T.Load(path);

        private static IConvNet CreateGeneric<T>(float[] parameters) where T : IConvNet<T> => T.Create(parameters);

        private static NetworkSpec SpecGeneric<T>() where T : IConvNet<T> => T.Spec;
    }
}

using CnnGen.Shapes;

namespace CnnGen.Generators
{
    /// <summary>A type declaration to reopen: its keyword (class, struct, record, record struct) and its name with type parameters.</summary>
    internal sealed record TypeHeader(string Keyword, string Name);

    /// <summary>
    /// Everything the emitter needs, as ints, strings, enums and equatable arrays: never a symbol, syntax node or
    /// location, so that the incremental pipeline can compare it by value and cache the output.
    /// </summary>
    internal sealed record NetworkModel(
        string HintName,
        string? Namespace,
        EquatableArray<TypeHeader> ContainingTypes,
        TypeHeader Type,
        string DisplayName,
        string Errors, // the error ids when the network has errors (then Analysis is null), else empty
        NetworkAnalysis? Analysis)
    {
        /// <summary>The <c>Weights</c> path of [ConvNet] as written, or null: the network then has no <c>Default</c>.</summary>
        public string? Weights { get; init; }
    }

    /// <summary>
    /// What the generator takes from the build's description of a weights file: the path it describes, the manifest
    /// resource the file is embedded as, and whether the build could read it (else <c>Default</c> only throws, and the
    /// analyzer reports why).
    /// </summary>
    internal sealed record EmbeddedWeights(string Key, string Resource, bool Readable);
}

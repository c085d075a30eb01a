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
        NetworkAnalysis? Analysis);
}

using CnnGen.Declarations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Generators
{
    /// <summary>
    /// Emits the members of every type marked [ConvNet]: [ConvNet] -> <see cref="NetworkModel"/> (equatable) -> source.
    /// Diagnostics come from the analyzers; a network with errors gets only its member declarations.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking name of the parse step, for incremental caching tests.</summary>
        public const string ModelStep = "CnnGen.Model";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<NetworkModel> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    DeclarationReader.ConvNetMetadataName,
                    static (node, _) => node is TypeDeclarationSyntax,
                    static (ctx, ct) => ModelBuilder.Build((INamedTypeSymbol)ctx.TargetSymbol, ctx.TargetNode, ct))
                .Where(static m => m is not null)
                .Select(static (m, _) => m!)
                .WithTrackingName(ModelStep);

            context.RegisterSourceOutput(models, static (spc, model) => spc.AddSource(model.HintName, Emitter.Emit(model)));
        }
    }
}

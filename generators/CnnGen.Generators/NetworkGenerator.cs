using CnnGen.Declarations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Generators
{
    /// <summary>
    /// Emits the members of every type marked [ConvNet]: [ConvNet] -> <see cref="NetworkModel"/> (equatable) -> source.
    /// Diagnostics come from the analyzers; a network with errors (or a project with an invalid CnnGen_* property) gets
    /// only its member declarations.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking name of the parse step, for incremental caching tests.</summary>
        public const string ModelStep = "CnnGen.Model";

        /// <summary>Tracking name of the project options step.</summary>
        public const string OptionsStep = "CnnGen.Options";

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

            // The project's CnnGen_* MSBuild properties (build/CnnGen.props makes them visible to the compiler).
            IncrementalValueProvider<ProjectOptions> options = context.AnalyzerConfigOptionsProvider
                .Select(static (provider, _) => ProjectOptions.Read(provider.GlobalOptions))
                .WithTrackingName(OptionsStep);

            context.RegisterSourceOutput(models.Combine(options),
                static (spc, pair) => spc.AddSource(pair.Left.HintName, Emitter.Emit(pair.Left, pair.Right)));
        }
    }
}

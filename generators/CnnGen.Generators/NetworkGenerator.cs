using System.Linq;
using CnnGen.Declarations;
using CnnGen.Shapes;
using CnnGen.WeightFiles;
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

        /// <summary>Tracking name of the step that reads the build's descriptions of weights files.</summary>
        public const string WeightsStep = "CnnGen.Weights";

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

            // The build's descriptions of the weights files [ConvNet(Weights = ...)] names (build/CnnGen.targets writes them):
            // which resource holds each file. An edit to a source file leaves these steps cached.
            IncrementalValueProvider<EquatableArray<EmbeddedWeights>> weights = context.AdditionalTextsProvider
                .Where(static t => t.Path.EndsWith(WeightsDescription.Extension, System.StringComparison.OrdinalIgnoreCase))
                .Select(static (t, ct) => WeightsDescription.Parse(t.GetText(ct)?.ToString() ?? "") is { } d
                    ? new EmbeddedWeights(d.Key, d.Resource, d.Error == WeightsError.None) : null)
                .WithTrackingName(WeightsStep)
                .Where(static w => w is not null)
                .Collect()
                .Select(static (all, _) => new EquatableArray<EmbeddedWeights>(all.Select(w => w!).OrderBy(w => w.Key, System.StringComparer.Ordinal).ToArray()));

            context.RegisterSourceOutput(models.Combine(options).Combine(weights),
                static (spc, pair) => spc.AddSource(pair.Left.Left.HintName, Emitter.Emit(pair.Left.Left, pair.Left.Right, pair.Right)));
        }
    }
}

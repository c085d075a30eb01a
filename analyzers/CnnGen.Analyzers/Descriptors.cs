using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CnnGen.Shapes;
using Microsoft.CodeAnalysis;

namespace CnnGen.Analyzers
{
    /// <summary>
    /// The Roslyn descriptors of the shared <see cref="Rules"/>. Ids and severities are written out here as constants
    /// so that release tracking (AnalyzerReleases.*.md) can check them; a test checks that they agree with <see cref="Rules"/>.
    /// </summary>
    internal static class Descriptors
    {
        public static readonly DiagnosticDescriptor NotPartial = Create("CNN0001", DiagnosticSeverity.Error, Rules.NotPartial);

        public static readonly DiagnosticDescriptor MissingConvNet = Create("CNN0002", DiagnosticSeverity.Error, Rules.MissingConvNet);

        public static readonly DiagnosticDescriptor InvalidInputShape = Create("CNN0003", DiagnosticSeverity.Error, Rules.InvalidInputShape);

        public static readonly DiagnosticDescriptor NoLayers = Create("CNN0004", DiagnosticSeverity.Error, Rules.NoLayers);

        public static readonly DiagnosticDescriptor LayersSplit = Create("CNN0005", DiagnosticSeverity.Error, Rules.LayersSplit);

        public static readonly DiagnosticDescriptor InvalidValue = Create("CNN0006", DiagnosticSeverity.Error, Rules.InvalidValue);

        public static readonly DiagnosticDescriptor DimensionCount = Create("CNN0007", DiagnosticSeverity.Error, Rules.DimensionCount);

        public static readonly DiagnosticDescriptor ConflictingArguments = Create("CNN0008", DiagnosticSeverity.Error, Rules.ConflictingArguments);

        public static readonly DiagnosticDescriptor PaddingTooLarge = Create("CNN0009", DiagnosticSeverity.Error, Rules.PaddingTooLarge);

        public static readonly DiagnosticDescriptor OutputNotPositive = Create("CNN0010", DiagnosticSeverity.Error, Rules.OutputNotPositive);

        public static readonly DiagnosticDescriptor NotDivisible = Create("CNN0011", DiagnosticSeverity.Warning, Rules.NotDivisible);

        public static readonly DiagnosticDescriptor LayerDoesNotFit = Create("CNN0012", DiagnosticSeverity.Error, Rules.LayerDoesNotFit);

        public static readonly DiagnosticDescriptor ExpectMismatch = Create("CNN0013", DiagnosticSeverity.Error, Rules.ExpectMismatch);

        public static readonly DiagnosticDescriptor TooLarge = Create("CNN0014", DiagnosticSeverity.Error, Rules.TooLarge);

        public static readonly DiagnosticDescriptor StrideLargerThanKernel = Create("CNN0015", DiagnosticSeverity.Info, Rules.StrideLargerThanKernel);

        public static readonly DiagnosticDescriptor OverlappingPool = Create("CNN0016", DiagnosticSeverity.Info, Rules.OverlappingPool);

        public static readonly DiagnosticDescriptor BadLayerName = Create("CNN0017", DiagnosticSeverity.Error, Rules.BadLayerName);
        public static readonly DiagnosticDescriptor OnlyPaddingSkipped = Create("CNN0018", DiagnosticSeverity.Info, Rules.OnlyPaddingSkipped);
        public static readonly DiagnosticDescriptor NotInstantiable = Create("CNN0019", DiagnosticSeverity.Error, Rules.NotInstantiable);
        public static readonly DiagnosticDescriptor InvalidProjectOption = Create("CNN0020", DiagnosticSeverity.Error, Rules.InvalidProjectOption);
        public static readonly DiagnosticDescriptor ResidualMismatch = Create("CNN0021", DiagnosticSeverity.Error, Rules.ResidualMismatch);
        public static readonly DiagnosticDescriptor ConcatMismatch = Create("CNN0022", DiagnosticSeverity.Error, Rules.ConcatMismatch);
        public static readonly DiagnosticDescriptor GroupsNotDividing = Create("CNN0023", DiagnosticSeverity.Error, Rules.GroupsNotDividing);
        public static readonly DiagnosticDescriptor GateMismatch = Create("CNN0024", DiagnosticSeverity.Error, Rules.GateMismatch);
        public static readonly DiagnosticDescriptor BlockRecursion = Create("CNN0025", DiagnosticSeverity.Error, Rules.BlockRecursion);
        public static readonly DiagnosticDescriptor NotABlock = Create("CNN0026", DiagnosticSeverity.Error, Rules.NotABlock);
        public static readonly DiagnosticDescriptor BlockIsNetwork = Create("CNN0027", DiagnosticSeverity.Error, Rules.BlockIsNetwork);
        public static readonly DiagnosticDescriptor WeightsMismatch = Create("CNN0028", DiagnosticSeverity.Error, Rules.WeightsMismatch);
        public static readonly DiagnosticDescriptor WeightsMissing = Create("CNN0029", DiagnosticSeverity.Error, Rules.WeightsMissing);
        public static readonly DiagnosticDescriptor WeightsUnreadable = Create("CNN0030", DiagnosticSeverity.Error, Rules.WeightsUnreadable);
        public static readonly DiagnosticDescriptor WeightsExternalData = Create("CNN0031", DiagnosticSeverity.Error, Rules.WeightsExternalData);
        public static readonly DiagnosticDescriptor WeightsDataType = Create("CNN0032", DiagnosticSeverity.Error, Rules.WeightsDataType);
        public static readonly DiagnosticDescriptor WeightsNotRead = Create("CNN0033", DiagnosticSeverity.Error, Rules.WeightsNotRead);

        public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
            NotPartial,
            MissingConvNet,
            InvalidInputShape,
            NoLayers,
            LayersSplit,
            InvalidValue,
            DimensionCount,
            ConflictingArguments,
            PaddingTooLarge,
            OutputNotPositive,
            NotDivisible,
            LayerDoesNotFit,
            ExpectMismatch,
            TooLarge,
            StrideLargerThanKernel,
            OverlappingPool,
            BadLayerName,
            OnlyPaddingSkipped,
            NotInstantiable,
            InvalidProjectOption,
            ResidualMismatch,
            ConcatMismatch,
            GroupsNotDividing,
            GateMismatch,
            BlockRecursion,
            NotABlock,
            BlockIsNetwork,
            WeightsMismatch,
            WeightsMissing,
            WeightsUnreadable,
            WeightsExternalData,
            WeightsDataType,
            WeightsNotRead);

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id);

        public static DiagnosticDescriptor For(Rule rule) => ById[rule.Id];

        /// <summary>
        /// Title, message and description are resources (Strings.resx, English; Strings.zh-Hans.resx in the satellite
        /// assembly), shown in the IDE's or the compiler's UI culture.
        /// </summary>
        private static DiagnosticDescriptor Create(string id, DiagnosticSeverity severity, Rule rule) => new(
            id,
            Localizable(rule.TitleKey),
            Localizable(rule.MessageKey),
            Rules.Category,
            severity,
            isEnabledByDefault: true,
            description: Localizable(rule.DescriptionKey),
            helpLinkUri: rule.HelpLink);

        private static LocalizableResourceString Localizable(string key) => new(key, Strings.ResourceManager, typeof(Strings));
    }
}

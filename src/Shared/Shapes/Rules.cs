using System.Collections.Generic;

namespace CnnGen.Shapes
{
    internal enum RuleSeverity
    {
        Info,
        Warning,
        Error,
    }

    /// <summary>
    /// A diagnostic rule: its id and severity; its title, message format ({0}, {1}, ... filled by a finding) and
    /// description are resources "CNNxxxx_Title", "_Message" and "_Description" of <see cref="Strings"/>.
    /// </summary>
    internal sealed record Rule(string Id, RuleSeverity Severity)
    {
        public string HelpLink => Rules.HelpLinkBase + Id + ".md";

        public string TitleKey => Id + "_Title";
        public string MessageKey => Id + "_Message";
        public string DescriptionKey => Id + "_Description";

        /// <summary>The English title.</summary>
        public string Title => Strings.Get(TitleKey);

        /// <summary>The English message format.</summary>
        public string MessageFormat => Strings.Get(MessageKey);

        /// <summary>The English description.</summary>
        public string Description => Strings.Get(DescriptionKey);
    }

    /// <summary>Every rule CnnGen reports. Each has a page docs/diagnostics/CNNxxxx.md and a line in AnalyzerReleases.</summary>
    internal static class Rules
    {
        public const string Category = "CnnGen";
        public const string HelpLinkBase = "https://github.com/cnngen/cnngen/blob/main/docs/diagnostics/";

        public static readonly Rule NotPartial = new("CNN0001", RuleSeverity.Error);

        public static readonly Rule MissingConvNet = new("CNN0002", RuleSeverity.Error);

        public static readonly Rule InvalidInputShape = new("CNN0003", RuleSeverity.Error);

        public static readonly Rule NoLayers = new("CNN0004", RuleSeverity.Error);

        public static readonly Rule LayersSplit = new("CNN0005", RuleSeverity.Error);

        public static readonly Rule InvalidValue = new("CNN0006", RuleSeverity.Error);

        public static readonly Rule DimensionCount = new("CNN0007", RuleSeverity.Error);

        public static readonly Rule ConflictingArguments = new("CNN0008", RuleSeverity.Error);

        public static readonly Rule PaddingTooLarge = new("CNN0009", RuleSeverity.Error);

        public static readonly Rule OutputNotPositive = new("CNN0010", RuleSeverity.Error);

        public static readonly Rule NotDivisible = new("CNN0011", RuleSeverity.Warning);

        public static readonly Rule LayerDoesNotFit = new("CNN0012", RuleSeverity.Error);

        public static readonly Rule ExpectMismatch = new("CNN0013", RuleSeverity.Error);

        public static readonly Rule TooLarge = new("CNN0014", RuleSeverity.Error);

        public static readonly Rule StrideLargerThanKernel = new("CNN0015", RuleSeverity.Info);

        public static readonly Rule OverlappingPool = new("CNN0016", RuleSeverity.Info);

        public static readonly Rule BadLayerName = new("CNN0017", RuleSeverity.Error);

        public static readonly Rule OnlyPaddingSkipped = new("CNN0018", RuleSeverity.Info);

        public static readonly Rule NotInstantiable = new("CNN0019", RuleSeverity.Error);

        public static readonly Rule InvalidProjectOption = new("CNN0020", RuleSeverity.Error);

        public static readonly Rule ResidualMismatch = new("CNN0021", RuleSeverity.Error);

        public static readonly Rule ConcatMismatch = new("CNN0022", RuleSeverity.Error);

        public static readonly Rule GroupsNotDividing = new("CNN0023", RuleSeverity.Error);

        public static readonly Rule GateMismatch = new("CNN0024", RuleSeverity.Error);

        public static readonly Rule BlockRecursion = new("CNN0025", RuleSeverity.Error);

        public static readonly Rule NotABlock = new("CNN0026", RuleSeverity.Error);

        public static readonly Rule BlockIsNetwork = new("CNN0027", RuleSeverity.Error);

        public static readonly Rule WeightsMismatch = new("CNN0028", RuleSeverity.Error);

        public static readonly Rule WeightsMissing = new("CNN0029", RuleSeverity.Error);

        public static readonly Rule WeightsUnreadable = new("CNN0030", RuleSeverity.Error);

        public static readonly Rule WeightsExternalData = new("CNN0031", RuleSeverity.Error);

        public static readonly Rule WeightsDataType = new("CNN0032", RuleSeverity.Error);

        public static readonly Rule WeightsNotRead = new("CNN0033", RuleSeverity.Error);

        public static readonly IReadOnlyList<Rule> All = new[]
        {
            NotPartial, MissingConvNet, InvalidInputShape, NoLayers, LayersSplit, InvalidValue, DimensionCount,
            ConflictingArguments, PaddingTooLarge, OutputNotPositive, NotDivisible, LayerDoesNotFit, ExpectMismatch,
            TooLarge, StrideLargerThanKernel, OverlappingPool, BadLayerName, OnlyPaddingSkipped, NotInstantiable,
            InvalidProjectOption, ResidualMismatch, ConcatMismatch, GroupsNotDividing, GateMismatch, BlockRecursion, NotABlock,
            BlockIsNetwork, WeightsMismatch, WeightsMissing, WeightsUnreadable, WeightsExternalData, WeightsDataType, WeightsNotRead,
        };

        public static Rule ById(string id)
        {
            foreach (Rule r in All) if (r.Id == id) return r;
            throw new KeyNotFoundException(id);
        }

        /// <summary>The message of <paramref name="finding"/> in <paramref name="culture"/> (English when null).</summary>
        public static string Format(Finding finding, System.Globalization.CultureInfo? culture = null)
        {
            object[] args = new object[finding.Args.Count];
            for (int i = 0; i < args.Length; i++) args[i] = Strings.Render(finding.Args[i], culture);
            return string.Format(culture ?? System.Globalization.CultureInfo.InvariantCulture, Strings.Get(ById(finding.RuleId).MessageKey, culture), args);
        }
    }
}

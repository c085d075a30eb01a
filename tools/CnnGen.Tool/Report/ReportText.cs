using System.Globalization;

namespace CnnGen.Tool.Report
{
    /// <summary>A concept explained in the report: a title and a few sentences.</summary>
    internal sealed record Concept(string Title, string Body);

    /// <summary>
    /// Every word of the report in one language (the diagnostics' own texts come from the shared resources, in the
    /// same language). Each member is required, so a language missing a text does not compile: English
    /// (<see cref="English"/>) and Simplified Chinese (<see cref="Chinese"/>) are complete by construction.
    /// Placeholders {0}, {1}, ... are filled with numbers and names.
    /// </summary>
    internal sealed partial class ReportText
    {
        public required CultureInfo Culture { get; init; }
        public required bool IsChinese { get; init; }

        // ---- document --------------------------------------------------------------------------------
        public required string ReportTitle { get; init; }
        /// <summary>{0} page, {1} pages.</summary>
        public required string PageOf { get; init; }
        public required string NetworksHeading { get; init; }
        /// <summary>{0} the inputs.</summary>
        public required string SourceLine { get; init; }
        /// <summary>{0} the fonts.</summary>
        public required string FontsLine { get; init; }
        public required string Intro { get; init; }

        // ---- one network -----------------------------------------------------------------------------
        /// <summary>{0} name, {1} input, {2} output, {3} parameters, {4} MACs, {5} peak memory.</summary>
        public required string TitleLine { get; init; }
        /// <summary>{0} floats, {1} the size in bytes.</summary>
        public required string Floats { get; init; }
        public required string NotComputed { get; init; }
        /// <summary>{0} where the network is declared.</summary>
        public required string DeclaredAt { get; init; }
        public required string StatusClean { get; init; }
        /// <summary>{0} errors, {1} warnings, {2} messages.</summary>
        public required string StatusFindings { get; init; }
        public required string StatusErrors { get; init; }
        public required string CompilerErrors { get; init; }

        public required string ArchitectureHeading { get; init; }
        public required string DiagramCaption { get; init; }
        public required string TableHeading { get; init; }
        public required string[] TableHeaders { get; init; }
        public required string InputRow { get; init; }
        public required string WholeInput { get; init; }
        /// <summary>{0} the shortcut block.</summary>
        public required string ShortcutLabel { get; init; }
        /// <summary>{0} the branch number, {1} its block.</summary>
        public required string BranchLabel { get; init; }
        /// <summary>{0} the gate block.</summary>
        public required string GateLabel { get; init; }
        public required string TableTotals { get; init; }

        public required string LayersHeading { get; init; }
        public required string LayersIntro { get; init; }
        /// <summary>{0} input shape, {1} output shape.</summary>
        public required string InputOutput { get; init; }
        /// <summary>{0} the block use it is inside, {1} which part.</summary>
        public required string InsideUse { get; init; }
        public required string PaddingLabel { get; init; }
        public required string OutputLabel { get; init; }
        public required string ParametersLabel { get; init; }
        public required string FieldLabel { get; init; }
        public required string MacsLabel { get; init; }
        public required string KernelLabel { get; init; }
        public required string ChannelsLabel { get; init; }

        public required string ValidPadding { get; init; }
        /// <summary>{0} the total's expression, {1} P_start, {2} P_end.</summary>
        public required string SamePadding { get; init; }
        public required string Clamped { get; init; }
        /// <summary>{0} F, {1} F - 1.</summary>
        public required string FullPadding { get; init; }
        /// <summary>{0} P_start, {1} P_end.</summary>
        public required string ExplicitPadding { get; init; }
        /// <summary>{0} D, {1} F, {2} D * (F - 1) + 1.</summary>
        public required string Dilated { get; init; }
        /// <summary>{0} positions never read.</summary>
        public required string Floored { get; init; }
        public required string PoolNoWeights { get; init; }
        public required string NoWeights { get; init; }
        public required string NoBias { get; init; }
        public required string PoolNoMacs { get; init; }
        /// <summary>{0} product of the output positions, {1} K, {2} the window, {3} MACs.</summary>
        public required string ConvMacs { get; init; }
        /// <summary>{0} the flattened shape's product, {1} N.</summary>
        public required string FlattenLine { get; init; }
        /// <summary>{0} g(z), {1} number of values.</summary>
        public required string ElementWise { get; init; }
        /// <summary>{0} number of values.</summary>
        public required string SoftmaxLine { get; init; }
        /// <summary>{0} C, {1} average or maximum, {2} the positions' product, {3} their number.</summary>
        public required string GlobalPoolLine { get; init; }
        public required string Average { get; init; }
        public required string Maximum { get; init; }
        /// <summary>{0} epsilon.</summary>
        public required string BatchNormLine { get; init; }
        /// <summary>{0} the rate.</summary>
        public required string DropoutLine { get; init; }
        /// <summary>{0} s, {1} I, {2} O.</summary>
        public required string UpsampleLine { get; init; }
        public required string FieldSame { get; init; }
        public required string FieldWhole { get; init; }
        /// <summary>{0} the paths' fields, {1} the largest.</summary>
        public required string FieldMerge { get; init; }
        /// <summary>{0} the block, {1} the shortcut, {2} ", then ReLU" or "", {3} the block's shape, {4} the shortcut's, {5} output.</summary>
        public required string ResidualLine { get; init; }
        public required string ThenReLU { get; init; }
        /// <summary>{0} the channels added up, {1} the total, {2} the spatial size.</summary>
        public required string ConcatLine { get; init; }
        /// <summary>{0} gate, {1} x's shape, {2} the gate's shape, {3} broadcast or elementwise.</summary>
        public required string MultiplyLine { get; init; }
        public required string Broadcast { get; init; }
        public required string SameShape { get; init; }
        /// <summary>{0} the block.</summary>
        public required string SequentialLine { get; init; }
        /// <summary>{0} the parts' parameters added up.</summary>
        public required string SumOfParts { get; init; }
        public required string Identity { get; init; }
        /// <summary>{0} layer name.</summary>
        public required string StoppedHere { get; init; }

        public required string DiagnosticsHeading { get; init; }
        public required string DiagnosticsIntro { get; init; }
        public required string NoDiagnostics { get; init; }
        public required string Error { get; init; }
        public required string Warning { get; init; }
        public required string Info { get; init; }
        /// <summary>{0} where.</summary>
        public required string Where { get; init; }
        public required string Explanation { get; init; }
        public required string CodeFix { get; init; }
        /// <summary>{0} the help page.</summary>
        public required string HelpPage { get; init; }
        /// <summary>{0} the layer.</summary>
        public required string AtLayer { get; init; }
        public required string AtNetwork { get; init; }
        /// <summary>{0} the block.</summary>
        public required string InBlock { get; init; }

        public required string ConceptsHeading { get; init; }
        public required string ConceptsIntro { get; init; }
        /// <summary>{0} the function.</summary>
        public required string CurveCaption { get; init; }

        // ---- concepts ----------------------------------------------------------------------------------
        public required Concept Convolution { get; init; }
        public required Concept Hyperparameters { get; init; }
        public required Concept GroupedConvolution { get; init; }
        public required Concept DepthwiseConvolution { get; init; }
        public required Concept Padding { get; init; }
        public required Concept Divisibility { get; init; }
        public required Concept Pooling { get; init; }
        public required Concept GlobalPooling { get; init; }
        public required Concept Flatten { get; init; }
        public required Concept Dense { get; init; }
        public required Concept BatchNorm { get; init; }
        public required Concept Dropout { get; init; }
        public required Concept Upsample { get; init; }
        public required Concept ZeroPad { get; init; }
        public required Concept ReLU { get; init; }
        public required Concept LeakyReLU { get; init; }
        public required Concept ELU { get; init; }
        public required Concept Sigmoid { get; init; }
        public required Concept Tanh { get; init; }
        public required Concept Softmax { get; init; }
        public required Concept ReLU6 { get; init; }
        public required Concept HardSigmoid { get; init; }
        public required Concept HardSwish { get; init; }
        public required Concept SiLU { get; init; }
        public required Concept ReceptiveField { get; init; }
        public required Concept ParametersAndMacs { get; init; }
        public required Concept Memory { get; init; }
        public required Concept Blocks { get; init; }
        public required Concept Residual { get; init; }
        public required Concept Concat { get; init; }
        public required Concept Multiply { get; init; }

        public static ReportText For(CultureInfo culture) =>
            culture.Name.StartsWith("zh", System.StringComparison.OrdinalIgnoreCase) ? Chinese : English;

        public string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }
}

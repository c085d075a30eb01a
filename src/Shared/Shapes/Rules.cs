using System.Collections.Generic;

namespace CnnGen.Shapes
{
    internal enum RuleSeverity
    {
        Info,
        Warning,
        Error,
    }

    /// <summary>A diagnostic rule: its id, severity, title and message format ({0}, {1}, ... filled by a finding).</summary>
    internal sealed record Rule(string Id, RuleSeverity Severity, string Title, string MessageFormat, string Description)
    {
        public string HelpLink => Rules.HelpLinkBase + Id + ".md";
    }

    /// <summary>Every rule CnnGen reports. Each has a page docs/diagnostics/CNNxxxx.md and a line in AnalyzerReleases.</summary>
    internal static class Rules
    {
        public const string Category = "CnnGen";
        public const string HelpLinkBase = "https://github.com/cnngen/cnngen/blob/main/docs/diagnostics/";

        public static readonly Rule NotPartial = new(
            "CNN0001", RuleSeverity.Error,
            "A network type must be partial",
            "'{0}' must be declared partial so that CnnGen can add the network's members; add the 'partial' modifier{1}",
            "CnnGen adds members to the type that carries [ConvNet]; C# only allows that for partial types, and every containing type must be partial too.");

        public static readonly Rule MissingConvNet = new(
            "CNN0002", RuleSeverity.Error,
            "Layers without [ConvNet]",
            "'{0}' has layer attributes but no [ConvNet(...)] giving the input shape; add [ConvNet(C, H, W)] (channels first, e.g. [ConvNet(1, 28, 28)]) above the first layer",
            "The input shape is where every size of the network starts: without it no output size can be computed.");

        public static readonly Rule InvalidInputShape = new(
            "CNN0003", RuleSeverity.Error,
            "Invalid input shape",
            "[ConvNet] input shape {0} is invalid: {1}",
            "The input shape is channels first: (C, L) for 1D, (C, H, W) for 2D, (C, D, H, W) for 3D, every size at least 1.");

        public static readonly Rule NoLayers = new(
            "CNN0004", RuleSeverity.Error,
            "Network without layers",
            "The network '{0}' has no layers; add layer attributes after [ConvNet], e.g. [Conv(8, 3)], [ReLU], [Flatten], [Dense(10)]",
            "A network needs at least one layer.");

        public static readonly Rule LayersSplit = new(
            "CNN0005", RuleSeverity.Error,
            "Layers split over partial declarations",
            "Layers of '{0}' are declared on more than one partial declaration, so their order is ambiguous; move all layer attributes to the declaration that has the first one",
            "Layers run in the order they are written; attributes on different partial declarations have no defined order.");

        public static readonly Rule InvalidValue = new(
            "CNN0006", RuleSeverity.Error,
            "Invalid layer hyperparameter",
            "Layer '{0}' ({1}): {2} must be {3}, but is {4}",
            "Kernel sizes, strides, dilations, filters and units are at least 1; pads are at least 0; Epsilon is positive.");

        public static readonly Rule DimensionCount = new(
            "CNN0007", RuleSeverity.Error,
            "Wrong number of per-dimension values",
            "Layer '{0}' ({1}): {2} has {3} value(s), but the layer's input {4} has {5} spatial dimension(s) ({6}); give {7}",
            "Per-dimension values must match the spatial rank of the layer's input: one value for all dimensions (kernel), one per dimension, or all begins then all ends for Pads.");

        public static readonly Rule ConflictingArguments = new(
            "CNN0008", RuleSeverity.Error,
            "Conflicting arguments",
            "Layer '{0}' ({1}): both {2} and {3} are given; keep one",
            "Stride and Strides, Padding and Pads, Dilation and Dilations say the same thing two ways; give one of them.");

        public static readonly Rule PaddingTooLarge = new(
            "CNN0009", RuleSeverity.Error,
            "Padding as large as the kernel",
            "Layer '{0}' ({1}): the {2} padding along {3} is {4}, but the kernel there is only {5}; a window could then see nothing but padding. Use a padding of at most {6}",
            "Padding of F or more cells adds windows that read only zeros; ONNX requires pads smaller than the kernel.");

        public static readonly Rule OutputNotPositive = new(
            "CNN0010", RuleSeverity.Error,
            "Filter larger than the padded input",
            "Layer '{0}' ({1}): along {2}, O = (I - F + P_start + P_end) / S + 1 = ({3} - {4} + {5} + {6}) / {7} + 1 = {8}: the kernel {4} does not fit in the padded input {9}; use a kernel of at most {9}, Padding.Same, or more padding",
            "The output size must be at least 1: the (effective) filter size F may not exceed the padded input I + P_start + P_end.");

        public static readonly Rule NotDivisible = new(
            "CNN0011", RuleSeverity.Warning,
            "Output size is not an integer",
            "Layer '{0}' ({1}): along {2}, (I - F + P_start + P_end) / S = ({3} - {4} + {5} + {6}) / {7} = {8} / {7} is not an integer; the output is floored to O = {9} and {10} input position(s) at the end are never read. To make it exact: {11}",
            "When I - F + P_start + P_end is not divisible by S, frameworks floor the division and silently drop the last positions of the input.");

        public static readonly Rule LayerDoesNotFit = new(
            "CNN0012", RuleSeverity.Error,
            "Layer does not fit its input",
            "Layer '{0}' ({1}) cannot take the input {2}: {3}",
            "Convolutions and pooling need a feature map [C, spatial...]; Dense needs a vector (Flatten first); Softmax normalises a vector of scores.");

        public static readonly Rule ExpectMismatch = new(
            "CNN0013", RuleSeverity.Error,
            "Expected shape differs",
            "Layer '{0}' ({1}): Expect = {2}, but the output shape is {3}{4}",
            "Expect states the shape you expect after a layer; CnnGen infers the real one with the output size formula.");

        public static readonly Rule TooLarge = new(
            "CNN0014", RuleSeverity.Error,
            "Network too large",
            "{0}: {1} is {2}, more than {3} can hold; reduce the sizes",
            "Tensors and the flat parameter array are indexed by int, so element and parameter counts must stay at most 2,147,483,647.");

        public static readonly Rule StrideLargerThanKernel = new(
            "CNN0015", RuleSeverity.Info,
            "Convolution stride larger than its kernel",
            "Layer '{0}' (Conv): along {1} the stride S = {2} is larger than the kernel F = {3}, so {4} of every {2} input positions are never read; convolutions usually have S <= F",
            "With S > F the windows leave gaps: some input positions never reach the output.");

        public static readonly Rule OverlappingPool = new(
            "CNN0016", RuleSeverity.Info,
            "Overlapping pooling windows",
            "Layer '{0}' ({1}): along {2} the stride S = {3} is smaller than the window F = {4}, so neighbouring windows overlap by {5}; pooling usually uses S = F",
            "Pooling usually has non-overlapping windows (S = F), which is also the default stride.");

        public static readonly Rule BadLayerName = new(
            "CNN0017", RuleSeverity.Error,
            "Layer name empty or used twice",
            "Layer {0} ({1}): {2}",
            "Layer names identify weights in weight files and rows in the summary, so each must be non-empty and unique.");

        public static readonly Rule OnlyPaddingSkipped = new(
            "CNN0018", RuleSeverity.Info,
            "Output size floored, only padding skipped",
            "Layer '{0}' ({1}): along {2}, (I - F + P_start + P_end) / S = ({3} - {4} + {5} + {6}) / {7} = {8} / {7} is not an integer, but the {10} position(s) left after the last window are end padding: every input position is read and O = {9}",
            "The division is floored, but what is dropped is padding only, so no input is lost (common in stride-2 convolutions with padding 1).");

        public static readonly Rule NotInstantiable = new(
            "CNN0019", RuleSeverity.Error,
            "A network type must be instantiable",
            "'{0}' is {1}; a network is created from its weights (new {0}(parameters), {0}.Load(path)), so declare it as a non-static, non-abstract class or struct",
            "CnnGen adds a constructor taking the weights and instance Forward methods, which a static or abstract type cannot have.");

        public static readonly IReadOnlyList<Rule> All = new[]
        {
            NotPartial, MissingConvNet, InvalidInputShape, NoLayers, LayersSplit, InvalidValue, DimensionCount,
            ConflictingArguments, PaddingTooLarge, OutputNotPositive, NotDivisible, LayerDoesNotFit, ExpectMismatch,
            TooLarge, StrideLargerThanKernel, OverlappingPool, BadLayerName, OnlyPaddingSkipped, NotInstantiable,
        };

        public static Rule ById(string id)
        {
            foreach (Rule r in All) if (r.Id == id) return r;
            throw new KeyNotFoundException(id);
        }

        public static string Format(Finding finding)
        {
            object[] args = new object[finding.Args.Count];
            for (int i = 0; i < args.Length; i++) args[i] = finding.Args[i];
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, ById(finding.RuleId).MessageFormat, args);
        }
    }
}

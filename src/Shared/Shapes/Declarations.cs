namespace CnnGen.Shapes
{
    /// <summary>
    /// One layer attribute as the user wrote it, before any check. Values not given are null, so that
    /// "not given" and "given as the default" stay apart (both Stride and Strides given is an error).
    /// </summary>
    internal sealed record LayerDeclaration(LayerKind Kind)
    {
        public string? Name { get; init; }

        /// <summary>Conv filters (K) or Dense units (N_out).</summary>
        public int? Units { get; init; }

        /// <summary>The kernel sizes as given: one for every spatial dimension, or one per dimension.</summary>
        public EquatableArray<int> Kernel { get; init; } = EquatableArray<int>.Empty;

        public int? Stride { get; init; }

        public EquatableArray<int>? Strides { get; init; }

        /// <summary>The <c>Padding</c> argument as its integer value (a cast can make it out of range).</summary>
        public int? Padding { get; init; }

        /// <summary>Explicit pads in ONNX order: all begins, then all ends.</summary>
        public EquatableArray<int>? Pads { get; init; }

        public int? Dilation { get; init; }

        public EquatableArray<int>? Dilations { get; init; }

        public bool Bias { get; init; } = true;

        public bool CountIncludePad { get; init; }

        /// <summary>LeakyReLU slope (default 0.01) or ELU alpha (default 1).</summary>
        public float Alpha { get; init; }

        public float Epsilon { get; init; } = 1e-5f;

        public EquatableArray<int>? Expect { get; init; }
    }

    /// <summary>A network as declared: the <c>[ConvNet]</c> input shape (channels first) and the layers in order.</summary>
    internal sealed record NetworkDeclaration(string TypeName, EquatableArray<int> InputShape, EquatableArray<LayerDeclaration> Layers);

    /// <summary>Which part of an attribute a finding points at, so the IDE underlines the argument that causes it.</summary>
    internal enum ArgumentTarget
    {
        Attribute,
        Units,
        Kernel,
        Stride,
        Strides,
        Padding,
        Pads,
        Dilation,
        Dilations,
        Expect,
        Name,
        Epsilon,
        Alpha,
        InputShape,
    }

    /// <summary>
    /// A problem found in a declaration: a rule, where it is (a layer index, or -1 for the <c>[ConvNet]</c>
    /// attribute) and the values that fill the rule's message.
    /// </summary>
    internal sealed record Finding(string RuleId, int Layer, ArgumentTarget Target, EquatableArray<string> Args)
    {
        public const int NetworkAttribute = -1;

        /// <summary>
        /// What a code fix needs, as "Key=Value" entries: CNN0011 "Padding=Same", "Pads=..", "Stride=.."/"Strides=..";
        /// CNN0013 "Expect=.."; CNN0012 "InsertFlatten=true"; CNN0006/CNN0009 "Value=.." (and "Index=k" in an array);
        /// CNN0008 "Conflict=Stride,Strides" (the two named arguments, keep either).
        /// Empty when no single obvious fix exists.
        /// </summary>
        public EquatableArray<string> Fix { get; init; } = EquatableArray<string>.Empty;
    }
}

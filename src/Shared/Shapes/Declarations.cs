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

        /// <summary>Explicit pads in ONNX order: all begins, then all ends (ZeroPad: its pads, one value or 2d).</summary>
        public EquatableArray<int>? Pads { get; init; }

        public int? Dilation { get; init; }

        public EquatableArray<int>? Dilations { get; init; }

        public bool Bias { get; init; } = true;

        public bool CountIncludePad { get; init; }

        /// <summary>LeakyReLU slope (default 0.01), ELU alpha (default 1) or Dropout rate (default 0.5).</summary>
        public float Alpha { get; init; }

        public float Epsilon { get; init; } = 1e-5f;

        public EquatableArray<int>? Expect { get; init; }

        /// <summary>Conv groups (null: 1).</summary>
        public int? Groups { get; init; }

        /// <summary>DepthwiseConv channel multiplier (null: 1).</summary>
        public int? Multiplier { get; init; }

        /// <summary>Upsample factors: one for every spatial dimension, or one per dimension.</summary>
        public EquatableArray<int> Scale { get; init; } = EquatableArray<int>.Empty;

        /// <summary>ZeroPad: zero channels appended (null: 0).</summary>
        public int? Channels { get; init; }

        /// <summary>
        /// The block types a block use runs, as keys of <see cref="NetworkDeclaration.Blocks"/>: Sequential/Residual its
        /// block, Multiply its gate, Concat its branches (<see cref="BlockDeclaration.IdentityKey"/> for x itself).
        /// </summary>
        public EquatableArray<string> Blocks { get; init; } = EquatableArray<string>.Empty;

        /// <summary>Residual: the shortcut block's key (null: the identity).</summary>
        public string? Shortcut { get; init; }

        /// <summary>Residual: ReLU applied to the sum.</summary>
        public bool ReLU { get; init; }

        /// <summary>Sequential/Residual: how many times the block runs (null: 1).</summary>
        public int? Repeat { get; init; }
    }

    /// <summary>What a type named by <c>typeof(...)</c> in a block use turned out to be.</summary>
    internal enum BlockStatus
    {
        /// <summary>A <c>[Block]</c> type: its layers follow.</summary>
        Block,
        /// <summary>The built-in <c>Identity</c>: x unchanged.</summary>
        Identity,
        /// <summary>A <c>[ConvNet]</c> type (a network is not a block).</summary>
        Network,
        /// <summary>A type with no CnnGen attribute.</summary>
        NotBlock,
        /// <summary>A <c>[Block]</c> whose attributes the compiler could not bind (the compiler reports that).</summary>
        CompilerErrors,
    }

    /// <summary>A block type a network uses: its key (the type's metadata name), the name shown in messages, and its layers.</summary>
    internal sealed record BlockDeclaration(string Key, string DisplayName, BlockStatus Status, EquatableArray<LayerDeclaration> Layers)
    {
        public const string IdentityKey = "CnnGen.Identity";

        public static readonly BlockDeclaration Identity = new(IdentityKey, "Identity", BlockStatus.Identity, EquatableArray<LayerDeclaration>.Empty);
    }

    /// <summary>
    /// A network as declared: the <c>[ConvNet]</c> input shape (channels first), the layers in order, and every block
    /// type reachable from them (the blocks' own uses included).
    /// </summary>
    internal sealed record NetworkDeclaration(string TypeName, EquatableArray<int> InputShape, EquatableArray<LayerDeclaration> Layers)
    {
        public EquatableArray<BlockDeclaration> Blocks { get; init; } = EquatableArray<BlockDeclaration>.Empty;

        /// <summary>The block with <paramref name="key"/>, or null when the declaration does not hold it.</summary>
        public BlockDeclaration? Block(string key)
        {
            if (key == BlockDeclaration.IdentityKey) return BlockDeclaration.Identity;
            foreach (BlockDeclaration b in Blocks) if (b.Key == key) return b;
            return null;
        }
    }

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
        Groups,
        Multiplier,
        Scale,
        Channels,
        Repeat,
        Blocks,
        Shortcut,
    }

    /// <summary>
    /// A problem found in a declaration: a rule, where it is (a layer index, or -1 for the <c>[ConvNet]</c>
    /// attribute) and the values that fill the rule's message.
    /// </summary>
    internal sealed record Finding(string RuleId, int Layer, ArgumentTarget Target, EquatableArray<string> Args)
    {
        public const int NetworkAttribute = -1;

        /// <summary>
        /// The type whose attribute <see cref="Layer"/> indexes: null for the analysed network (or block) itself, else
        /// the key of a block type, where the finding is reported when that block is analysed. Problems that depend on
        /// the shape a block receives are reported at the network's use instead (Owner null, naming the block's layer).
        /// </summary>
        public string? Owner { get; init; }

        /// <summary>Which element of an array argument the finding is about (a Concat branch), or -1.</summary>
        public int Index { get; init; } = -1;

        /// <summary>
        /// What a code fix needs, as "Key=Value" entries: CNN0011 "Padding=Same", "Pads=..", "Stride=.."/"Strides=..";
        /// CNN0013 "Expect=.."; CNN0012 "InsertFlatten=true"; CNN0006/CNN0009 "Value=.." (and "Index=k" in an array);
        /// CNN0008 "Conflict=Stride,Strides" (the two named arguments, keep either); CNN0021 "Projection=K;strides"
        /// (a 1x1 convolution shortcut); CNN0023 "Value=g" (the nearest valid Groups).
        /// Empty when no single obvious fix exists.
        /// </summary>
        public EquatableArray<string> Fix { get; init; } = EquatableArray<string>.Empty;
    }
}

namespace CnnGen.Shapes
{
    /// <summary>The kinds of layer a network can declare, one per layer attribute.</summary>
    internal enum LayerKind
    {
        Conv,
        MaxPool,
        AvgPool,
        GlobalAvgPool,
        GlobalMaxPool,
        Flatten,
        Dense,
        BatchNorm,
        ReLU,
        LeakyReLU,
        ELU,
        Sigmoid,
        Tanh,
        Softmax,
        DepthwiseConv,
        Upsample,
        ZeroPad,
        Dropout,
        ReLU6,
        HardSigmoid,
        HardSwish,
        SiLU,

        // Uses of blocks: they hold layers of their own (see LayerKinds.IsBlockUse).
        Sequential,
        Residual,
        Concat,
        Multiply,
    }

    /// <summary>How padding is chosen; the first three values match the public <c>CnnGen.Padding</c> enum.</summary>
    internal enum PaddingMode
    {
        Valid = 0,
        Same = 1,
        Full = 2,
        Explicit = 3,
    }

    internal static class LayerKinds
    {
        /// <summary>Layers that slide a window over the spatial dimensions (kernel, stride, padding).</summary>
        public static bool IsSpatial(LayerKind kind) =>
            kind is LayerKind.Conv or LayerKind.DepthwiseConv or LayerKind.MaxPool or LayerKind.AvgPool;

        /// <summary>Convolutions: weights [K, C/G, F...], a bias per filter, dilation.</summary>
        public static bool IsConv(LayerKind kind) => kind is LayerKind.Conv or LayerKind.DepthwiseConv;

        public static bool IsPool(LayerKind kind) => kind == LayerKind.MaxPool || kind == LayerKind.AvgPool;

        public static bool IsGlobalPool(LayerKind kind) => kind == LayerKind.GlobalAvgPool || kind == LayerKind.GlobalMaxPool;

        /// <summary>Attributes that run the layers of block types (Sequential, Residual, Concat, Multiply).</summary>
        public static bool IsBlockUse(LayerKind kind) => kind >= LayerKind.Sequential;

        /// <summary>Element-wise functions of one value (activations; Dropout is the identity at inference).</summary>
        public static bool IsElementWise(LayerKind kind) => kind is LayerKind.ReLU or LayerKind.LeakyReLU or LayerKind.ELU
            or LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.ReLU6 or LayerKind.HardSigmoid or LayerKind.HardSwish
            or LayerKind.SiLU or LayerKind.Dropout;

        /// <summary>
        /// Prefix of the default layer name. Layers are named like the modules of a PyTorch Sequential that a
        /// user would write by hand: the prefix followed by a 1-based count of the layers with that prefix
        /// (conv1, conv2, pool1, fc1, bn1, relu1, ...).
        /// </summary>
        public static string DefaultNamePrefix(LayerKind kind) => kind switch
        {
            LayerKind.Conv or LayerKind.DepthwiseConv => "conv",
            LayerKind.MaxPool or LayerKind.AvgPool or LayerKind.GlobalAvgPool or LayerKind.GlobalMaxPool => "pool",
            LayerKind.Flatten => "flatten",
            LayerKind.Dense => "fc",
            LayerKind.BatchNorm => "bn",
            LayerKind.ReLU => "relu",
            LayerKind.LeakyReLU => "leakyrelu",
            LayerKind.ELU => "elu",
            LayerKind.Sigmoid => "sigmoid",
            LayerKind.Tanh => "tanh",
            LayerKind.Softmax => "softmax",
            LayerKind.Upsample => "upsample",
            LayerKind.ZeroPad => "pad",
            LayerKind.Dropout => "dropout",
            LayerKind.ReLU6 => "relu6",
            LayerKind.HardSigmoid => "hardsigmoid",
            LayerKind.HardSwish => "hardswish",
            LayerKind.SiLU => "silu",
            LayerKind.Sequential => "seq",
            LayerKind.Residual => "res",
            LayerKind.Concat => "concat",
            _ => "mul",
        };

        /// <summary>The attribute name as the user writes it, for messages.</summary>
        public static string AttributeName(LayerKind kind) => kind.ToString();
    }
}

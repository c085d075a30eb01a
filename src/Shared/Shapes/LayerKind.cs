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
        public static bool IsSpatial(LayerKind kind) =>
            kind == LayerKind.Conv || kind == LayerKind.MaxPool || kind == LayerKind.AvgPool;

        public static bool IsPool(LayerKind kind) => kind == LayerKind.MaxPool || kind == LayerKind.AvgPool;

        public static bool IsGlobalPool(LayerKind kind) => kind == LayerKind.GlobalAvgPool || kind == LayerKind.GlobalMaxPool;

        /// <summary>
        /// Prefix of the default layer name. Layers are named like the modules of a PyTorch Sequential that a
        /// user would write by hand: the prefix followed by a 1-based count of the layers with that prefix
        /// (conv1, conv2, pool1, fc1, bn1, relu1, ...).
        /// </summary>
        public static string DefaultNamePrefix(LayerKind kind) => kind switch
        {
            LayerKind.Conv => "conv",
            LayerKind.MaxPool or LayerKind.AvgPool or LayerKind.GlobalAvgPool or LayerKind.GlobalMaxPool => "pool",
            LayerKind.Flatten => "flatten",
            LayerKind.Dense => "fc",
            LayerKind.BatchNorm => "bn",
            LayerKind.ReLU => "relu",
            LayerKind.LeakyReLU => "leakyrelu",
            LayerKind.ELU => "elu",
            LayerKind.Sigmoid => "sigmoid",
            LayerKind.Tanh => "tanh",
            _ => "softmax",
        };

        /// <summary>The attribute name as the user writes it, for messages.</summary>
        public static string AttributeName(LayerKind kind) => kind switch
        {
            LayerKind.GlobalAvgPool => "GlobalAvgPool",
            LayerKind.GlobalMaxPool => "GlobalMaxPool",
            _ => kind.ToString(),
        };
    }
}

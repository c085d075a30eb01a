using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen
{
    /// <summary>
    /// One layer of a <see cref="NetworkSpec"/>, with every size resolved (kernel, strides, pads per dimension).
    /// Generated networks describe themselves with these; you can also build specs at run time.
    /// </summary>
    public sealed class LayerSpec
    {
        private LayerSpec(LayerDeclaration declaration, params BlockSpec?[] blocks)
        {
            Declaration = declaration;
            BlockSpecs = blocks;
        }

        /// <summary>The layer; for a block use, its block keys are filled in by <see cref="NetworkSpec"/>.</summary>
        internal LayerDeclaration Declaration { get; }

        /// <summary>A block use's blocks: Sequential/Residual the block (then the Residual's shortcut, null for the identity), Concat the branches, Multiply the gate.</summary>
        internal BlockSpec?[] BlockSpecs { get; }

        /// <summary>The layer's name (conv1, fc1, ...).</summary>
        public string Name => Declaration.Name ?? "";

        private static EquatableArray<int> A(int[] values) => new((int[])(values ?? throw new ArgumentNullException(nameof(values))).Clone());

        /// <summary>A convolution: <paramref name="pads"/> in ONNX order (all begins, then all ends).</summary>
        public static LayerSpec Conv(string name, int filters, int[] kernel, int[] strides, int[] pads, int[] dilations, bool bias) =>
            Conv(name, filters, kernel, strides, pads, dilations, bias, 1);

        /// <summary>A grouped convolution (weights [K, C/G, F...]): <paramref name="pads"/> in ONNX order.</summary>
        public static LayerSpec Conv(string name, int filters, int[] kernel, int[] strides, int[] pads, int[] dilations, bool bias, int groups) =>
            new(new LayerDeclaration(LayerKind.Conv) { Name = name, Units = filters, Kernel = A(kernel), Strides = A(strides), Pads = A(pads), Dilations = A(dilations), Bias = bias, Groups = groups });

        /// <summary>A depthwise convolution: <paramref name="multiplier"/> filters per input channel; <paramref name="pads"/> in ONNX order.</summary>
        public static LayerSpec DepthwiseConv(string name, int multiplier, int[] kernel, int[] strides, int[] pads, int[] dilations, bool bias) =>
            new(new LayerDeclaration(LayerKind.DepthwiseConv) { Name = name, Multiplier = multiplier, Kernel = A(kernel), Strides = A(strides), Pads = A(pads), Dilations = A(dilations), Bias = bias });

        /// <summary>Nearest-neighbour upsampling by an integer factor per spatial dimension.</summary>
        public static LayerSpec Upsample(string name, int[] scale) => new(new LayerDeclaration(LayerKind.Upsample) { Name = name, Scale = A(scale) });

        /// <summary>Zero padding: <paramref name="pads"/> all begins then all ends, and <paramref name="channels"/> zero channels appended.</summary>
        public static LayerSpec ZeroPad(string name, int[] pads, int channels) =>
            new(new LayerDeclaration(LayerKind.ZeroPad) { Name = name, Pads = A(pads), Channels = channels });

        /// <summary>The identity at inference.</summary>
        public static LayerSpec Dropout(string name, float rate) => new(new LayerDeclaration(LayerKind.Dropout) { Name = name, Alpha = rate });

        /// <summary>min(max(0, z), 6).</summary>
        public static LayerSpec ReLU6(string name) => Simple(LayerKind.ReLU6, name);

        /// <summary>max(0, min(1, z / 6 + 1/2)).</summary>
        public static LayerSpec HardSigmoid(string name) => Simple(LayerKind.HardSigmoid, name);

        /// <summary>z * hard_sigmoid(z).</summary>
        public static LayerSpec HardSwish(string name) => Simple(LayerKind.HardSwish, name);

        /// <summary>z * sigmoid(z).</summary>
        public static LayerSpec SiLU(string name) => Simple(LayerKind.SiLU, name);

        /// <summary>Runs <paramref name="block"/>'s layers here; their names are prefixed with <paramref name="name"/> and a dot.</summary>
        public static LayerSpec Sequential(string name, BlockSpec block) =>
            new(new LayerDeclaration(LayerKind.Sequential) { Name = name }, block ?? throw new ArgumentNullException(nameof(block)));

        /// <summary>y = block(x) + shortcut(x) (<paramref name="shortcut"/> null: x itself), with ReLU on the sum when <paramref name="relu"/>.</summary>
        public static LayerSpec Residual(string name, BlockSpec block, BlockSpec? shortcut, bool relu) =>
            new(new LayerDeclaration(LayerKind.Residual) { Name = name, ReLU = relu }, block ?? throw new ArgumentNullException(nameof(block)), shortcut);

        /// <summary>The branches' outputs joined along the channels; <see cref="BlockSpec.Identity"/> is x itself.</summary>
        public static LayerSpec Concat(string name, params BlockSpec[] branches) =>
            new(new LayerDeclaration(LayerKind.Concat) { Name = name }, (branches ?? throw new ArgumentNullException(nameof(branches))).Cast<BlockSpec?>().ToArray());

        /// <summary>y = x * gate(x).</summary>
        public static LayerSpec Multiply(string name, BlockSpec gate) =>
            new(new LayerDeclaration(LayerKind.Multiply) { Name = name }, gate ?? throw new ArgumentNullException(nameof(gate)));

        /// <summary>Max pooling; <paramref name="pads"/> in ONNX order.</summary>
        public static LayerSpec MaxPool(string name, int[] kernel, int[] strides, int[] pads) =>
            new(new LayerDeclaration(LayerKind.MaxPool) { Name = name, Kernel = A(kernel), Strides = A(strides), Pads = A(pads) });

        /// <summary>Average pooling; <paramref name="pads"/> in ONNX order.</summary>
        public static LayerSpec AvgPool(string name, int[] kernel, int[] strides, int[] pads, bool countIncludePad) =>
            new(new LayerDeclaration(LayerKind.AvgPool) { Name = name, Kernel = A(kernel), Strides = A(strides), Pads = A(pads), CountIncludePad = countIncludePad });

        /// <summary>Global average pooling to [C].</summary>
        public static LayerSpec GlobalAvgPool(string name) => Simple(LayerKind.GlobalAvgPool, name);

        /// <summary>Global max pooling to [C].</summary>
        public static LayerSpec GlobalMaxPool(string name) => Simple(LayerKind.GlobalMaxPool, name);

        /// <summary>Flatten to a vector.</summary>
        public static LayerSpec Flatten(string name) => Simple(LayerKind.Flatten, name);

        /// <summary>A fully connected layer.</summary>
        public static LayerSpec Dense(string name, int units, bool bias) =>
            new(new LayerDeclaration(LayerKind.Dense) { Name = name, Units = units, Bias = bias });

        /// <summary>Inference-time batch normalisation.</summary>
        public static LayerSpec BatchNorm(string name, float epsilon) =>
            new(new LayerDeclaration(LayerKind.BatchNorm) { Name = name, Epsilon = epsilon });

        /// <summary>max(0, z).</summary>
        public static LayerSpec ReLU(string name) => Simple(LayerKind.ReLU, name);

        /// <summary>max(alpha * z, z).</summary>
        public static LayerSpec LeakyReLU(string name, float alpha) => new(new LayerDeclaration(LayerKind.LeakyReLU) { Name = name, Alpha = alpha });

        /// <summary>z for z &gt; 0, alpha * (e^z - 1) otherwise.</summary>
        public static LayerSpec ELU(string name, float alpha) => new(new LayerDeclaration(LayerKind.ELU) { Name = name, Alpha = alpha });

        /// <summary>1 / (1 + e^-z).</summary>
        public static LayerSpec Sigmoid(string name) => Simple(LayerKind.Sigmoid, name);

        /// <summary>tanh(z).</summary>
        public static LayerSpec Tanh(string name) => Simple(LayerKind.Tanh, name);

        /// <summary>Softmax of a vector.</summary>
        public static LayerSpec Softmax(string name) => Simple(LayerKind.Softmax, name);

        private static LayerSpec Simple(LayerKind kind, string name) => new(new LayerDeclaration(kind) { Name = name });
    }

    /// <summary>
    /// The layers of a block where a <see cref="LayerSpec"/> uses it (a block used in two places with different shapes
    /// is two specs: each holds the values resolved for its use).
    /// </summary>
    public sealed class BlockSpec
    {
        /// <summary>A block named <paramref name="name"/> (its type's name, for messages) with <paramref name="layers"/>.</summary>
        public BlockSpec(string name, params LayerSpec[] layers)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Layers = (LayerSpec[])(layers ?? throw new ArgumentNullException(nameof(layers))).Clone();
        }

        /// <summary>x itself: a Concat branch or an explicit identity shortcut.</summary>
        public static BlockSpec Identity { get; } = new("Identity");

        /// <summary>The block's name.</summary>
        public string Name { get; }

        internal LayerSpec[] Layers { get; }
    }

    /// <summary>
    /// A network's layers with every shape resolved by the same shape engine the build uses. Weight loaders check
    /// files against it; every generated network exposes its own as <c>Spec</c>.
    /// </summary>
    public sealed class NetworkSpec
    {
        /// <summary>Checks the layers on the input shape (channels first); throws <see cref="ArgumentException"/> with every error.</summary>
        public NetworkSpec(string name, int[] inputShape, params LayerSpec[] layers)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            if (inputShape is null) throw new ArgumentNullException(nameof(inputShape));
            if (layers is null) throw new ArgumentNullException(nameof(layers));
            var blocks = new List<BlockDeclaration>();
            var keys = new Dictionary<BlockSpec, string>(ReferenceComparer.Instance);
            var declaration = new NetworkDeclaration(name, new EquatableArray<int>((int[])inputShape.Clone()), Declare(layers, blocks, keys))
            {
                Blocks = new EquatableArray<BlockDeclaration>(blocks.ToArray()),
            };
            Analysis = NetworkChecker.Analyze(declaration);
            var errors = Analysis.Findings.Where(f => Rules.ById(f.RuleId).Severity == RuleSeverity.Error).ToList();
            if (errors.Count > 0)
                throw new ArgumentException($"The network {name} is not valid: " + string.Join("; ", errors.Select(f => f.RuleId + ": " + Rules.Format(f))));
            Parameters = ParameterLayout.Of(Analysis);
        }

        /// <summary>The layers' declarations, each block spec given a key of its own (one per use).</summary>
        private static EquatableArray<LayerDeclaration> Declare(LayerSpec[] layers, List<BlockDeclaration> blocks, Dictionary<BlockSpec, string> keys)
        {
            string Key(BlockSpec block)
            {
                if (ReferenceEquals(block, BlockSpec.Identity)) return BlockDeclaration.IdentityKey;
                if (keys.TryGetValue(block, out string? key)) return key;
                key = block.Name + "#" + keys.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                keys[block] = key;
                blocks.Add(new BlockDeclaration(key, block.Name, BlockStatus.Block, Declare(block.Layers, blocks, keys)));
                return key;
            }
            var result = new LayerDeclaration[layers.Length];
            for (int i = 0; i < layers.Length; i++)
            {
                LayerSpec l = layers[i] ?? throw new ArgumentNullException(nameof(layers), "A layer spec is null.");
                LayerDeclaration d = l.Declaration;
                if (l.Declaration.Kind == LayerKind.Residual)
                {
                    d = d with
                    {
                        Blocks = new EquatableArray<string>(new[] { Key(l.BlockSpecs[0]!) }),
                        Shortcut = l.BlockSpecs[1] is { } shortcut ? Key(shortcut) : null,
                    };
                }
                else if (LayerKinds.IsBlockUse(d.Kind))
                {
                    d = d with { Blocks = new EquatableArray<string>(l.BlockSpecs.Select(b => Key(b ?? throw new ArgumentNullException(nameof(layers), "A block spec is null."))).ToArray()) };
                }
                result[i] = d;
            }
            return new EquatableArray<LayerDeclaration>(result);
        }

        private sealed class ReferenceComparer : IEqualityComparer<BlockSpec>
        {
            public static readonly ReferenceComparer Instance = new();

            public bool Equals(BlockSpec? x, BlockSpec? y) => ReferenceEquals(x, y);

            public int GetHashCode(BlockSpec obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }

        internal NetworkAnalysis Analysis { get; }

        internal IReadOnlyList<ParameterTensor> Parameters { get; }

        /// <summary>The network's name.</summary>
        public string Name { get; }

        /// <summary>The input shape of one sample, channels first.</summary>
        public int[] InputShape => Analysis.InputShape.ToArray();

        /// <summary>The output shape of one sample.</summary>
        public int[] OutputShape => Analysis.OutputShape.ToArray();

        /// <summary>Values in one input sample.</summary>
        public int InputLength => (int)ShapeMath.Product(Analysis.InputShape);

        /// <summary>Values in one output sample.</summary>
        public int OutputLength => (int)ShapeMath.Product(Analysis.OutputShape);

        /// <summary>The length of the flat parameter array.</summary>
        public long ParameterCount => Analysis.ParameterCount;

        /// <summary>The names of the parameter tensors in flat-array order, as PyTorch's state_dict keys (conv1.weight, conv1.bias, ...).</summary>
        public IReadOnlyList<string> ParameterNames => Parameters.Select(p => p.Key).ToArray();

        /// <summary>The shape of each parameter tensor, in the order of <see cref="ParameterNames"/> (PyTorch layouts: [K, C/G, F...], [N_out, N_in], [K]).</summary>
        public IReadOnlyList<int[]> ParameterShapes => Parameters.Select(p => p.Shape.ToArray()).ToArray();

        /// <summary>The layer table.</summary>
        public string Summary => SummaryWriter.Text(Name, Analysis);

        /// <inheritdoc/>
        public override string ToString() => Summary;
    }

    /// <summary>What every generated network is: a function from one input sample (or a batch) to its output.</summary>
    public interface IConvNet
    {
        /// <summary>Values in one input sample.</summary>
        int InputLength { get; }

        /// <summary>Values in one output sample.</summary>
        int OutputLength { get; }

        /// <summary>Runs one sample. Thread-safe; allocates nothing.</summary>
        void Forward(ReadOnlySpan<float> input, Span<float> output);

        /// <summary>Runs <paramref name="batchSize"/> samples stored back to back. Thread-safe; allocates nothing.</summary>
        void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize);
    }

    /// <summary>A generated network type: its spec, and the ways to create it.</summary>
    public interface IConvNet<TSelf> : IConvNet where TSelf : IConvNet<TSelf>
    {
        /// <summary>The network's layers with resolved shapes.</summary>
        static abstract NetworkSpec Spec { get; }

        /// <summary>Creates the network from its flat parameter array.</summary>
        static abstract TSelf Create(ReadOnlySpan<float> parameters);

        /// <summary>Loads the weights from an .onnx or .safetensors file, checked against the declaration.</summary>
        static abstract TSelf Load(string path);
    }
}

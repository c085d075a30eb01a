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
        private LayerSpec(LayerDeclaration declaration) => Declaration = declaration;

        internal LayerDeclaration Declaration { get; }

        /// <summary>The layer's name (conv1, fc1, ...).</summary>
        public string Name => Declaration.Name ?? "";

        private static EquatableArray<int> A(int[] values) => new((int[])(values ?? throw new ArgumentNullException(nameof(values))).Clone());

        /// <summary>A convolution: <paramref name="pads"/> in ONNX order (all begins, then all ends).</summary>
        public static LayerSpec Conv(string name, int filters, int[] kernel, int[] strides, int[] pads, int[] dilations, bool bias) =>
            new(new LayerDeclaration(LayerKind.Conv) { Name = name, Units = filters, Kernel = A(kernel), Strides = A(strides), Pads = A(pads), Dilations = A(dilations), Bias = bias });

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
            var declaration = new NetworkDeclaration(name, new EquatableArray<int>((int[])inputShape.Clone()),
                new EquatableArray<LayerDeclaration>(layers.Select(l => l.Declaration).ToArray()));
            Analysis = NetworkChecker.Analyze(declaration);
            var errors = Analysis.Findings.Where(f => Rules.ById(f.RuleId).Severity == RuleSeverity.Error).ToList();
            if (errors.Count > 0)
                throw new ArgumentException($"The network {name} is not valid: " + string.Join("; ", errors.Select(f => f.RuleId + ": " + Rules.Format(f))));
            Parameters = ParameterLayout.Of(Analysis);
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

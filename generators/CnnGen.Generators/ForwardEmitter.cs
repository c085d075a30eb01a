using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnGen.Declarations;
using CnnGen.Shapes;

namespace CnnGen.Generators
{
    /// <summary>
    /// Emits the network code: the spec, the weights, the constructors, Forward, and one method per layer with
    /// every size a constant. Plain loops that read like the formulas; each layer's shape is in a comment above it.
    /// </summary>
    internal sealed class ForwardEmitter
    {
        private readonly SourceWriter _w;
        private readonly NetworkModel _model;
        private readonly NetworkAnalysis _a;
        private readonly IReadOnlyList<ParameterTensor> _parameters;
        private readonly ProjectOptions _options;

        private ForwardEmitter(SourceWriter w, NetworkModel model, NetworkAnalysis a, ProjectOptions options)
        {
            _w = w;
            _model = model;
            _a = a;
            _options = options;
            _parameters = ParameterLayout.Of(a);
        }

        public static void Emit(SourceWriter w, NetworkModel model, NetworkAnalysis a, ProjectOptions options) => new ForwardEmitter(w, model, a, options).Emit();

        private string Self => _model.Type.Name;

        private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture) + "f";

        private static string Ints(IEnumerable<int> values) => "new[] { " + string.Join(", ", values) + " }";

        private void Emit()
        {
            EmitSpec();
            EmitFields();
            EmitConstructor();
            EmitForward();
        }

        private void EmitSpec()
        {
            _w.Line();
            _w.Line("/// <summary>The layers with every size resolved, as the weight loaders check them.</summary>");
            _w.Line("public static global::CnnGen.NetworkSpec Spec => s_spec;");
            _w.Line();
            _w.Line($"private static readonly global::CnnGen.NetworkSpec s_spec = new global::CnnGen.NetworkSpec({SourceWriter.Literal(_model.DisplayName)}, {Ints(_a.InputShape)},");
            for (int i = 0; i < _a.Layers.Count; i++)
            {
                LayerInfo l = _a.Layers[i];
                string n = SourceWriter.Literal(l.Name);
                string pads = Ints(l.PadsBegin.Concat(l.PadsEnd));
                string spec = l.Kind switch
                {
                    LayerKind.Conv => $"Conv({n}, {l.OutputShape[0]}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads}, {Ints(l.Dilations)}, {(l.Bias ? "true" : "false")})",
                    LayerKind.MaxPool => $"MaxPool({n}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads})",
                    LayerKind.AvgPool => $"AvgPool({n}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads}, {(l.CountIncludePad ? "true" : "false")})",
                    LayerKind.Dense => $"Dense({n}, {l.OutputShape[0]}, {(l.Bias ? "true" : "false")})",
                    LayerKind.BatchNorm => $"BatchNorm({n}, {F(l.Epsilon)})",
                    LayerKind.LeakyReLU or LayerKind.ELU => $"{l.Kind}({n}, {F(l.Alpha)})",
                    _ => $"{l.Kind}({n})",
                };
                _w.Line($"    global::CnnGen.LayerSpec.{spec}{(i == _a.Layers.Count - 1 ? ");" : ",")}");
            }
        }

        /// <summary>Whether layer <paramref name="i"/> is a ReLU fused into the Conv or Dense before it.</summary>
        private bool FusedRelu(int i) => i > 0 && _a.Layers[i].Kind == LayerKind.ReLU && _a.Layers[i - 1].Kind is LayerKind.Conv or LayerKind.Dense;

        private bool FollowedByRelu(LayerInfo l) => l.Index + 1 < _a.Layers.Count && FusedRelu(l.Index + 1);

        private void EmitFields()
        {
            _w.Line();
            _w.Line("private readonly global::CnnGen.Kernels.NetworkRunner _runner;");
        }

        private void EmitConstructor()
        {
            string ctorName = Emitter.CtorName(_model);
            _w.Line();
            _w.Line("/// <summary>");
            _w.Line("/// Creates the network from all its weights in one flat array, layer by layer, each layer's weight then bias, in");
            _w.Line("/// PyTorch/ONNX layouts (Conv [K, C, F...], Dense [N_out, N_in]; BatchNorm: scale, bias, mean, variance):");
            foreach (ParameterTensor t in _parameters)
                _w.Line($"/// {SourceWriter.Xml(t.Key)} [{string.Join(", ", t.Shape)}] at {t.Offset}.");
            _w.Line("/// The weights are repacked here into the layouts the kernels read.");
            _w.Line("/// </summary>");
            _w.Line("/// <exception cref=\"global::System.ArgumentException\">The array does not hold exactly <see cref=\"ParameterCount\"/> values.</exception>");
            _w.Open($"public {ctorName}(global::System.ReadOnlySpan<float> parameters)");
            _w.Line("if (parameters.Length != ParameterCount)");
            _w.Line($"    throw new global::System.ArgumentException($\"{_model.DisplayName.Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}")} needs {{ParameterCount}} parameters, but got {{parameters.Length}}.\", nameof(parameters));");
            _w.Line($"_runner = new global::CnnGen.Kernels.NetworkRunner({Ints(_a.InputShape)}, {Ints(_a.OutputShape)}, new global::CnnGen.Kernels.LayerPlan[]");
            _w.Line("{");
            foreach (LayerInfo l in _a.Layers)
            {
                string what = $"{l.Name}: {SummaryWriter.Describe(l)}{(SummaryWriter.PaddingText(l) is { Length: > 0 } pt ? ", " + pt : "")}: {ShapeMath.Format(l.InputShape)} -> {ShapeMath.Format(l.OutputShape)}";
                if (FusedRelu(l.Index)) { _w.Line($"    // {what} (fused into {_a.Layers[l.Index - 1].Name})"); continue; }
                if (l.Kind == LayerKind.Flatten && l.InputShape.Count == 1) { _w.Line($"    // {what} (nothing to do)"); continue; }
                _w.Line($"    // {what}");
                string shape = Ints(l.InputShape);
                string pads = Ints(l.PadsBegin.Concat(l.PadsEnd));
                ParameterTensor? weight = _parameters.FirstOrDefault(t => t.Layer == l.Index && t.Suffix == "weight");
                ParameterTensor? bias = _parameters.FirstOrDefault(t => t.Layer == l.Index && t.Suffix == "bias");
                string W = weight is null ? "" : $"parameters.Slice({weight.Offset}, {weight.Length})";
                string B = bias is null ? "default" : $"parameters.Slice({bias.Offset}, {bias.Length})";
                string relu = FollowedByRelu(l) ? "true" : "false";
                string create = l.Kind switch
                {
                    LayerKind.Conv => $"new global::CnnGen.Kernels.ConvPlan({shape}, {l.OutputShape[0]}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads}, {Ints(l.Dilations)}, {W}, {B}, relu: {relu}{(_options.Winograd ? "" : ", winograd: false")})",
                    LayerKind.MaxPool or LayerKind.AvgPool => $"new global::CnnGen.Kernels.PoolPlan({shape}, max: {(l.Kind == LayerKind.MaxPool ? "true" : "false")}, {Ints(l.Kernel)}, {Ints(l.Strides)}, {pads}, countIncludePad: {(l.CountIncludePad ? "true" : "false")})",
                    LayerKind.GlobalAvgPool or LayerKind.GlobalMaxPool => $"new global::CnnGen.Kernels.GlobalPoolPlan({shape}, max: {(l.Kind == LayerKind.GlobalMaxPool ? "true" : "false")})",
                    LayerKind.Dense => $"new global::CnnGen.Kernels.DensePlan({l.InputLength}, {l.OutputShape[0]}, {W}, {B}, relu: {relu})",
                    LayerKind.BatchNorm => $"new global::CnnGen.Kernels.BatchNormPlan({shape}, parameters.Slice({weight!.Offset}, {4 * l.InputShape[0]}), {F(l.Epsilon)})",
                    LayerKind.Softmax => $"new global::CnnGen.Kernels.SoftmaxPlan({l.InputLength})",
                    LayerKind.Flatten => $"new global::CnnGen.Kernels.FlattenPlan({shape})",
                    _ => $"new global::CnnGen.Kernels.ActivationPlan(global::CnnGen.Kernels.Activation.{l.Kind}, {F(l.Alpha)}, {shape})",
                };
                _w.Line($"    {create},");
            }
            _w.Line(_options.MaxThreads > 0 ? $"}}, maxThreads: {_options.MaxThreads}); // {ProjectOptions.MaxThreadsProperty}" : "});");
            _w.Close();
            _w.Line();
            _w.Line("/// <summary>Creates the network from its flat parameter array (see the constructor).</summary>");
            _w.Line($"public static {Self} Create(global::System.ReadOnlySpan<float> parameters) => new {Self}(parameters);");
            _w.Line();
            _w.Line("/// <summary>Loads the weights from an .onnx model or a PyTorch .safetensors state_dict, checked against the declaration.</summary>");
            _w.Line("/// <exception cref=\"global::System.IO.InvalidDataException\">The file is corrupt or does not match the declared layers.</exception>");
            _w.Line($"public static {Self} Load(string path) => new {Self}(global::CnnGen.WeightLoader.Load(path, s_spec));");
            _w.Line();
            _w.Line("int global::CnnGen.IConvNet.InputLength => InputLength;");
            _w.Line();
            _w.Line("int global::CnnGen.IConvNet.OutputLength => OutputLength;");
        }

        private string ThreadCap => _options.MaxThreads > 0
            ? $",\n/// and never more than {_options.MaxThreads} (the project's {ProjectOptions.MaxThreadsProperty})"
            : "";

        private void EmitForward()
        {
            string name = _model.DisplayName.Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}");
            string input = ShapeMath.Format(_a.InputShape), output = ShapeMath.Format(_a.OutputShape);
            _w.Block($$"""

                /// <summary>Runs one sample: <paramref name="input"/> holds {{input}} values, <paramref name="output"/> receives {{output}}.</summary>
                /// <remarks>Thread-safe (many threads may share one instance) and allocation-free.</remarks>
                /// <exception cref="global::System.ArgumentException">A span does not have the length of one sample.</exception>
                public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output) => Forward(input, output, 1);

                /// <summary>Runs <paramref name="batchSize"/> samples stored back to back (N, then the {{input}} values of each).</summary>
                /// <remarks>
                /// Thread-safe (many threads may share one instance) and allocation-free. Samples are split over
                /// <see cref="global::CnnGen.CnnGenRuntime.MaxThreads"/> threads (1 turns threading off){{ThreadCap}}.
                /// </remarks>
                /// <exception cref="global::System.ArgumentException">A span does not hold <paramref name="batchSize"/> samples.</exception>
                public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, int batchSize)
                {
                    if (batchSize < 1)
                        throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
                    if (input.Length != (long)InputLength * batchSize)
                        throw new global::System.ArgumentException($"{{name}}.Forward: the input has {input.Length} values, but {batchSize} sample(s) of {{input}} need {(long)InputLength * batchSize}.", nameof(input));
                    if (output.Length != (long)OutputLength * batchSize)
                        throw new global::System.ArgumentException($"{{name}}.Forward: the output has {output.Length} values, but {batchSize} sample(s) of {{output}} need {(long)OutputLength * batchSize}.", nameof(output));
                    _runner.Run(input, output, batchSize);
                }
                """);
        }

    }
}

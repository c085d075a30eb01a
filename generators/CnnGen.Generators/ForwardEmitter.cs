using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
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

        private ForwardEmitter(SourceWriter w, NetworkModel model, NetworkAnalysis a)
        {
            _w = w;
            _model = model;
            _a = a;
            _parameters = ParameterLayout.Of(a);
        }

        public static void Emit(SourceWriter w, NetworkModel model, NetworkAnalysis a) => new ForwardEmitter(w, model, a).Emit();

        private string Self => _model.Type.Name;

        private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture) + "f";

        private static string Ints(IEnumerable<int> values) => "new[] { " + string.Join(", ", values) + " }";

        private static string MethodName(LayerInfo l)
        {
            var sb = new StringBuilder("Layer").Append((l.Index + 1).ToString("00", CultureInfo.InvariantCulture)).Append('_');
            foreach (char c in l.Name) sb.Append(char.IsLetterOrDigit(c) && c < 128 ? c : '_');
            return sb.ToString();
        }

        private static string Field(ParameterTensor t) => $"_p{t.Layer + 1}_{t.Suffix}";

        private static bool InPlace(LayerKind k) => k is LayerKind.ReLU or LayerKind.LeakyReLU or LayerKind.ELU or LayerKind.Sigmoid
            or LayerKind.Tanh or LayerKind.Softmax or LayerKind.BatchNorm;

        private int BufferLength => _a.Layers.Select(l => l.OutputLength).DefaultIfEmpty(1).Max();

        private void Emit()
        {
            EmitSpec();
            EmitFields();
            EmitConstructor();
            EmitForward();
            EmitSample();
            foreach (LayerInfo l in _a.Layers.Where(l => l.Kind != LayerKind.Flatten)) EmitLayer(l);
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

        private void EmitFields()
        {
            _w.Line();
            foreach (ParameterTensor t in _parameters)
            {
                if (_a.Layers[t.Layer].Kind == LayerKind.BatchNorm) continue;
                _w.Line($"private readonly float[] {Field(t)}; // {t.Key} [{string.Join(", ", t.Shape)}]");
            }
            foreach (LayerInfo l in _a.Layers.Where(l => l.Kind == LayerKind.BatchNorm))
            {
                _w.Line($"private readonly float[] _p{l.Index + 1}_scale; // {l.Name}: weight / sqrt(running_var + eps)");
                _w.Line($"private readonly float[] _p{l.Index + 1}_shift; // {l.Name}: bias - running_mean * scale");
            }
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
            _w.Line("/// </summary>");
            _w.Line("/// <exception cref=\"global::System.ArgumentException\">The array does not hold exactly <see cref=\"ParameterCount\"/> values.</exception>");
            _w.Open($"public {ctorName}(global::System.ReadOnlySpan<float> parameters)");
            _w.Line("if (parameters.Length != ParameterCount)");
            _w.Line($"    throw new global::System.ArgumentException($\"{SourceWriter.Xml(_model.DisplayName).Replace("&lt;", "<").Replace("&gt;", ">").Replace("\"", "\\\"")} needs {{ParameterCount}} parameters, but got {{parameters.Length}}.\", nameof(parameters));");
            foreach (ParameterTensor t in _parameters)
            {
                if (_a.Layers[t.Layer].Kind == LayerKind.BatchNorm) continue;
                _w.Line($"{Field(t)} = parameters.Slice({t.Offset}, {t.Length}).ToArray();");
            }
            foreach (LayerInfo l in _a.Layers.Where(l => l.Kind == LayerKind.BatchNorm))
            {
                int c = l.InputShape[0];
                int offset = _parameters.First(p => p.Layer == l.Index).Offset;
                string p = $"_p{l.Index + 1}";
                _w.Line($"{p}_scale = new float[{c}];");
                _w.Line($"{p}_shift = new float[{c}];");
                _w.Open($"for (int c = 0; c < {c}; c++)");
                _w.Line($"float scale = parameters[{offset} + c] / global::System.MathF.Sqrt(parameters[{offset + 3 * c} + c] + {F(l.Epsilon)});");
                _w.Line($"{p}_scale[c] = scale;");
                _w.Line($"{p}_shift[c] = parameters[{offset + c} + c] - parameters[{offset + 2 * c} + c] * scale;");
                _w.Close();
            }
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
                /// <remarks>Thread-safe (many threads may share one instance) and allocation-free.</remarks>
                /// <exception cref="global::System.ArgumentException">A span does not hold <paramref name="batchSize"/> samples.</exception>
                public void Forward(global::System.ReadOnlySpan<float> input, global::System.Span<float> output, int batchSize)
                {
                    if (batchSize < 1)
                        throw new global::System.ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
                    if (input.Length != (long)InputLength * batchSize)
                        throw new global::System.ArgumentException($"{{name}}.Forward: the input has {input.Length} values, but {batchSize} sample(s) of {{input}} need {(long)InputLength * batchSize}.", nameof(input));
                    if (output.Length != (long)OutputLength * batchSize)
                        throw new global::System.ArgumentException($"{{name}}.Forward: the output has {output.Length} values, but {batchSize} sample(s) of {{output}} need {(long)OutputLength * batchSize}.", nameof(output));
                    float[] a = global::System.Buffers.ArrayPool<float>.Shared.Rent({{BufferLength}});
                    float[] b = global::System.Buffers.ArrayPool<float>.Shared.Rent({{BufferLength}});
                    try
                    {
                        for (int n = 0; n < batchSize; n++)
                            Sample(input.Slice(n * InputLength, InputLength), output.Slice(n * OutputLength, OutputLength), a, b);
                    }
                    finally
                    {
                        global::System.Buffers.ArrayPool<float>.Shared.Return(a);
                        global::System.Buffers.ArrayPool<float>.Shared.Return(b);
                    }
                }
                """);
        }

        private void EmitSample()
        {
            _w.Line();
            _w.Open("private void Sample(global::System.ReadOnlySpan<float> x, global::System.Span<float> y, float[] a, float[] b)");
            string src = "x";
            int last = _a.Layers.Count - 1;
            foreach (LayerInfo l in _a.Layers)
            {
                bool isLast = l.Index == last;
                string Span(string buffer, int length) => buffer == "y" || buffer == "x" ? buffer : $"new global::System.Span<float>({buffer}, 0, {length})";
                _w.Line($"// {l.Name}: {SummaryWriter.Describe(l)}{(SummaryWriter.PaddingText(l) is { Length: > 0 } p ? ", " + p : "")}: {ShapeMath.Format(l.InputShape)} -> {ShapeMath.Format(l.OutputShape)}");
                if (l.Kind == LayerKind.Flatten)
                {
                    if (isLast) _w.Line($"{Span(src, l.InputLength)}.CopyTo(y);");
                    continue; // C-order flattening changes no value
                }
                string dst = isLast ? "y" : InPlace(l.Kind) && src != "x" ? src : src == "a" ? "b" : "a";
                _w.Line($"{MethodName(l)}({Span(src, l.InputLength)}, {Span(dst, l.OutputLength)});");
                src = dst;
            }
            _w.Close();
        }

        private void EmitLayer(LayerInfo l)
        {
            _w.Line();
            _w.Line($"/// <summary>{SourceWriter.Xml(l.Name)}: {SourceWriter.Xml(SummaryWriter.Describe(l))}, {ShapeMath.Format(l.InputShape)} -> {ShapeMath.Format(l.OutputShape)}.</summary>");
            bool usesWeights = l.Kind is LayerKind.Conv or LayerKind.Dense or LayerKind.BatchNorm;
            _w.Open($"private {(usesWeights ? "" : "static ")}void {MethodName(l)}(global::System.ReadOnlySpan<float> x, global::System.Span<float> y)");
            switch (l.Kind)
            {
                case LayerKind.Conv: EmitConv(l); break;
                case LayerKind.MaxPool:
                case LayerKind.AvgPool: EmitPool(l); break;
                case LayerKind.GlobalAvgPool:
                case LayerKind.GlobalMaxPool: EmitGlobalPool(l); break;
                case LayerKind.Dense: EmitDense(l); break;
                case LayerKind.BatchNorm: EmitBatchNorm(l); break;
                case LayerKind.Softmax: EmitSoftmax(l); break;
                default: EmitActivation(l); break;
            }
            _w.Close();
        }

        /// <summary>Row-major index of variables over dimensions: ((v0 * d1 + v1) * d2 + v2).</summary>
        private static string Index(IReadOnlyList<string> vars, IReadOnlyList<int> dims)
        {
            string acc = vars[0];
            for (int k = 1; k < vars.Count; k++) acc = (k == 1 ? acc : "(" + acc + ")") + " * " + dims[k] + " + " + vars[k];
            return acc;
        }

        /// <summary>The input position a window tap reads: o * S - P_start + f * D, without the terms that are 0 or x1.</summary>
        private static string InputPosition(int j, int stride, int pad, int dilation)
        {
            string o = stride == 1 ? $"o{j}" : $"o{j} * {stride}";
            string f = dilation == 1 ? $"f{j}" : $"f{j} * {dilation}";
            return pad == 0 ? $"{o} + {f}" : $"{o} - {pad} + {f}";
        }

        private void EmitConv(LayerInfo l)
        {
            int d = l.Kernel.Count, k = l.OutputShape[0], c = l.InputShape[0];
            string w = $"_p{l.Index + 1}_weight";
            _w.Line($"float[] w = {w};");
            _w.Open($"for (int k = 0; k < {k}; k++)");
            _w.Line(l.Bias ? $"float bias = _p{l.Index + 1}_bias[k];" : "const float bias = 0f;");
            for (int j = 0; j < d; j++) _w.Line($"for (int o{j} = 0; o{j} < {l.OutputShape[j + 1]}; o{j}++)");
            _w.Open("");
            _w.Line("float sum = bias;");
            _w.Open($"for (int c = 0; c < {c}; c++)");
            for (int j = 0; j < d; j++)
            {
                _w.Open($"for (int f{j} = 0; f{j} < {l.Kernel[j]}; f{j}++)");
                _w.Line($"int i{j} = {InputPosition(j, l.Strides[j], l.PadsBegin[j], l.Dilations[j])};");
                _w.Line($"if ((uint)i{j} >= {l.InputShape[j + 1]}u) continue;");
            }
            var inVars = new[] { "c" }.Concat(Enumerable.Range(0, d).Select(j => "i" + j)).ToList();
            var wVars = new[] { "k", "c" }.Concat(Enumerable.Range(0, d).Select(j => "f" + j)).ToList();
            var wDims = new[] { k, c }.Concat(l.Kernel).ToList();
            _w.Line($"sum += x[{Index(inVars, l.InputShape)}] * w[{Index(wVars, wDims)}];");
            for (int j = 0; j < d; j++) _w.Close();
            _w.Close();
            var outVars = new[] { "k" }.Concat(Enumerable.Range(0, d).Select(j => "o" + j)).ToList();
            _w.Line($"y[{Index(outVars, l.OutputShape)}] = sum;");
            _w.Close();
            _w.Close();
        }

        private void EmitPool(LayerInfo l)
        {
            int d = l.Kernel.Count;
            bool max = l.Kind == LayerKind.MaxPool;
            int window = (int)ShapeMath.Product(l.Kernel);
            _w.Open($"for (int c = 0; c < {l.InputShape[0]}; c++)");
            for (int j = 0; j < d; j++) _w.Line($"for (int o{j} = 0; o{j} < {l.OutputShape[j + 1]}; o{j}++)");
            _w.Open("");
            _w.Line(max ? "float best = float.NegativeInfinity; // padded cells never win" : "float sum = 0f;");
            if (!max && !l.CountIncludePad) _w.Line("int count = 0; // padded cells are not counted");
            for (int j = 0; j < d; j++)
            {
                _w.Open($"for (int f{j} = 0; f{j} < {l.Kernel[j]}; f{j}++)");
                _w.Line($"int i{j} = {InputPosition(j, l.Strides[j], l.PadsBegin[j], 1)};");
                _w.Line($"if ((uint)i{j} >= {l.InputShape[j + 1]}u) continue;");
            }
            var inVars = new[] { "c" }.Concat(Enumerable.Range(0, d).Select(j => "i" + j)).ToList();
            _w.Line($"float v = x[{Index(inVars, l.InputShape)}];");
            if (max) _w.Line("if (v > best || float.IsNaN(v)) best = v;");
            else _w.Line(l.CountIncludePad ? "sum += v;" : "sum += v; count++;");
            for (int j = 0; j < d; j++) _w.Close();
            var outVars = new[] { "c" }.Concat(Enumerable.Range(0, d).Select(j => "o" + j)).ToList();
            string value = max ? "best" : l.CountIncludePad ? $"sum / {window}f" : "sum / count";
            _w.Line($"y[{Index(outVars, l.OutputShape)}] = {value};");
            _w.Close();
            _w.Close();
        }

        private void EmitGlobalPool(LayerInfo l)
        {
            int c = l.InputShape[0], size = l.InputLength / c;
            bool max = l.Kind == LayerKind.GlobalMaxPool;
            _w.Open($"for (int c = 0; c < {c}; c++)");
            _w.Line($"global::System.ReadOnlySpan<float> plane = x.Slice(c * {size}, {size});");
            _w.Line(max ? "float best = float.NegativeInfinity;" : "float sum = 0f;");
            _w.Line(max ? "foreach (float v in plane) if (v > best || float.IsNaN(v)) best = v;" : "foreach (float v in plane) sum += v;");
            _w.Line(max ? "y[c] = best;" : $"y[c] = sum / {size}f;");
            _w.Close();
        }

        private void EmitDense(LayerInfo l)
        {
            int nIn = l.InputLength, nOut = l.OutputShape[0];
            _w.Line($"float[] w = _p{l.Index + 1}_weight;");
            _w.Open($"for (int j = 0; j < {nOut}; j++)");
            _w.Line(l.Bias ? $"float sum = _p{l.Index + 1}_bias[j];" : "float sum = 0f;");
            _w.Line($"global::System.ReadOnlySpan<float> row = new global::System.ReadOnlySpan<float>(w, j * {nIn}, {nIn});");
            _w.Line($"for (int i = 0; i < {nIn}; i++) sum += x[i] * row[i];");
            _w.Line("y[j] = sum;");
            _w.Close();
        }

        private void EmitBatchNorm(LayerInfo l)
        {
            int c = l.InputShape[0], size = l.InputLength / c;
            string p = $"_p{l.Index + 1}";
            _w.Open($"for (int c = 0; c < {c}; c++)");
            _w.Line($"float scale = {p}_scale[c], shift = {p}_shift[c];");
            _w.Line($"for (int i = c * {size}; i < (c + 1) * {size}; i++) y[i] = x[i] * scale + shift;");
            _w.Close();
        }

        private void EmitSoftmax(LayerInfo l)
        {
            int n = l.InputLength;
            _w.Block($$"""
                float max = float.NegativeInfinity;
                for (int i = 0; i < {{n}}; i++) if (x[i] > max) max = x[i];
                float sum = 0f;
                for (int i = 0; i < {{n}}; i++)
                {
                    float e = global::System.MathF.Exp(x[i] - max); // e^(x_i - max): never overflows
                    y[i] = e;
                    sum += e;
                }
                for (int i = 0; i < {{n}}; i++) y[i] /= sum;
                """);
        }

        private void EmitActivation(LayerInfo l)
        {
            string f = l.Kind switch
            {
                LayerKind.ReLU => "v > 0f ? v : 0f",
                LayerKind.LeakyReLU => $"v >= 0f ? v : {F(l.Alpha)} * v",
                LayerKind.ELU => $"v > 0f ? v : {F(l.Alpha)} * (global::System.MathF.Exp(v) - 1f)",
                LayerKind.Sigmoid => "1f / (1f + global::System.MathF.Exp(-v))",
                _ => "global::System.MathF.Tanh(v)",
            };
            _w.Open($"for (int i = 0; i < {l.InputLength}; i++)");
            _w.Line("float v = x[i];");
            _w.Line($"y[i] = {f};");
            _w.Close();
        }
    }
}

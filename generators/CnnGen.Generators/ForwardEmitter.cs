using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnGen.Declarations;
using CnnGen.Generators.Planning;
using CnnGen.Shapes;

namespace CnnGen.Generators
{
    /// <summary>
    /// Emits the network code: the weights (one field per step that has some, packed by the constructor), and the forward
    /// pass written out: one statement per step in execution order, each a call of a shared kernel with every size a
    /// literal and the buffers at the workspace offsets of the <see cref="ForwardPlan"/>, with the layer and its shapes
    /// in a comment above it.
    /// </summary>
    internal sealed class ForwardEmitter
    {
        private const string K = "global::CnnGen.Kernels.";
        private const string Span = "global::System.Span<float>";
        private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";

        private readonly SourceWriter _w;
        private readonly NetworkModel _model;
        private readonly NetworkAnalysis _a;
        private readonly ProjectOptions _options;
        private readonly ForwardPlan _plan;
        private readonly IReadOnlyList<ParameterTensor> _parameters;
        private readonly Dictionary<Op, string> _fields = new();

        private ForwardEmitter(SourceWriter w, NetworkModel model, NetworkAnalysis a, ProjectOptions options)
        {
            _w = w;
            _model = model;
            _a = a;
            _options = options;
            _parameters = ParameterLayout.Of(a);
            _plan = ForwardPlan.Of(a, options.Winograd);
            var used = new HashSet<string>();
            foreach (Op op in _plan.Ops.Where(HasWeights))
            {
                string name = Identifier(op.Main.Name);
                string field = name;
                for (int i = 2; !used.Add(field); i++) field = name + "_" + i.ToString(CultureInfo.InvariantCulture);
                _fields[op] = field;
            }
        }

        public static void Emit(SourceWriter w, NetworkModel model, NetworkAnalysis a, ProjectOptions options)
        {
            var e = new ForwardEmitter(w, model, a, options);
            SpecEmitter.Emit(w, model, a);
            e.EmitFields();
            e.EmitConstructor();
            e.EmitForward();
            e.EmitBody();
        }

        private string Self => _model.Type.Name;

        /// <summary>Whether the network is declared as a struct (or record struct).</summary>
        private bool IsStruct => _model.Type.Keyword.EndsWith("struct", System.StringComparison.Ordinal);

        /// <summary>The network as Forward hands it to the batch runner: itself, or a struct's box made by its constructor.</summary>
        private string Body => IsStruct
            ? $"_body ?? throw new global::System.InvalidOperationException($\"{Escape(_model.DisplayName)} has no weights (a default value): make it with new {Escape(_model.DisplayName)}(parameters) or {Escape(_model.DisplayName)}.Load(path).\")"
            : "this";

        private static bool HasWeights(Op op) => op.Kind is OpKind.Conv or OpKind.Depthwise or OpKind.Dense || (op.Kind == OpKind.Affine);

        /// <summary>A field name from a layer name: layer1.0.conv1 -> _layer1_0_conv1.</summary>
        private static string Identifier(string name)
        {
            var chars = name.Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
            return "_" + new string(chars);
        }

        private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture) + "f";

        private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

        /// <summary>Spatial sizes as the kernels take them: 28, (28, 28) or (4, 28, 28).</summary>
        private static string Dims(IEnumerable<int> values)
        {
            int[] v = values.ToArray();
            return v.Length == 1 ? N(v[0]) : "(" + string.Join(", ", v) + ")";
        }

        /// <summary>How the statements being written address the workspace: one sample, a chunk of n, or sample i of a chunk.</summary>
        private enum Addressing { Sample, Chunk, SampleOfChunk }

        private Addressing _addressing;

        /// <summary>A tensor's room: ws.Slice(offset, length) for one sample, scaled by n for a chunk (see ForwardPlan.ChunkSamples).</summary>
        private string Slice(int tensor)
        {
            Placement p = _plan.Place(tensor);
            return _addressing switch
            {
                Addressing.Chunk => $"ws.Slice({ChunkStart(p)}, {N(p.Length)} * n)",
                Addressing.SampleOfChunk => $"ws.Slice({SampleStart(p)}, {N(p.Length)})",
                _ => $"ws.Slice({N(p.Offset)}, {N(p.Length)})",
            };
        }

        /// <summary>Where a tensor's room starts in a chunk of n samples: its offset times n.</summary>
        private static string ChunkStart(Placement p) => p.Offset == 0 ? "0" : $"{N(p.Offset)} * n";

        /// <summary>Where sample i of a chunk starts in a tensor's room: the chunk's start plus i lengths.</summary>
        private static string SampleStart(Placement p) => (p.Offset == 0 ? "" : $"{N(p.Offset)} * n + ") + $"i * {N(p.Length)}";

        private string Range(Placement p) => _addressing == Addressing.Sample ? $"ws[{N(p.Offset)}, {N(p.End)})" : $"ws[{(p.Offset == 0 ? "0" : N(p.Offset) + " n")}, {N(p.End)} n)";

        // ---- fields and constructor ----------------------------------------------------------------------

        private void EmitFields()
        {
            _w.Line();
            if (IsStruct)
            {
                _w.Line("// The network as the batch runner takes it, boxed once by the constructor (a struct boxed at each call would allocate).");
                _w.Line($"private readonly {K}INetworkBody? _body;");
                _w.Line();
            }
            _w.Line("// The weights of each step, packed once by the constructor into the layouts the kernels read.");
            foreach (Op op in _plan.Ops.Where(HasWeights))
            {
                string type = op.Kind switch
                {
                    OpKind.Conv => "ConvWeights",
                    OpKind.Depthwise => "DepthwiseWeights",
                    OpKind.Dense => "DenseWeights",
                    _ => "AffineWeights",
                };
                _w.Line($"private readonly {K}{type} {_fields[op]};");
            }
        }

        private ParameterTensor? Tensor(LayerInfo l, string suffix) => _parameters.FirstOrDefault(t => t.Layer == l.Index && t.Suffix == suffix);

        private static string Slice(ParameterTensor? t) => t is null ? "default" : $"parameters.Slice({t.Offset}, {t.Length})";

        private string BatchNormArguments(Op op)
        {
            if (op.BatchNorm is not { } bn) return "";
            ParameterTensor scale = Tensor(bn, "weight")!;
            return $", batchNorm: parameters.Slice({scale.Offset}, {4 * scale.Length}), epsilon: {F(bn.Epsilon)}";
        }

        private void EmitConstructor()
        {
            string ctorName = Emitter.CtorName(_model);
            _w.Line();
            _w.Line("/// <summary>");
            _w.Line("/// Creates the network from all its weights in one flat array, layer by layer (blocks where they are used, depth first),");
            _w.Line("/// each layer's weight then bias, in PyTorch/ONNX layouts (Conv [K, C/G, F...], Dense [N_out, N_in]; BatchNorm: scale,");
            _w.Line("/// bias, mean, variance):");
            foreach (ParameterTensor t in _parameters)
                _w.Line($"/// {SourceWriter.Xml(t.Key)} [{string.Join(", ", t.Shape)}] at {t.Offset}.");
            _w.Line("/// The weights are repacked here into the layouts the kernels read (BatchNorm folded into the layer before it).");
            _w.Line("/// </summary>");
            _w.Line("/// <exception cref=\"global::System.ArgumentException\">The array does not hold exactly <see cref=\"ParameterCount\"/> values.</exception>");
            _w.Open($"public {ctorName}(global::System.ReadOnlySpan<float> parameters)");
            _w.Line("if (parameters.Length != ParameterCount)");
            _w.Line($"    throw new global::System.ArgumentException($\"{Escape(_model.DisplayName)} needs {{ParameterCount}} parameters, but got {{parameters.Length}}.\", nameof(parameters));");
            foreach (Op op in _plan.Ops.Where(HasWeights))
            {
                LayerInfo l = op.Main;
                _w.Line($"// {Names(op)}: {Describe(op)}");
                string weight = Slice(Tensor(l, "weight")), bias = Slice(Tensor(l, "bias"));
                string create = op.Kind switch
                {
                    OpKind.Conv => $"new {K}ConvWeights({weight}, {bias}, filters: {l.OutputShape[0]}, channels: {l.InputShape[0]}, kernel: {Dims(l.Kernel)}"
                        + (l.Groups > 1 ? $", groups: {l.Groups}" : "") + (op.Winograd ? ", winograd: true" : "") + BatchNormArguments(op) + ")",
                    OpKind.Depthwise => $"new {K}DepthwiseWeights({weight}, {bias}, channels: {l.InputShape[0]}, multiplier: {l.OutputShape[0] / l.InputShape[0]}, kernel: {Dims(l.Kernel)}"
                        + BatchNormArguments(op) + ")",
                    OpKind.Dense => $"new {K}DenseWeights({weight}, {bias}, inputs: {l.InputLength}, units: {l.OutputShape[0]}" + BatchNormArguments(op) + ")",
                    _ => $"new {K}AffineWeights(parameters.Slice({Tensor(l, "weight")!.Offset}, {4 * l.InputShape[0]}), channels: {l.InputShape[0]}, epsilon: {F(l.Epsilon)})",
                };
                _w.Line($"{_fields[op]} = {create};");
            }
            if (IsStruct) _w.Line("_body = this;");
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

        private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("{", "{{").Replace("}", "}}");

        // ---- Forward ------------------------------------------------------------------------------------------

        private string ThreadCap => _options.MaxThreads > 0
            ? $",\n/// and never more than {_options.MaxThreads} (the project's {ProjectOptions.MaxThreadsProperty})"
            : "";

        private void EmitForward()
        {
            string name = Escape(_model.DisplayName);
            string input = ShapeMath.Format(_a.InputShape), output = ShapeMath.Format(_a.OutputShape);
            _w.Block($$"""

                /// <summary>Floats of workspace one thread needs: every tensor of one sample at the place planned for it{{(_plan.ChunkSamples > 0 ? $", for a chunk of up to {_plan.ChunkSamples} samples" : _plan.TailStart >= 0 ? ", and the rows of the dense layers of a batch" : "")}}.</summary>
                private const int WorkspaceLength = {{N(_plan.WorkspaceLength)}};

                /// <summary>Floats of scratch one thread needs (zero-bordered inputs, the convolutions' tables and Winograd tiles).</summary>
                private const int ScratchLength = {{N(_plan.ScratchLength)}};

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
                    {{K}}Batch.Run({{Body}}, input, output, batchSize, InputLength, OutputLength, WorkspaceLength, ScratchLength, workPerSample: {{_plan.WorkPerSample}}{{(_options.MaxThreads > 0 ? $", maxThreads: {_options.MaxThreads}); // {ProjectOptions.MaxThreadsProperty}" : ");")}}
                }
                """);
        }

        private void EmitBody()
        {
            _w.Line();
            if (_plan.ChunkSamples > 0)
            {
                EmitChunks();
                EmitSample(features: false);
                EmitChunk();
                return;
            }
            if (_plan.TailStart < 0)
            {
                _w.Line("/// <summary>Runs <paramref name=\"count\"/> samples on this thread's workspace and scratch.</summary>");
                _w.Open($"void {K}INetworkBody.Run({ReadOnlySpan} input, {Span} output, int count, {Span} ws, {Span} s)");
                _w.Line("for (int n = 0; n < count; n++)");
                _w.Line("    Sample(input.Slice(n * InputLength, InputLength), output.Slice(n * OutputLength, OutputLength), ws, s);");
                _w.Close();
                EmitSample(features: false);
                return;
            }
            EmitRows();
            EmitSample(features: true);
            EmitFeatures();
        }

        /// <summary>The memory plan as a comment: every tensor and where it lives.</summary>
        private void EmitMemoryPlan()
        {
            _w.Line("// The workspace of one sample, planned at compile time (floats; a map is channels-last, C padded to 8 per position");
            _w.Line("// unless marked compact: C per position):");
            var rows = new List<(string Name, string Shape, string Range)> { ("input", ShapeMath.Format(_a.InputShape), Range(_plan.Place(0)) + Compact(_plan.Place(0))) };
            foreach (Op op in _plan.Ops)
            {
                Placement p = _plan.Place(op.Output);
                string note = Compact(p) + (op.Kind == OpKind.View ? " (a view: no copy)" : SharesRoomOfInput(op) ? " (in place)" : "");
                rows.Add((Names(op), ShapeMath.Format(p.Shape), Range(p) + note));
            }
            int nameWidth = rows.Max(r => r.Name.Length), shapeWidth = rows.Max(r => r.Shape.Length);
            foreach (var (name, shape, range) in rows)
                _w.Line($"//   {name.PadRight(nameWidth)}  {shape.PadRight(shapeWidth)}  {range}");
            _w.Line($"// Workspace {SummaryWriter.Memory(_plan.WorkspaceLength)} and scratch {SummaryWriter.Memory(_plan.ScratchLength)} per thread.");
            if (!_options.Winograd) _w.Line($"// The project sets {ProjectOptions.WinogradProperty} = false: 3x3 convolutions sum their taps directly.");
        }

        /// <summary>" (compact)" for a map stored at C floats per position (see ForwardPlan.CompactMaps), else nothing.</summary>
        private static string Compact(Placement p) => !p.IsVector && p.Stride % 8 != 0 ? " (compact)" : "";

        private bool SharesRoomOfInput(Op op) => op.Kind != OpKind.View && _plan.Place(op.Output).Offset == _plan.Place(op.Inputs[0]).Offset;

        private void EmitSample(bool features)
        {
            _w.Line();
            EmitMemoryPlan();
            _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
            _w.Open($"private void Sample({ReadOnlySpan} x, {Span} y, {Span} ws, {Span} s)");
            int from = 0;
            if (features)
            {
                _w.Line($"Features(x, ws, s); // the layers before {Names(_plan.Ops[_plan.TailStart])}");
                from = _plan.TailStart;
            }
            else EmitInput();
            for (int i = from; i < _plan.Ops.Count; i++) EmitOp(_plan.Ops[i]);
            _w.Line();
            Placement output = _plan.Place(_plan.OutputTensor);
            _w.Line($"// output {ShapeMath.Format(_a.OutputShape)}: {Range(output)} -> y{(output.IsVector ? "" : ", channels first")}");
            if (output.IsVector) _w.Line($"ws.Slice({N(output.Offset)}, OutputLength).CopyTo(y);");
            else _w.Line($"{K}Layout.ToChannelsFirst({Slice(_plan.OutputTensor)}, y, channels: {output.Channels}, positions: {output.Positions}, stride: {output.Stride});");
            _w.Close();
        }

        private void EmitFeatures()
        {
            Placement f = _plan.Place(_plan.TailInput);
            _w.Line();
            _w.Line($"/// <summary>The layers before the dense tail: one sample to its feature vector at {SourceWriter.Xml(Range(f))}.</summary>");
            _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
            _w.Open($"private void Features({ReadOnlySpan} x, {Span} ws, {Span} s)");
            EmitInput();
            for (int i = 0; i < _plan.TailStart; i++) EmitOp(_plan.Ops[i]);
            _w.Close();
        }

        private void EmitInput()
        {
            Placement p = _plan.Place(0);
            _w.Line($"// input {ShapeMath.Format(_a.InputShape)}: x -> {Range(p)}, channels-last, {p.Stride} float{(p.Stride == 1 ? "" : "s")} per position{Compact(p)}");
            string samples = _addressing == Addressing.Chunk ? ", samples: n" : "";
            _w.Line($"{K}Layout.ToChannelsLast(x, {Slice(0)}, channels: {p.Channels}, positions: {p.Positions}, stride: {p.Stride}{samples});");
        }

        /// <summary>The body of a small network: one sample alone, more in chunks that run layer by layer.</summary>
        private void EmitChunks()
        {
            int chunk = _plan.ChunkSamples;
            _w.Line("/// <summary>");
            _w.Line($"/// Runs <paramref name=\"count\"/> samples on this thread's workspace and scratch: one alone, more in chunks of up to {chunk}");
            _w.Line("/// that run each layer once for the whole chunk (see Chunk).");
            _w.Line("/// </summary>");
            _w.Open($"void {K}INetworkBody.Run({ReadOnlySpan} input, {Span} output, int count, {Span} ws, {Span} s)");
            _w.Open("if (count == 1)");
            _w.Line("Sample(input, output, ws, s);");
            _w.Line("return;");
            _w.Close();
            _w.Open($"for (int first = 0; first < count; first += {chunk})");
            _w.Line($"int n = global::System.Math.Min({chunk}, count - first);");
            _w.Line("Chunk(input.Slice(first * InputLength, n * InputLength), output.Slice(first * OutputLength, n * OutputLength), n, ws, s);");
            _w.Close();
            _w.Close();
        }

        /// <summary>The batched pass: every step once for a chunk of n samples, on the sample plan scaled by n.</summary>
        private void EmitChunk()
        {
            _w.Line();
            _w.Line("/// <summary>");
            _w.Line($"/// Runs a chunk of <paramref name=\"n\"/> samples (1 to {_plan.ChunkSamples}) layer by layer: each step once for the chunk. The workspace plan is");
            _w.Line("/// Sample's scaled by n: a tensor at ws[a, b) of one sample lies at ws[a n, b n), sample i of it from a n + i (b - a).");
            _w.Line("/// </summary>");
            _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
            _w.Open($"private void Chunk({ReadOnlySpan} x, {Span} y, int n, {Span} ws, {Span} s)");
            _addressing = Addressing.Chunk;
            EmitInput();
            foreach (Op op in _plan.Ops) EmitOp(op);
            _w.Line();
            Placement output = _plan.Place(_plan.OutputTensor);
            if (output.IsVector)
            {
                _w.Line($"// output {ShapeMath.Format(_a.OutputShape)}: {Range(output)} -> y, sample by sample");
                _addressing = Addressing.SampleOfChunk;
                _w.Line("for (int i = 0; i < n; i++)");
                _w.Line($"    ws.Slice({SampleStart(output)}, OutputLength).CopyTo(y.Slice(i * OutputLength, OutputLength));");
            }
            else
            {
                _w.Line($"// output {ShapeMath.Format(_a.OutputShape)}: {Range(output)} -> y, channels first");
                _w.Line($"{K}Layout.ToChannelsFirst({Slice(_plan.OutputTensor)}, y, channels: {output.Channels}, positions: {output.Positions}, stride: {output.Stride}, samples: n);");
            }
            _addressing = Addressing.Sample;
            _w.Close();
        }

        /// <summary>A batch of four or more samples: the dense tail runs on rows of samples.</summary>
        private void EmitRows()
        {
            Placement f = _plan.Place(_plan.TailInput);
            int stride = _plan.RowStride, chunk = ForwardPlan.ChunkRows;
            _w.Line("/// <summary>");
            _w.Line($"/// Runs <paramref name=\"count\"/> samples on this thread's workspace and scratch. Four or more samples run the layers from");
            _w.Line($"/// {SourceWriter.Xml(Names(_plan.Ops[_plan.TailStart]))} on as rows of up to {chunk} samples, so each weight panel is read once for 4 samples.");
            _w.Line("/// </summary>");
            _w.Open($"void {K}INetworkBody.Run({ReadOnlySpan} input, {Span} output, int count, {Span} ws, {Span} s)");
            _w.Line("int n = 0;");
            _w.Open("while (count - n >= 4)");
            _w.Line($"int rows = global::System.Math.Min({chunk}, count - n);");
            _w.Line($"{Span} a = ws.Slice({N(_plan.RowsA)}, {N((long)chunk * stride)}), b = ws.Slice({N(_plan.RowsB)}, {N((long)chunk * stride)});");
            _w.Line("for (int r = 0; r < rows; r++)");
            _w.Line("{");
            _w.Line("    Features(input.Slice((n + r) * InputLength, InputLength), ws, s);");
            _w.Line($"    ws.Slice({N(f.Offset)}, {f.Channels}).CopyTo(a.Slice(r * {stride}, {f.Channels}));");
            _w.Line("}");
            string cur = "a", other = "b";
            for (int i = _plan.TailStart; i < _plan.Ops.Count; i++)
            {
                Op op = _plan.Ops[i];
                LayerInfo l = op.Main;
                _w.Line($"// {Names(op)}: {Describe(op)}: {ShapeMath.Format(l.InputShape)} -> {ShapeMath.Format(_a.Tensors[op.Output].Shape)}, rows of {stride}");
                switch (op.Kind)
                {
                    case OpKind.Dense:
                        _w.Line($"{K}Dense.Rows({_fields[op]}, {cur}, {stride}, {other}, {stride}, rows{ActivationArguments(op.Activation, named: false)});");
                        (cur, other) = (other, cur);
                        break;
                    case OpKind.Activation:
                        _w.Line($"{K}Activations.Run({cur}.Slice(0, rows * {stride}), {cur}, {Activation(l)}{Alpha(l)});");
                        break;
                    case OpKind.Affine:
                        _w.Line($"for (int r = 0; r < rows; r++) {K}Affine.Run({_fields[op]}, {cur}.Slice(r * {stride}, {KernelLayout.Pad8(l.InputShape[0])}), {cur}.Slice(r * {stride}, {KernelLayout.Pad8(l.InputShape[0])}), positions: 1, stride: {KernelLayout.Pad8(l.InputShape[0])});");
                        break;
                    case OpKind.Softmax:
                        _w.Line($"for (int r = 0; r < rows; r++) {K}Activations.Softmax({cur}.Slice(r * {stride}, {l.InputLength}), {cur}.Slice(r * {stride}, {l.InputLength}), {l.InputLength});");
                        break;
                    default:
                        _w.Line("// (a view: nothing to do)");
                        break;
                }
            }
            _w.Line($"for (int r = 0; r < rows; r++) {cur}.Slice(r * {stride}, OutputLength).CopyTo(output.Slice((n + r) * OutputLength, OutputLength));");
            _w.Line("n += rows;");
            _w.Close();
            _w.Line("for (; n < count; n++)");
            _w.Line("    Sample(input.Slice(n * InputLength, InputLength), output.Slice(n * OutputLength, OutputLength), ws, s);");
            _w.Close();
        }

        // ---- one step -------------------------------------------------------------------------------------------

        /// <summary>The names of the rows a step runs: conv1 + bn1 + relu1.</summary>
        private static string Names(Op op) => string.Join(" + ", op.Rows.Select(r => r.Name));

        /// <summary>What a step does, in words: the main layer, its padding, and what is fused into it.</summary>
        private string Describe(Op op)
        {
            LayerInfo l = op.Main;
            var parts = new List<string> { SummaryWriter.Describe(l) };
            if (SummaryWriter.PaddingText(l) is { Length: > 0 } padding) parts[0] += ", " + padding;
            if (op.Winograd) parts.Add("Winograd F(2x2, 3x3)");
            if (op.WinogradOff) parts.Add($"direct ({ProjectOptions.WinogradProperty} = false)");
            if (op.BatchNorm is not null) parts.Add("BatchNorm folded");
            if (op.Activation is { } act && op.Kind != OpKind.Activation) parts.Add(SummaryWriter.Describe(act));
            if (op.Add is { } add && op.Residual is { } sum)
                parts.Add((sum.Inputs[0] == add ? "+ the block's output " : "+ the shortcut ") + Range(_plan.Place(add)));
            if (op.Residual is { } residual) parts.Add(SummaryWriter.Describe(residual).Replace(", ReLU", ""));
            if (op.AfterAdd is { } after) parts.Add((after.Kind == LayerKind.Residual ? "ReLU" : SummaryWriter.Describe(after)) + " on the sum");
            return string.Join(", ", parts);
        }

        private static string Activation(LayerInfo l) => K + "Activation." + l.Kind switch
        {
            LayerKind.ReLU or LayerKind.Residual => "ReLU", // a Residual's own activation is its ReLU on the sum
            LayerKind.ReLU6 => "ReLU6",
            LayerKind.LeakyReLU => "LeakyReLU",
            LayerKind.HardSigmoid => "HardSigmoid",
            LayerKind.HardSwish => "HardSwish",
            LayerKind.ELU => "ELU",
            LayerKind.Sigmoid => "Sigmoid",
            LayerKind.Tanh => "Tanh",
            LayerKind.SiLU => "SiLU",
            _ => "None",
        };

        private static string Alpha(LayerInfo l) => l.Kind is LayerKind.LeakyReLU or LayerKind.ELU ? ", " + F(l.Alpha) : "";

        /// <summary>", activation: ..., alpha: ..." for a fused activation, or nothing.</summary>
        private static string ActivationArguments(LayerInfo? act, bool named = true)
        {
            if (act is null) return "";
            string alpha = act.Kind is LayerKind.LeakyReLU or LayerKind.ELU ? $", alpha: {F(act.Alpha)}" : "";
            return (named ? ", activation: " : ", ") + Activation(act) + alpha;
        }

        private string Shape(LayerInfo l, int inputStride)
        {
            int d = l.Kernel.Count;
            return $"new {K}WindowShape(channels: {l.InputShape[0]}, inputStride: {inputStride}, input: {Dims(l.InputShape.Skip(1))}, filters: {l.OutputShape[0]}, "
                + $"output: {Dims(l.OutputShape.Skip(1))}, kernel: {Dims(l.Kernel)}, stride: {Dims(l.Strides)}, dilation: {Dims(l.Dilations)}, padBegin: {Dims(l.PadsBegin)})";
        }

        private void EmitOp(Op op)
        {
            Placement y = _plan.Place(op.Output);
            _w.Line();
            _w.Line($"// {Names(op)}: {Describe(op)}: {string.Join(" and ", op.Inputs.Select(i => ShapeMath.Format(_a.Tensors[i].Shape)).Distinct())} -> {ShapeMath.Format(y.Shape)}");
            string reads = string.Join(" and ", op.Reads.Select(t => Range(_plan.Place(t))).Distinct());
            _w.Line(op.Kind == OpKind.View ? $"//   a view of {reads}: no code" : $"//   reads {reads}, writes {Range(y)}{(SharesRoomOfInput(op) ? " (in place)" : "")}");
            if (op.Kind == OpKind.View) return;
            if (_addressing == Addressing.Chunk && !RunsOverChunk(op))
            {
                // A step with no batched form: sample by sample within the chunk.
                _addressing = Addressing.SampleOfChunk;
                _w.Open("for (int i = 0; i < n; i++)");
                EmitCall(op);
                _w.Close();
                _addressing = Addressing.Chunk;
                return;
            }
            EmitCall(op);
        }

        /// <summary>
        /// Whether a step runs over a whole chunk in one call: element-wise steps see the chunk as one longer tensor (its
        /// samples lie back to back), dense layers run it as rows, the rest take the sample count (their checks and
        /// set-up once per chunk); a concatenation whose maps fill their rooms exactly is one map of n times the
        /// positions; upsampling, zero padding and other concatenations run sample by sample.
        /// </summary>
        private bool RunsOverChunk(Op op) => op.Kind switch
        {
            OpKind.Upsample or OpKind.ZeroPad => false,
            OpKind.Concat => op.Inputs.Append(op.Output).Select(_plan.Place).All(p => p.Length == (long)p.Positions * p.Stride),
            _ => true,
        };

        /// <summary>
        /// A concatenation of 2-4 branches (8 or more floats per position each) into 32 channels or fewer (whole vectors
        /// of 8 floats per position), that Merge.Join runs in one pass.
        /// </summary>
        private bool JoinsInOnePass(Op op) =>
            op.Inputs.Count is >= 2 and <= 4 && _plan.Place(op.Output) is { Stride: <= 32 } y && y.Stride == KernelLayout.Pad8(y.Channels)
            && op.Inputs.Select(_plan.Place).All(p => p.Stride >= 8);

        /// <summary>A gate of one factor per channel over a map.</summary>
        private bool Broadcast(Op op) => _a.Tensors[op.Inputs[1]].Shape.Count == 1 && !_plan.Place(op.Inputs[0]).IsVector;

        /// <summary>A step's kernel call, addressed as <see cref="_addressing"/> says.</summary>
        private void EmitCall(Op op)
        {
            LayerInfo l = op.Main;
            Placement y = _plan.Place(op.Output);
            bool chunk = _addressing == Addressing.Chunk;
            string x = Slice(op.Inputs[0]), yy = Slice(op.Output);
            Placement input = _plan.Place(op.Inputs[0]);
            string times = chunk ? " * n" : "", samples = chunk ? ", samples: n" : "";
            switch (op.Kind)
            {
                case OpKind.Conv:
                case OpKind.Depthwise:
                {
                    string call = op.Kind == OpKind.Depthwise ? "Depthwise.Run" : op.Winograd ? "Conv.Winograd" : "Conv.Direct";
                    string add = op.Add is { } a ? $", add: {Slice(a)}" : "";
                    string after = op.AfterAdd is { } act2 ? $", afterAdd: {Activation(act2)}" : "";
                    _w.Line($"{K}{call}({_fields[op]}, {x}, {yy}, s,");
                    _w.Line($"    {Shape(l, input.Stride)}{samples}{ActivationArguments(op.Activation)}{add}{after});");
                    break;
                }
                case OpKind.Dense:
                    if (chunk) _w.Line($"{K}Dense.Rows({_fields[op]}, {x}, {N(input.Length)}, {yy}, {N(y.Length)}, n{ActivationArguments(op.Activation)});");
                    else _w.Line($"{K}Dense.Run({_fields[op]}, {x}, {yy}{ActivationArguments(op.Activation)});");
                    break;
                case OpKind.Pool:
                    _w.Line($"{K}Pool.Run({x}, {yy},");
                    _w.Line($"    {Shape(l, input.Stride)}{samples}, max: {(l.Kind == LayerKind.MaxPool ? "true" : "false")}{(l.CountIncludePad ? ", countIncludePad: true" : "")});");
                    break;
                case OpKind.GlobalPool:
                    _w.Line($"{K}Pool.Global({x}, {yy}, channels: {input.Channels}, positions: {input.Positions}, max: {(l.Kind == LayerKind.GlobalMaxPool ? "true" : "false")}{(input.Stride == 1 ? $", samples: {(chunk ? "n" : "1")}, stride: 1" : samples)});");
                    break;
                case OpKind.Activation:
                    _w.Line($"{K}Activations.Run({x}, {yy}, {Activation(l)}{Alpha(l)});");
                    break;
                case OpKind.Affine:
                    _w.Line($"{K}Affine.Run({_fields[op]}, {x}, {yy}, positions: {input.Positions}{times}, stride: {input.Stride});");
                    break;
                case OpKind.Softmax:
                    _w.Line($"{K}Activations.Softmax({x}, {yy}, {l.InputLength}{samples});");
                    break;
                case OpKind.Flatten:
                    _w.Line($"{K}Layout.ToChannelsFirst({x}, {yy}, channels: {input.Channels}, positions: {input.Positions}, stride: {input.Stride}{samples});");
                    break;
                case OpKind.Upsample:
                    _w.Line($"{K}Layout.Upsample({x}, {yy}, input: {Dims(l.InputShape.Skip(1))}, scale: {Dims(l.Scale)}, stride: {input.Stride});");
                    break;
                case OpKind.ZeroPad:
                    _w.Line($"{K}Layout.ZeroPad({x}, {yy}, channels: {l.InputShape[0]}, input: {Dims(l.InputShape.Skip(1))}, inputStride: {input.Stride}, "
                        + $"output: {Dims(l.OutputShape.Skip(1))}, outputStride: {y.Stride}, padBegin: {Dims(l.PadsBegin)});");
                    break;
                case OpKind.Add:
                    _w.Line($"{K}Merge.Add({x}, {Slice(op.Inputs[1])}, {yy}, {N(y.Length)}{times}{(op.AfterAdd is { } sum ? ", " + Activation(sum) : "")});");
                    break;
                case OpKind.Multiply:
                    // A gate of the map's layout: the chunk is one longer tensor; one factor per channel: per sample.
                    if (Broadcast(op)) _w.Line($"{K}Merge.Multiply({x}, {Slice(op.Inputs[1])}, {yy}, positions: {input.Positions}, stride: {input.Stride}, broadcast: true{samples});");
                    else _w.Line($"{K}Merge.Multiply({x}, {Slice(op.Inputs[1])}, {yy}, positions: {input.Positions}{times}, stride: {input.Stride}, broadcast: false);");
                    break;
                case OpKind.Concat when JoinsInOnePass(op):
                {
                    // Branches of a few channels: each position put together from all of them and stored once.
                    var parts = op.Inputs.Select((t, i) => $"x{i}: {Slice(t)}, channels{i}: {_plan.Place(t).Channels}, stride{i}: {_plan.Place(t).Stride}").ToList();
                    _w.Line($"{K}Merge.Join({yy}, positions: {y.Positions}{times},");
                    for (int i = 0; i < parts.Count; i++) _w.Line($"    {parts[i]}{(i + 1 < parts.Count ? "," : ");")}");
                    break;
                }
                case OpKind.Concat:
                {
                    int offset = 0;
                    foreach (int t in op.Inputs)
                    {
                        Placement part = _plan.Place(t);
                        _w.Line($"{K}Merge.Concat({Slice(t)}, {yy}, positions: {y.Positions}{times}, channels: {part.Channels}, inputStride: {part.Stride}, outputStride: {y.Stride}, offset: {offset});");
                        offset += part.Channels;
                    }
                    break;
                }
            }
        }
    }
}

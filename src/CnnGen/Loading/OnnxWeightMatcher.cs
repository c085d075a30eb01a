using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Loading
{
    /// <summary>
    /// Matches an ONNX graph to a declared network and collects its weights in the declared layouts. The declared
    /// steps are taken in the order they run (blocks expanded, a merge after its branches); each is matched to the
    /// node that reads the value its input was matched to, checking every attribute (kernel, strides, pads or
    /// auto_pad, dilations, groups, count_include_pad, alpha, epsilon, scales, pads). Branches are found by following
    /// the readers of a value; where two readers could be the one (two 1x1 convolutions of one input), the other is
    /// tried when the first leads to a mismatch. Constant sub-graphs are folded, Identity and inference Dropout skipped,
    /// a bias Add, a BatchNormalization or a constant per-channel Mul after a Conv or Gemm folded into it when the
    /// declaration has no such layer.
    /// </summary>
    internal sealed partial class OnnxWeightMatcher
    {
        private const int MaxAttempts = 100_000;

        private readonly OnnxModel _model;
        private readonly NetworkSpec _spec;
        private readonly NetworkAnalysis _a;
        private readonly IReadOnlyList<LayerInfo> _steps;
        private readonly OnnxConstants _constants;
        private readonly List<OnnxNode> _nodes;
        private readonly Dictionary<string, List<OnnxNode>> _readers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _alias = new(StringComparer.Ordinal);
        private State _state = new();
        private (int Step, InvalidDataException Error)? _deepest;
        private int _attempts;

        /// <summary>What the matching has decided so far: a snapshot is kept where the search may come back.</summary>
        private sealed class State
        {
            /// <summary>The ONNX value each declared tensor is.</summary>
            public Dictionary<int, string> Value = new();
            /// <summary>The rank of an ONNX value, the batch included.</summary>
            public Dictionary<string, int> Rank = new(StringComparer.Ordinal);
            /// <summary>The nodes matched, folded or passed.</summary>
            public HashSet<OnnxNode> Done = new();
            /// <summary>The weights found, by row and tensor (replaced, never changed in place, so a snapshot stays as it was).</summary>
            public Dictionary<(int Row, string Suffix), float[]> Weights = new();
            /// <summary>A shift a declared BatchNorm takes over (the bias an exporter folded into the layer before it).</summary>
            public Dictionary<int, float[]> Shift = new();

            public State Clone() => new()
            {
                Value = new(Value), Rank = new(Rank, StringComparer.Ordinal), Done = new(Done), Weights = new(Weights), Shift = new(Shift),
            };
        }

        private OnnxWeightMatcher(OnnxModel model, NetworkSpec spec, IReadOnlyDictionary<string, OnnxTensor>? extra)
        {
            _model = model;
            _spec = spec;
            _a = spec.Analysis;
            _steps = _a.Steps;
            _constants = new OnnxConstants(model, extra, message => Mismatch(message));
            _nodes = new List<OnnxNode>();
            foreach (OnnxNode original in _constants.SplitData(model.Nodes))
            {
                if (original.Domain is not ("" or "ai.onnx"))
                    throw Mismatch($"{original.Label} is from the operator domain '{original.Domain}', which CnnGen does not support");
                if (original.Outputs.Count == 0 || original.Outputs[0].Length == 0) throw Mismatch($"{original.Label} has no output");
                // Inputs seen through the Identity and Dropout nodes before (the model itself stays as read).
                var node = new OnnxNode
                {
                    OpType = original.OpType, Name = original.Name, Domain = original.Domain, Attributes = original.Attributes,
                    Inputs = original.Inputs.Select(Resolve).ToList(), Outputs = original.Outputs,
                };
                if (node.OpType is "Identity" or "Dropout")
                {
                    CheckPassThrough(node);
                    _alias[node.Outputs[0]] = node.Inputs[0];
                    continue;
                }
                _nodes.Add(node);
                foreach (string input in node.Inputs.Where(i => i.Length > 0 && !_constants.IsConstant(i)).Distinct())
                {
                    if (!_readers.TryGetValue(input, out var list)) _readers[input] = list = new List<OnnxNode>();
                    list.Add(node);
                }
            }
        }

        /// <summary>The flat parameter array of <paramref name="spec"/> from the model's weights.</summary>
        /// <param name="model">The model read from its file.</param>
        /// <param name="spec">The declared network.</param>
        /// <param name="extra">Tensors given apart from the model (ONNX test data passes weights as inputs).</param>
        /// <param name="checkInput">Whether the graph input's shape must be [N, spec input...].</param>
        public static float[] Match(OnnxModel model, NetworkSpec spec, IReadOnlyDictionary<string, OnnxTensor>? extra = null, bool checkInput = true)
        {
            var m = new OnnxWeightMatcher(model, spec, extra);
            m.Start(checkInput);
            if (!m.Search(0)) throw m._deepest!.Value.Error;
            return m.Assemble();
        }

        private string Net => _spec.Name;

        private InvalidDataException Mismatch(string message) => new($"{Net}: {message}");

        private static string List(IEnumerable<long> v) => "[" + string.Join(", ", v) + "]";

        private static string List(IEnumerable<int> v) => "[" + string.Join(", ", v) + "]";

        private string Resolve(string value) => _alias.TryGetValue(value, out string? source) ? Resolve(source) : value;

        /// <summary>Identity, and Dropout at inference, give their input: nothing to match, but a mask output or training mode is refused.</summary>
        private void CheckPassThrough(OnnxNode node)
        {
            if (node.OpType != "Dropout") return;
            if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0 && _model.Nodes.Any(n => n.Inputs.Contains(node.Outputs[1])))
                throw Mismatch($"{node.Label}: its mask output is used; CnnGen's Dropout is the identity at inference");
            if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0 && _constants.TryGet(node.Inputs[2], out OnnxTensor mode) && (mode.Ints ?? Array.Empty<long>()).Any(v => v != 0))
                throw Mismatch($"{node.Label} is in training mode; export the model in eval mode (model.eval())");
        }

        private void Start(bool checkInput)
        {
            List<OnnxValue> data = _model.Inputs.Where(i => !_constants.IsConstant(i.Name)).ToList();
            if (data.Count != 1)
                throw Mismatch($"a CnnGen network has one data input, but the model has {data.Count} inputs that are not weights ({string.Join(", ", data.Select(d => "'" + d.Name + "'"))})");
            string input = data[0].Name;
            int rank = data[0].Shape?.Length ?? _a.InputShape.Count + 1;
            if (checkInput && data[0].Shape is { } shape) CheckInputShape(shape, input);
            _state.Value[0] = input;
            _state.Rank[input] = rank;
        }

        private void CheckInputShape(long[] shape, string name)
        {
            int[] want = _a.InputShape.ToArray();
            long[] sample = shape.Length == want.Length + 1 ? shape.Skip(1).ToArray() : shape;
            bool ok = sample.Length == want.Length && sample.Zip(want, (m, w) => m <= 0 || m == w).All(x => x);
            if (!ok)
                throw Mismatch($"the declared input is {List(want)} (channels first, without the batch), but the model's input '{name}' is {List(shape)}");
        }

        // ---- the search ---------------------------------------------------------------------------------------------

        /// <summary>Matches the steps from <paramref name="index"/> on; false (with the deepest error kept) when no way fits.</summary>
        private bool Search(int index)
        {
            if (index == _steps.Count) return Attempt(index, Finish);
            List<Action> options;
            try
            {
                options = Options(_steps[index]);
            }
            catch (InvalidDataException e)
            {
                Fail(index, e);
                return false;
            }
            foreach (Action option in options)
            {
                if (++_attempts > MaxAttempts)
                    throw Mismatch("the graph has too many ways to match the declared branches to try them all; check that the declaration follows the model's structure");
                State saved = options.Count > 1 ? _state.Clone() : _state;
                if (Attempt(index, option) && Search(index + 1)) return true;
                if (options.Count > 1) _state = saved;
            }
            return false;
        }

        private bool Attempt(int index, Action step)
        {
            try
            {
                step();
                return true;
            }
            catch (InvalidDataException e)
            {
                Fail(index, e);
                return false;
            }
        }

        /// <summary>Keeps the error of the step the search got furthest to: it is the one that explains the mismatch.</summary>
        private void Fail(int index, InvalidDataException e)
        {
            if (_deepest is null || index > _deepest.Value.Step) _deepest = (index, e);
        }

        /// <summary>After the last step: the declared output is the model's output, and no node of the model was left out.</summary>
        private void Finish()
        {
            string output = _state.Value[_a.OutputTensor];
            if (_model.Outputs.Count > 1)
                throw Mismatch($"the model has {_model.Outputs.Count} outputs ({string.Join(", ", _model.Outputs.Select(o => "'" + o.Name + "'"))}); a CnnGen network has one");
            // A vector-like output may still be flattened by the model (GlobalAveragePool, then Flatten as the last node).
            bool vectorLike = VectorLike(_a.Tensors[_a.OutputTensor].Shape);
            while (vectorLike && Unmatched(output).Count == 1 && IsFlattenLike(Unmatched(output)[0]))
            {
                OnnxNode flatten = Unmatched(output)[0];
                CheckFlattenLike(flatten, output);
                _state.Done.Add(flatten);
                output = flatten.Outputs[0];
            }
            if (Unmatched(output).FirstOrDefault() is { } more)
                throw Mismatch($"all {_a.Layers.Count(l => !l.IsBlockUse)} declared layers are matched, but the model goes on with {more.Label}; declare the rest of the network");
            if (_model.Outputs.Count > 0 && Resolve(_model.Outputs[0].Name) != output)
                throw Mismatch($"the declared layers end at '{output}', but the model's output is '{_model.Outputs[0].Name}'");
            if (_nodes.FirstOrDefault(n => !_state.Done.Contains(n)) is { } left)
            {
                string input = left.Inputs.FirstOrDefault(i => i.Length > 0 && !_constants.IsConstant(i)) ?? "";
                throw Mismatch($"the model also has {left.Label} (reading '{input}'), which no declared layer matches; declare it, or export the model without it");
            }
        }

        /// <summary>The data nodes that read <paramref name="value"/> and are not matched yet, in graph order.</summary>
        private List<OnnxNode> Unmatched(string value) =>
            _readers.TryGetValue(value, out var list) ? list.Where(n => !_state.Done.Contains(n)).ToList() : new List<OnnxNode>();

        /// <summary>
        /// The nodes that could be a step reading <paramref name="value"/>: its unmatched readers, and, when the declared
        /// tensor is a vector or [C, 1...], the readers after flatten-like nodes (which change nothing then), with the
        /// nodes passed on the way.
        /// </summary>
        private List<(OnnxNode Node, List<OnnxNode> Through)> Consumers(string value, bool vectorLike)
        {
            var found = new List<(OnnxNode, List<OnnxNode>)>();
            void Walk(string v, List<OnnxNode> through)
            {
                foreach (OnnxNode n in Unmatched(v))
                {
                    found.Add((n, through));
                    if (vectorLike && IsFlattenLike(n) && through.Count < 3) Walk(n.Outputs[0], through.Append(n).ToList());
                }
            }
            Walk(value, new List<OnnxNode>());
            return found;
        }

        /// <summary>A tensor with at most one size above 1 (a vector, [C, 1, 1], [1, L]): flattening it changes no value's place.</summary>
        private static bool VectorLike(IReadOnlyList<int> shape) => shape.Count(v => v > 1) <= 1;

        private static bool IsFlattenLike(OnnxNode n) => n.OpType is "Flatten" or "Reshape" or "Squeeze";

        /// <summary>The ways to match step <paramref name="s"/>: each one changes the state, or throws if its node does not fit.</summary>
        private List<Action> Options(LayerInfo s)
        {
            switch (s.Kind)
            {
                case LayerKind.Residual: return ResidualOptions(s);
                case LayerKind.Concat: return ConcatOptions(s);
                case LayerKind.Multiply: return MultiplyOptions(s);
            }
            string value = _state.Value[s.Inputs[0]];
            var options = new List<Action>();
            List<(OnnxNode Node, List<OnnxNode> Through)> consumers = Consumers(value, VectorLike(s.InputShape));
            foreach (var (node, through) in consumers)
            {
                if (!Accepts(s, node)) continue;
                options.Add(() =>
                {
                    string passed = _state.Value[s.Inputs[0]];
                    foreach (OnnxNode t in through)
                    {
                        CheckFlattenLike(t, passed);
                        _state.Done.Add(t);
                        passed = t.Outputs[0];
                        _state.Rank[passed] = 2;
                    }
                    MatchNode(s, node);
                });
            }
            // Layers a model may leave out: Dropout (exporters drop it), a Flatten that moves no value, a BatchNorm folded into the layer before it.
            bool optional = s.Kind == LayerKind.Dropout || (s.Kind == LayerKind.Flatten && VectorLike(s.InputShape))
                || (s.Kind == LayerKind.BatchNorm && !consumers.Any(c => c.Node.OpType == "BatchNormalization"));
            if (optional) options.Add(() => Skip(s, value));
            if (options.Count == 0) throw NoMatch(s, value, consumers.Select(c => c.Node).ToList());
            return options;
        }

        /// <summary>Why no node fits step <paramref name="s"/>: the model ends there, has another operator, or one CnnGen cannot express.</summary>
        private InvalidDataException NoMatch(LayerInfo s, string value, List<OnnxNode> consumers)
        {
            if (consumers.Count == 0)
                return Mismatch($"layer '{s.Name}' ({LayerKinds.AttributeName(s.Kind)}) is declared, but the model ends before it (its last operation gives '{value}')");
            OnnxNode node = consumers[0];
            if (!Supported.Contains(node.OpType))
                return Mismatch($"the model uses {node.Label}, which CnnGen layers cannot express (supported: {string.Join(", ", Supported)})");
            return Mismatch($"layer '{s.Name}' is declared as {LayerKinds.AttributeName(s.Kind)}, but the model has {node.Label} there");
        }

        private static readonly string[] Supported =
        {
            "Conv", "Gemm", "MatMul", "Add", "Sum", "Mul", "Sub", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
            "ReduceMean", "ReduceMax", "Relu", "LeakyRelu", "Elu", "Sigmoid", "Tanh", "Softmax", "Clip", "HardSigmoid", "HardSwish", "Concat",
            "Resize", "Upsample", "Pad", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Dropout", "Identity",
        };

        /// <summary>Whether <paramref name="node"/>'s operator can be step <paramref name="s"/> (its attributes are checked when it is matched).</summary>
        private bool Accepts(LayerInfo s, OnnxNode node) => s.Kind switch
        {
            LayerKind.Conv or LayerKind.DepthwiseConv => node.OpType == "Conv",
            LayerKind.Dense => node.OpType is "Gemm" or "MatMul" || (node.OpType == "Conv" && VectorLike(s.InputShape)),
            LayerKind.BatchNorm => node.OpType == "BatchNormalization",
            LayerKind.MaxPool => node.OpType == "MaxPool",
            LayerKind.AvgPool => node.OpType == "AveragePool",
            LayerKind.GlobalAvgPool => node.OpType is "GlobalAveragePool" or "ReduceMean",
            LayerKind.GlobalMaxPool => node.OpType is "GlobalMaxPool" or "ReduceMax",
            LayerKind.Flatten => IsFlattenLike(node),
            LayerKind.ReLU => node.OpType == "Relu",
            LayerKind.LeakyReLU => node.OpType == "LeakyRelu",
            LayerKind.ELU => node.OpType == "Elu",
            LayerKind.Sigmoid => node.OpType == "Sigmoid",
            LayerKind.Tanh => node.OpType == "Tanh",
            LayerKind.Softmax => node.OpType == "Softmax",
            LayerKind.ReLU6 => node.OpType == "Clip",
            LayerKind.HardSigmoid => node.OpType == "HardSigmoid",
            LayerKind.HardSwish => node.OpType is "HardSwish" or "HardSigmoid",
            LayerKind.SiLU => node.OpType == "Sigmoid",
            LayerKind.Upsample => node.OpType is "Resize" or "Upsample",
            LayerKind.ZeroPad => node.OpType == "Pad",
            _ => false,
        };

        /// <summary>A step the model leaves out: its output is its input.</summary>
        private void Skip(LayerInfo s, string value)
        {
            if (s.Kind == LayerKind.BatchNorm) IdentityBatchNorm(s);
            _state.Value[s.Output] = value;
        }

        private void SetOutput(LayerInfo s, OnnxNode node, int rank)
        {
            _state.Done.Add(node);
            string output = node.Outputs[0];
            _state.Value[s.Output] = output;
            _state.Rank[output] = rank;
        }

        private int RankOf(string value) => _state.Rank.TryGetValue(value, out int r) ? r : 0;

        private OnnxTensor Constant(string name, string role) => _constants.Get(name, role);

        private float[] Assemble()
        {
            var flat = new float[_spec.ParameterCount];
            foreach (ParameterTensor t in _spec.Parameters)
            {
                LayerInfo l = _a.Layers[t.Layer];
                if (!_state.Weights.TryGetValue((t.Layer, t.Suffix), out float[]? values))
                {
                    throw Mismatch(t.Suffix == "bias"
                        ? $"layer '{l.Name}' is declared with a bias, but the model has none; declare it with Bias = false"
                        : $"the model has no {t.Suffix} for layer '{l.Name}'");
                }
                if (values.Length != t.Length)
                    throw Mismatch($"{t.Key} has {values.Length} values in the model, {t.Length} declared");
                values.CopyTo(flat, t.Offset);
            }
            return flat;
        }
    }
}

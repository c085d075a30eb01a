using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Loading;
using CnnGen.Shapes;

namespace CnnGen.Tool
{
    /// <summary>What an import found: the declaration (null when the model cannot be expressed) and what it could not express.</summary>
    internal sealed record ImportResult(NetworkDeclaration? Declaration, List<string> Problems, List<string> Notes);

    /// <summary>
    /// Turns the CNN of an ONNX graph into CnnGen layer declarations, branches included. Nodes that only compute on
    /// weights (Reshape/Transpose/Constant, as exporters emit them) are folded by <see cref="OnnxConstants"/>, as the
    /// loader folds them; Identity and inference Dropout pass their input on. The data nodes form a DAG from the one
    /// graph input to the one output, read as a series of steps: where a value has several readers, the branches
    /// run to the first node where they all join again (the value's post-dominator), and that merge says what they
    /// are: an Add (or Sum) of two of them a Residual, a Concat along the channels a Concat, a Mul of the value by what
    /// it computes a Multiply (Sigmoid alone: SiLU; HardSigmoid alone: HardSwish). Each branch is read the same way,
    /// so nested structures become nested blocks. The layers of the branches become [Block] types
    /// (<see cref="Emitter"/>): identical ones are written once, and they are named after the PyTorch modules of their
    /// weights where the initializers keep them.
    /// </summary>
    internal sealed partial class OnnxImporter
    {
        private readonly OnnxModel _model;
        private readonly OnnxConstants _constants;
        private readonly List<string> _problems = new();
        private readonly List<string> _notes = new();
        /// <summary>The data nodes in graph (topological) order, their inputs seen through Identity and Dropout.</summary>
        private readonly List<OnnxNode> _nodes = new();
        private readonly Dictionary<OnnxNode, int> _order = new();
        private readonly Dictionary<string, List<OnnxNode>> _readers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, OnnxNode> _producer = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _alias = new(StringComparer.Ordinal);
        /// <summary>The nodes already turned into layers (or reported).</summary>
        private readonly HashSet<OnnxNode> _consumed = new();
        private readonly Dictionary<string, Info> _info = new(StringComparer.Ordinal);

        /// <summary>
        /// What is known of a value: its CnnGen shape (channels first, without the batch; null when unknown), whether
        /// CnnGen sees it as a vector (after a global pool, a Flatten or a Dense, though ONNX may keep [N, C, 1, 1]),
        /// and its ONNX rank with the batch (0 when unknown).
        /// </summary>
        private readonly record struct Info(int[]? Shape, bool Vector, int Rank);

        private OnnxImporter(OnnxModel model)
        {
            _model = model;
            _constants = new OnnxConstants(model, null, message => new InvalidDataException(message));
        }

        public static ImportResult Import(OnnxModel model, string typeName) => new OnnxImporter(model).Run(typeName);

        private ImportResult Run(string typeName)
        {
            List<OnnxValue> data = _model.Inputs.Where(i => !_constants.IsConstant(i.Name)).ToList();
            if (data.Count != 1)
                return Fail($"a CnnGen network has one data input, but the model has {data.Count} ({string.Join(", ", data.Select(d => "'" + d.Name + "'"))})");
            if (data[0].Shape is not { Length: >= 3 and <= 5 } inputShape || inputShape.Skip(1).Any(v => v <= 0))
                return Fail($"the input '{data[0].Name}' has shape {Show(data[0].Shape)}; CnnGen needs a fixed [N, C, spatial...] with 1 to 3 spatial dimensions");
            int[] input = inputShape.Skip(1).Select(v => (int)v).ToArray();
            string source = data[0].Name;
            _info[source] = new Info(input, false, inputShape.Length);

            Prepare();
            if (_model.Outputs.Count == 0) return Fail("the model has no output");
            if (_model.Outputs.Count > 1) _problems.Add($"the model has {_model.Outputs.Count} outputs; a CnnGen network has one");
            string sink = Resolve(_model.Outputs[0].Name);
            if (sink == source) return Fail("the graph has no layers on its data path");

            HashSet<OnnxNode> descendants = Reach(new[] { source }, n => n.Outputs, v => Readers(v));
            HashSet<OnnxNode> ancestors = Reach(new[] { sink }, n => DataInputs(n), v => _producer.TryGetValue(v, out OnnxNode? p) ? new[] { p } : Array.Empty<OnnxNode>());
            if (!ancestors.Any(n => DataInputs(n).Contains(source)))
                return Fail($"the model's output '{_model.Outputs[0].Name}' is not computed from its input '{source}'");
            var graph = new HashSet<OnnxNode>(descendants.Where(ancestors.Contains));
            foreach (OnnxNode node in _nodes.Where(n => !graph.Contains(n)))
            {
                _problems.Add($"{node.Label} (reading '{DataInputs(node).FirstOrDefault()}') does not lead to the model's output; CnnGen computes one output");
                _consumed.Add(node);
            }

            List<Item> items = Parse(source, sink, graph, null);
            if (items.Count == 0 && _problems.Count == 0) _problems.Add("the graph has no layers on its data path");
            if (_problems.Count > 0) return new ImportResult(null, _problems, _notes);

            NetworkDeclaration declaration = new Emitter(typeName, names: true).Network(items, input);
            NetworkAnalysis analysis = NetworkChecker.Analyze(declaration);
            if (analysis.Findings.Any(f => f.RuleId == Rules.BadLayerName.Id))
            {
                _notes.Add("the weights' module names would name two layers alike; the layers keep CnnGen's default names");
                declaration = new Emitter(typeName, names: false).Network(items, input);
            }
            else if (!analysis.HasErrors)
            {
                var names = new HashSet<string>(analysis.Layers.Select(l => l.Name), StringComparer.Ordinal);
                List<string> unfit = Emitter.Modules(new List<List<Item>?> { items }).Where(m => !names.Contains(m)).ToList();
                if (unfit.Count > 0)
                    _notes.Add($"the module names of {string.Join(", ", unfit.Take(3).Select(m => "'" + m + "'"))}{(unfit.Count > 3 ? $" and {unfit.Count - 3} more" : "")} do not fit under the name of the block use they are in; those layers keep CnnGen's default names (the .onnx loads; a state_dict would not load by name)");
            }
            return new ImportResult(declaration, _problems, _notes);

            ImportResult Fail(string why) => new(null, new List<string> { why }, _notes);
        }

        // ---- the graph --------------------------------------------------------------------------------------------

        /// <summary>Folds the constants, passes Identity and Dropout, and indexes the data nodes by what they read and write.</summary>
        private void Prepare()
        {
            foreach (OnnxNode original in _constants.SplitData(_model.Nodes))
            {
                var node = new OnnxNode
                {
                    OpType = original.OpType, Name = original.Name, Domain = original.Domain, Attributes = original.Attributes,
                    Inputs = original.Inputs.Select(i => i.Length > 0 ? Resolve(i) : i).ToList(), Outputs = original.Outputs,
                };
                if (node.OpType is "Identity" or "Dropout" && node.Domain is "" or "ai.onnx" && node.Inputs.Count > 0 && node.Outputs.Count > 0)
                {
                    PassThrough(node);
                    _alias[node.Outputs[0]] = node.Inputs[0];
                    continue;
                }
                _order[node] = _nodes.Count;
                _nodes.Add(node);
                foreach (string input in DataInputs(node).Distinct())
                {
                    if (!_readers.TryGetValue(input, out var list)) _readers[input] = list = new List<OnnxNode>();
                    list.Add(node);
                }
                foreach (string output in node.Outputs.Where(o => o.Length > 0)) _producer[output] = node;
            }
        }

        /// <summary>Identity, and Dropout at inference, give their input: a note, or a problem where the model needs more.</summary>
        private void PassThrough(OnnxNode node)
        {
            if (node.OpType == "Dropout")
            {
                if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0 && _model.Nodes.Any(n => n.Inputs.Contains(node.Outputs[1])))
                {
                    _problems.Add($"{node.Label}: its mask output is used; CnnGen's Dropout is the identity at inference");
                    return;
                }
                if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0 && _constants.TryGet(node.Inputs[2], out OnnxTensor mode) && (mode.Ints ?? Array.Empty<long>()).Any(v => v != 0))
                {
                    _problems.Add($"{node.Label} is in training mode; export the model in eval mode (model.eval())");
                    return;
                }
            }
            _notes.Add($"{node.Label} does nothing at inference and is left out");
        }

        private string Resolve(string value) => _alias.TryGetValue(value, out string? source) ? Resolve(source) : value;

        /// <summary>The inputs of <paramref name="node"/> that are data, not weights, in order (a value read twice is listed twice).</summary>
        private List<string> DataInputs(OnnxNode node) => node.Inputs.Where(i => i.Length > 0 && !_constants.IsConstant(i)).ToList();

        private List<OnnxNode> Readers(string value) => _readers.TryGetValue(value, out var list) ? list : new List<OnnxNode>();

        /// <summary>The readers of <paramref name="value"/> within <paramref name="nodes"/> not turned into layers yet, in graph order.</summary>
        private List<OnnxNode> Readers(string value, HashSet<OnnxNode> nodes) => Readers(value).Where(n => nodes.Contains(n) && !_consumed.Contains(n)).ToList();

        private static HashSet<OnnxNode> Reach(IEnumerable<string> start, Func<OnnxNode, IEnumerable<string>> next, Func<string, IEnumerable<OnnxNode>> step)
        {
            var seen = new HashSet<OnnxNode>();
            var values = new Stack<string>(start);
            var visited = new HashSet<string>(StringComparer.Ordinal);
            while (values.Count > 0)
            {
                string v = values.Pop();
                if (!visited.Add(v)) continue;
                foreach (OnnxNode n in step(v))
                    if (seen.Add(n))
                        foreach (string w in next(n)) values.Push(w);
            }
            return seen;
        }

        private Info InfoOf(string value) => _info.TryGetValue(value, out Info info) ? info : new Info(null, false, 0);

        // ---- what the layers become --------------------------------------------------------------------------------

        /// <summary>One step of a list of layers: a layer, or a use of blocks.</summary>
        internal abstract class Item
        {
            public int[]? InShape { get; init; }
            public int[]? OutShape { get; set; }
        }

        /// <summary>A layer; <see cref="Module"/> is the PyTorch module its weights came from ("layer1.0.conv1"), if they say.</summary>
        internal sealed class LayerItem : Item
        {
            public LayerItem(LayerDeclaration layer, string? module)
            {
                Layer = layer;
                Module = module;
            }

            public LayerDeclaration Layer { get; set; }
            public string? Module { get; }
        }

        /// <summary>
        /// A Residual (parts: block, then the shortcut or null for the identity), a Concat (the branches, null for x
        /// itself) or a Multiply (the gate). <see cref="Merge"/> is the node that joins them, whose exporter scope may
        /// name the module ("/layer1/layer1.0/Add").
        /// </summary>
        internal sealed class UseItem : Item
        {
            public UseItem(LayerKind kind, List<List<Item>?> parts, OnnxNode merge)
            {
                Kind = kind;
                Parts = parts;
                Merge = merge;
            }

            public LayerKind Kind { get; }
            public List<List<Item>?> Parts { get; }
            public OnnxNode Merge { get; }
            public bool ReLU { get; set; }
        }

        // ---- the structure -----------------------------------------------------------------------------------------

        /// <summary>
        /// The layers from value <paramref name="from"/> to value <paramref name="to"/> through <paramref name="nodes"/>
        /// (every node of which lies on a path between the two). <paramref name="gateTail"/>: the reshapes that only make a
        /// gate broadcast, which are no layer.
        /// </summary>
        private List<Item> Parse(string from, string to, HashSet<OnnxNode> nodes, HashSet<OnnxNode>? gateTail)
        {
            var items = new List<Item>();
            var chain = new Chain(items, gateTail);
            string current = from;
            while (current != to)
            {
                List<OnnxNode> readers = Readers(current, nodes);
                if (readers.Count == 0)
                {
                    _problems.Add($"the value '{current}' is not read on the way to '{to}'");
                    break;
                }
                OnnxNode first = readers[0];
                if (readers.Count == 1 && DataInputs(first).Distinct().Count() == 1)
                {
                    _consumed.Add(first);
                    if (DataInputs(first).Count > 1)
                    {
                        _problems.Add($"{first.Label} combines '{current}' with itself ({first.OpType}(x, x)), which no CnnGen layer computes");
                        current = Unknown(first, current);
                    }
                    else current = MapNode(first, current, chain);
                    continue;
                }
                if (readers.Count == 1)
                {
                    _consumed.Add(first);
                    _problems.Add($"{first.Label} reads '{DataInputs(first).First(v => v != current)}', which is computed outside the branch of '{current}'");
                    current = Unknown(first, current);
                    continue;
                }
                string? after = Merge(current, to, nodes, items);
                if (after is null) break;
                chain.Affine = null;
                current = after;
            }
            return items;
        }

        /// <summary>After a node that became no layer: its output is taken to be like its input, so the rest can still be read.</summary>
        private string Unknown(OnnxNode node, string input)
        {
            string output = node.Outputs.Count > 0 && node.Outputs[0].Length > 0 ? node.Outputs[0] : input;
            _info[output] = InfoOf(input);
            return output;
        }

        /// <summary>
        /// Where the branches from <paramref name="x"/> join again: the first node after which a single value is left
        /// open, walking the nodes in graph order. Returns the nodes up to it, or null with a problem.
        /// </summary>
        private (List<OnnxNode> Region, OnnxNode Merge)? Region(string x, string to, HashSet<OnnxNode> nodes)
        {
            var open = new Dictionary<string, int>(StringComparer.Ordinal) { [x] = Readers(x, nodes).Count };
            var region = new List<OnnxNode>();
            foreach (OnnxNode n in nodes.Where(n => !_consumed.Contains(n)).OrderBy(n => _order[n]))
            {
                List<string> inputs = DataInputs(n).Distinct().ToList();
                if (!inputs.Any(open.ContainsKey)) continue; // after the merge
                region.Add(n);
                foreach (string v in inputs)
                {
                    if (!open.TryGetValue(v, out int left)) continue;
                    if (left <= 1) open.Remove(v);
                    else open[v] = left - 1;
                }
                foreach (string o in n.Outputs.Where(o => o.Length > 0))
                {
                    int readers = o == to ? 1 : Readers(o, nodes).Count;
                    if (readers > 0) open[o] = readers;
                }
                if (open.Count == 1 && open.ContainsKey(n.Outputs[0])) return (region, n);
            }
            foreach (OnnxNode n in region) _consumed.Add(n);
            _problems.Add($"the branches that read '{x}' ({string.Join(", ", Readers(x).Where(nodes.Contains).Select(r => r.Label))}) do not join again; CnnGen computes one output");
            return null;
        }

        /// <summary>The merge of the branches from <paramref name="x"/>, added to <paramref name="items"/>; returns the value after it, or null.</summary>
        private string? Merge(string x, string to, HashSet<OnnxNode> nodes, List<Item> items)
        {
            if (Region(x, to, nodes) is not var (region, merge)) return null;
            var inner = new HashSet<OnnxNode>(region.Where(n => n != merge));
            List<string> inputs = DataInputs(merge);
            List<HashSet<OnnxNode>> sides = inputs.Select(u => Ancestors(u, inner)).ToList();
            string output = merge.Outputs[0];
            Info xi = InfoOf(x);

            string? why = null;
            var counts = new Dictionary<OnnxNode, int>();
            foreach (OnnxNode n in sides.SelectMany(s => s)) counts[n] = counts.TryGetValue(n, out int c) ? c + 1 : 1;
            if (!merge.Domain.Equals("", StringComparison.Ordinal) && merge.Domain != "ai.onnx")
                why = $"{merge.Label} is from the operator domain '{merge.Domain}', which CnnGen does not support";
            else if (counts.FirstOrDefault(kv => kv.Value > 1).Key is { } shared)
                why = $"{merge.Label} joins branches from '{x}' that share {shared.Label}; CnnGen's branches each start from the same input and compute apart (DenseNet-style reuse of a branch's features has no attribute)";
            else if (region.FirstOrDefault(n => n.OpType == "Shape") is { } shape)
                why = $"{shape.Label} reads the shape of '{x}' while the model runs (for {merge.Label}); export with fixed shapes (torch.flatten(x, 1) rather than x.view(x.size(0), -1))";
            else if (merge.Inputs.Count != inputs.Count)
                why = $"{merge.Label} joins branches from '{x}' with a constant; CnnGen's merges join computed branches only";
            if (why is null)
            {
                switch (merge.OpType)
                {
                    case "Add" or "Sum" when inputs.Count == 2:
                    {
                        if (inputs.All(u => u == x)) { why = $"{merge.Label} adds '{x}' to itself, which no CnnGen layer computes"; break; }
                        int body = sides[0].Count >= sides[1].Count ? 0 : 1;
                        List<Item> block = Parse(x, inputs[body], sides[body], null);
                        List<Item>? shortcut = inputs[1 - body] == x ? null : Parse(x, inputs[1 - body], sides[1 - body], null);
                        _consumed.Add(merge);
                        Info sum = InfoOf(inputs[body]) with { Rank = xi.Rank };
                        var use = new UseItem(LayerKind.Residual, new List<List<Item>?> { block, shortcut }, merge) { InShape = xi.Shape, OutShape = sum.Shape };
                        _info[output] = sum;
                        // ReLU on the sum, as ResNet's blocks end (the Relu must be the sum's only reader, as the loader checks).
                        if (output != to && Readers(output, nodes) is [{ OpType: "Relu" } relu] && DataInputs(relu).Count == 1 && (relu.Domain is "" or "ai.onnx"))
                        {
                            _consumed.Add(relu);
                            use.ReLU = true;
                            _info[relu.Outputs[0]] = _info[output];
                            output = relu.Outputs[0];
                        }
                        items.Add(use);
                        return output;
                    }
                    case "Concat":
                    {
                        long axis = merge.Int("axis", 1);
                        if (xi.Rank > 0 && axis < 0) axis += xi.Rank;
                        if (axis != 1) { why = $"{merge.Label} joins along axis {merge.Int("axis", 1)}; CnnGen's Concat joins the channels (axis 1)"; break; }
                        var parts = new List<List<Item>?>();
                        for (int i = 0; i < inputs.Count; i++) parts.Add(inputs[i] == x ? null : Parse(x, inputs[i], sides[i], null));
                        _consumed.Add(merge);
                        var ends = inputs.Select(InfoOf).ToList();
                        int[]? shape = ends.All(e => e.Shape is { Length: > 0 }) ? new[] { ends.Sum(e => e.Shape![0]) }.Concat(ends[0].Shape!.Skip(1)).ToArray() : null;
                        items.Add(new UseItem(LayerKind.Concat, parts, merge) { InShape = xi.Shape, OutShape = shape });
                        _info[output] = new Info(shape, xi.Vector, xi.Rank);
                        return output;
                    }
                    case "Mul" when inputs.Count == 2:
                    {
                        if (inputs.Count(u => u == x) != 1)
                        {
                            why = inputs.All(u => u == x)
                                ? $"{merge.Label} multiplies '{x}' by itself, which no CnnGen layer computes"
                                : $"{merge.Label} multiplies two values computed from '{x}'; CnnGen's Multiply scales x itself by a gate computed from it";
                            break;
                        }
                        int g = inputs[0] == x ? 1 : 0;
                        HashSet<OnnxNode> tail = GateTail(inputs[g], sides[g]);
                        List<Item> gate = Parse(x, inputs[g], sides[g], tail);
                        _consumed.Add(merge);
                        _info[output] = xi;
                        // z * sigmoid(z) is SiLU, z * hard_sigmoid(z) HardSwish: one layer each.
                        if (gate is [LayerItem { Layer.Kind: LayerKind.Sigmoid or LayerKind.HardSigmoid } f])
                        {
                            var kind = f.Layer.Kind == LayerKind.Sigmoid ? LayerKind.SiLU : LayerKind.HardSwish;
                            items.Add(new LayerItem(new LayerDeclaration(kind), null) { InShape = xi.Shape, OutShape = xi.Shape });
                        }
                        else items.Add(new UseItem(LayerKind.Multiply, new List<List<Item>?> { gate }, merge) { InShape = xi.Shape, OutShape = xi.Shape });
                        return output;
                    }
                    default:
                        why = $"{merge.Label} joins {inputs.Count} values computed from '{x}' ({string.Join(", ", inputs.Select(u => "'" + u + "'"))}); CnnGen joins branches with Add (Residual), Concat along the channels (Concat) and Mul of x by a gate (Multiply)";
                        break;
                }
            }
            _problems.Add(why!);
            foreach (OnnxNode n in region) _consumed.Add(n);
            return Unknown(merge, x);
        }

        /// <summary>The nodes of <paramref name="within"/> that <paramref name="value"/> is computed from.</summary>
        private HashSet<OnnxNode> Ancestors(string value, HashSet<OnnxNode> within)
        {
            var found = new HashSet<OnnxNode>();
            var stack = new Stack<string>();
            stack.Push(value);
            while (stack.Count > 0)
            {
                if (!_producer.TryGetValue(stack.Pop(), out OnnxNode? p) || !within.Contains(p) || !found.Add(p)) continue;
                foreach (string v in DataInputs(p)) stack.Push(v);
            }
            return found;
        }

        /// <summary>The reshapes at the end of a gate that only make its [N, C] broadcast over x ([N, C, 1, 1]).</summary>
        private HashSet<OnnxNode> GateTail(string gate, HashSet<OnnxNode> side)
        {
            var tail = new HashSet<OnnxNode>();
            while (_producer.TryGetValue(gate, out OnnxNode? p) && side.Contains(p) && p.OpType is "Reshape" or "Unsqueeze" or "Squeeze" or "Flatten"
                   && DataInputs(p).Count == 1 && tail.Count < 8)
            {
                tail.Add(p);
                gate = DataInputs(p)[0];
            }
            return tail;
        }

        private static string Show(long[]? shape) => shape is null ? "unknown" : "[" + string.Join(", ", shape) + "]";
    }
}

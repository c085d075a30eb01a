using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CnnGen.Loading
{
    /// <summary>
    /// The constants of an ONNX graph: initializers, Constant nodes and what exporters compute from them on the way to
    /// a layer (Identity, Cast to float, Reshape, Squeeze/Unsqueeze, Transpose), folded as the graph is walked. Nodes it
    /// cannot evaluate are remembered, so asking for their output names the node. Used by the weight loader and by
    /// `cnngen import`.
    /// </summary>
    internal sealed class OnnxConstants
    {
        private readonly Dictionary<string, OnnxTensor> _values;
        private readonly Dictionary<string, OnnxNode> _unfoldable = new();
        private readonly Func<string, InvalidDataException> _error;

        /// <param name="model">The model whose initializers are the first constants.</param>
        /// <param name="extra">Tensors given apart from the model (ONNX test data passes weights as inputs).</param>
        /// <param name="error">Makes the exception for a malformed constant, with the caller's context.</param>
        public OnnxConstants(OnnxModel model, IReadOnlyDictionary<string, OnnxTensor>? extra, Func<string, InvalidDataException> error)
        {
            _values = new Dictionary<string, OnnxTensor>(model.Initializers);
            if (extra is not null) foreach (var kv in extra) _values[kv.Key] = kv.Value;
            _error = error;
        }

        /// <summary>Whether <paramref name="name"/> is a constant, folded or not.</summary>
        public bool IsConstant(string name) => _values.ContainsKey(name) || _unfoldable.ContainsKey(name);

        public bool TryGet(string name, out OnnxTensor tensor) => _values.TryGetValue(name, out tensor!);

        /// <summary>
        /// Folds the constants among <paramref name="nodes"/> (in graph order: Constant nodes and computations on weights) and
        /// returns the others: the nodes that compute on the data, whatever the graph's shape (branches and merges included).
        /// </summary>
        public List<OnnxNode> SplitData(IEnumerable<OnnxNode> nodes)
        {
            var data = new List<OnnxNode>();
            foreach (OnnxNode node in nodes)
            {
                if (node.OpType == "Constant") Add(node);
                else if (CanFold(node)) Fold(node);
                else data.Add(node);
            }
            return data;
        }

        /// <summary>Whether every input of <paramref name="node"/> is a constant, so <see cref="Fold"/> applies.</summary>
        private bool CanFold(OnnxNode node) => node.Inputs.Where(i => i.Length > 0).All(IsConstant);

        /// <summary>Records a Constant node's value.</summary>
        private void Add(OnnxNode node)
        {
            if (node.Attributes.TryGetValue("value", out var v) && v.T is { } t) _values[node.Outputs[0]] = Rename(t, node.Outputs[0]);
            else _unfoldable[node.Outputs[0]] = node;
        }

        /// <summary>The constant <paramref name="name"/>, or an error that says why it is not one (<paramref name="role"/> names it).</summary>
        public OnnxTensor Get(string name, string role)
        {
            if (_values.TryGetValue(name, out var t)) return t;
            if (_unfoldable.TryGetValue(name, out var node))
                throw _error($"{role} '{name}' is computed by {node.Label}, which CnnGen cannot evaluate at load time");
            throw _error($"{role} '{name}' is not a constant in the model (weights must be initializers)");
        }

        private static OnnxTensor Rename(OnnxTensor t, string name) => new(name, t.Dims, t.DataType, t.Floats, t.Ints);

        /// <summary>Folds <paramref name="node"/>, whose inputs are all constants (<see cref="CanFold"/>); what it cannot evaluate is remembered as such.</summary>
        private void Fold(OnnxNode node)
        {
            string output = node.Outputs.Count > 0 ? node.Outputs[0] : "";
            if (node.Inputs.Where(i => i.Length > 0).Any(i => _unfoldable.ContainsKey(i)))
            {
                _unfoldable[output] = node;
                return;
            }
            OnnxTensor Input(int i) => _values[node.Inputs[i]];
            switch (node.OpType)
            {
                case "Identity":
                case "Cast" when Input(0).Floats is not null && node.Int("to", 1) == OnnxTensor.Float:
                    _values[output] = Rename(Input(0), output);
                    break;
                case "Reshape":
                {
                    OnnxTensor x = Input(0);
                    long[] target = Input(1).Ints ?? throw _error($"{node.Label}: the shape is not an integer tensor");
                    _values[output] = new OnnxTensor(output, ResolveReshape(x.Dims, target, node), x.DataType, x.Floats, x.Ints);
                    break;
                }
                case "Squeeze":
                case "Unsqueeze":
                {
                    OnnxTensor x = Input(0);
                    long[] axes = node.Ints("axes") ?? (node.Inputs.Count > 1 ? Input(1).Ints : null) ?? Array.Empty<long>();
                    var dims = x.Dims.ToList();
                    if (node.OpType == "Squeeze")
                        dims = axes.Length == 0 ? dims.Where(d => d != 1).ToList() : dims.Where((d, i) => !axes.Select(a => a < 0 ? a + x.Dims.Length : a).Contains(i)).ToList();
                    else
                        foreach (long a in axes.Select(a => a < 0 ? a + x.Dims.Length + axes.Length : a).OrderBy(a => a)) dims.Insert((int)Math.Min(a, dims.Count), 1);
                    _values[output] = new OnnxTensor(output, dims.ToArray(), x.DataType, x.Floats, x.Ints);
                    break;
                }
                case "Transpose":
                {
                    OnnxTensor x = Input(0);
                    float[] values = x.RequireFloats("transposed constant");
                    int rank = x.Dims.Length;
                    long[] perm = node.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
                    if (perm.Length != rank || perm.Distinct().Count() != rank || perm.Any(p => p < 0 || p >= rank))
                        throw _error($"{node.Label}: perm {List(perm)} does not fit a tensor of rank {rank}");
                    _values[output] = new OnnxTensor(output, perm.Select(p => x.Dims[p]).ToArray(), OnnxTensor.Float, Permute(values, x.Dims, perm), null);
                    break;
                }
                default:
                    _unfoldable[output] = node;
                    break;
            }
        }

        private long[] ResolveReshape(long[] dims, long[] target, OnnxNode node)
        {
            long count = dims.Aggregate(1L, (a, b) => a * b);
            var result = target.Select((t, i) => t == 0 && i < dims.Length ? dims[i] : t).ToArray();
            int unknown = Array.IndexOf(result, -1L);
            long known = result.Where(v => v != -1).Aggregate(1L, (a, b) => a * b);
            if (unknown >= 0 && known > 0) result[unknown] = count / known;
            if (result.Aggregate(1L, (a, b) => a * b) != count || result.Any(v => v < 0))
                throw _error($"{node.Label}: cannot reshape {List(dims)} to {List(target)}");
            return result;
        }

        private static float[] Permute(float[] values, long[] dims, long[] perm)
        {
            int rank = dims.Length;
            var result = new float[values.Length];
            var outDims = perm.Select(p => dims[p]).ToArray();
            var inStrides = new long[rank];
            long s = 1;
            for (int i = rank - 1; i >= 0; i--) { inStrides[i] = s; s *= dims[i]; }
            var index = new long[rank];
            for (int o = 0; o < result.Length; o++)
            {
                long src = 0;
                for (int i = 0; i < rank; i++) src += index[i] * inStrides[perm[i]];
                result[o] = values[src];
                for (int i = rank - 1; i >= 0; i--)
                {
                    if (++index[i] < outDims[i]) break;
                    index[i] = 0;
                }
            }
            return result;
        }

        private static string List(IEnumerable<long> v) => "[" + string.Join(", ", v) + "]";
    }
}

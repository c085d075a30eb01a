using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Loading
{
    /// <summary>
    /// Walks an ONNX graph along its data path and matches each operation to the next declared layer, checking every
    /// attribute (kernel, strides, pads or auto_pad, dilations, count_include_pad, alpha, epsilon) and collecting the
    /// weights in the declared layouts. Constant sub-graphs (Reshape/Transpose of initializers, Constant nodes) are folded.
    /// </summary>
    internal sealed class OnnxWeightMatcher
    {
        private readonly OnnxModel _model;
        private readonly NetworkSpec _spec;
        private readonly IReadOnlyList<LayerInfo> _layers;
        private readonly OnnxConstants _constants;
        private readonly Dictionary<(int Layer, string Suffix), float[]> _values = new();
        private int _next;
        private string _current = "";
        private int[] _shape;
        private int _rank; // the rank of the model's data tensor, batch included
        private LayerInfo? _affine; // the last Conv/Dense when nothing but its bias/BN has followed it

        private OnnxWeightMatcher(OnnxModel model, NetworkSpec spec, IReadOnlyDictionary<string, OnnxTensor>? extra)
        {
            _model = model;
            _spec = spec;
            _layers = spec.Analysis.Layers.ToList();
            _constants = new OnnxConstants(model, extra, message => Mismatch(message));
            _shape = spec.Analysis.InputShape.ToArray();
        }

        /// <summary>The flat parameter array of <paramref name="spec"/> from the model's weights.</summary>
        /// <param name="model">The model read from its file.</param>
        /// <param name="spec">The declared network.</param>
        /// <param name="extra">Tensors given apart from the model (ONNX test data passes weights as inputs).</param>
        /// <param name="checkInput">Whether the graph input's shape must be [N, spec input...].</param>
        public static float[] Match(OnnxModel model, NetworkSpec spec, IReadOnlyDictionary<string, OnnxTensor>? extra = null, bool checkInput = true)
        {
            var m = new OnnxWeightMatcher(model, spec, extra);
            m.Walk(checkInput);
            return m.Assemble();
        }

        private string Net => _spec.Name;

        private InvalidDataException Mismatch(string message) => new($"{Net}: {message}");

        private static string List(IEnumerable<long> v) => "[" + string.Join(", ", v) + "]";

        private static string List(IEnumerable<int> v) => "[" + string.Join(", ", v) + "]";

        private void Walk(bool checkInput)
        {
            List<OnnxValue> data = _model.Inputs.Where(i => !_constants.IsConstant(i.Name)).ToList();
            if (data.Count != 1)
                throw Mismatch($"a sequential CNN has one data input, but the model has {data.Count} inputs that are not weights ({string.Join(", ", data.Select(d => "'" + d.Name + "'"))})");
            _current = data[0].Name;
            _rank = data[0].Shape?.Length ?? _shape.Length + 1;
            if (checkInput && data[0].Shape is { } shape) CheckInputShape(shape);

            foreach (OnnxNode node in _constants.DataPath(_model.Nodes, () => _current,
                         off => throw Mismatch($"the model is not a sequential CNN: {off.Label} does not take the output of the previous operation ('{_current}')")))
                Process(node);

            while (_next < _layers.Count && IsSkippableFlatten(_layers[_next])) _next++;
            if (_next < _layers.Count)
                throw Mismatch($"layer '{_layers[_next].Name}' ({_layers[_next].Kind}) is declared, but the model ends before it (its last operation gives '{_current}')");
            if (_model.Outputs.Count > 1)
                throw Mismatch($"the model has {_model.Outputs.Count} outputs ({string.Join(", ", _model.Outputs.Select(o => "'" + o.Name + "'"))}); a CnnGen network has one");
            if (_model.Outputs.Count > 0 && !_model.Outputs.Any(o => o.Name == _current))
                throw Mismatch($"the declared layers end at '{_current}', but the model's output is {string.Join(", ", _model.Outputs.Select(o => "'" + o.Name + "'"))}");
        }

        private void CheckInputShape(long[] shape)
        {
            int[] want = _spec.Analysis.InputShape.ToArray();
            long[] sample = shape.Length == want.Length + 1 ? shape.Skip(1).ToArray() : shape;
            bool ok = sample.Length == want.Length && sample.Zip(want, (m, w) => m <= 0 || m == w).All(x => x);
            if (!ok)
                throw Mismatch($"the declared input is {List(want)} (channels first, without the batch), but the model's input '{_current}' is {List(shape)}");
        }

        private OnnxTensor Constant(string name, string role) => _constants.Get(name, role);

        // ---- the data path -------------------------------------------------------------------------

        /// <summary>A declared Flatten that changes no value's position and that the model may leave out: on a vector, or on [C, 1, 1] / [1, L].</summary>
        private static bool IsSkippableFlatten(LayerInfo l) => l.Kind == LayerKind.Flatten && l.InputShape.Count(v => v > 1) <= 1;

        private LayerInfo Next(OnnxNode node, params LayerKind[] kinds)
        {
            while (_next < _layers.Count && IsSkippableFlatten(_layers[_next]) && !kinds.Contains(LayerKind.Flatten)) _next++;
            if (_next >= _layers.Count)
                throw Mismatch($"all {_layers.Count} declared layers are matched, but the model goes on with {node.Label}; declare the rest of the network");
            LayerInfo l = _layers[_next];
            if (!kinds.Contains(l.Kind))
                throw Mismatch($"layer '{l.Name}' is declared as {LayerKinds.AttributeName(l.Kind)}, but the model has {node.Label} there");
            _next++;
            _shape = l.OutputShape.ToArray();
            return l;
        }

        private void Advance(OnnxNode node)
        {
            if (node.Outputs.Count == 0 || node.Outputs[0].Length == 0) throw Mismatch($"{node.Label} has no output");
            _current = node.Outputs[0];
        }

        private void Process(OnnxNode node)
        {
            if (node.Domain is not ("" or "ai.onnx"))
                throw Mismatch($"{node.Label} is from the operator domain '{node.Domain}', which CnnGen does not support");
            bool keepAffine = false;
            switch (node.OpType)
            {
                case "Identity":
                case "Dropout":
                    keepAffine = _affine is not null;
                    break;
                case "Conv": Conv(node); keepAffine = true; break;
                case "Gemm": Gemm(node); keepAffine = true; _rank = 2; break;
                case "MatMul": MatMul(node); keepAffine = true; _rank = 2; break;
                case "Add": AddBias(node); keepAffine = true; break;
                case "BatchNormalization": BatchNorm(node); keepAffine = _affine is not null; break;
                case "MaxPool":
                case "AveragePool": Pool(node); break;
                case "GlobalAveragePool": Next(node, LayerKind.GlobalAvgPool); break;
                case "GlobalMaxPool": Next(node, LayerKind.GlobalMaxPool); break;
                case "Relu": Next(node, LayerKind.ReLU); break;
                case "Sigmoid": Next(node, LayerKind.Sigmoid); break;
                case "Tanh": Next(node, LayerKind.Tanh); break;
                case "LeakyRelu": CheckAlpha(Next(node, LayerKind.LeakyReLU), node, 0.01f); break;
                case "Elu": CheckAlpha(Next(node, LayerKind.ELU), node, 1f); break;
                case "Softmax": Softmax(node); break;
                case "Flatten":
                    long axis = node.Int("axis", 1);
                    if ((axis < 0 ? axis + _rank : axis) != 1)
                        throw Mismatch($"{node.Label} flattens from axis {axis} of a rank-{_rank} tensor; CnnGen's Flatten keeps the batch and flattens the rest (axis 1)");
                    FlattenLike(node);
                    _rank = 2;
                    break;
                case "Reshape":
                case "Squeeze":
                    FlattenLike(node);
                    _rank = 2;
                    break;
                default:
                    throw Mismatch($"the model uses {node.Label}, which CnnGen layers cannot express (supported: Conv, Gemm, MatMul, Add (bias), " +
                        "BatchNormalization, MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool, Relu, LeakyRelu, Elu, Sigmoid, Tanh, Softmax, Flatten, Reshape, Dropout, Identity)");
            }
            if (!keepAffine) _affine = null;
            Advance(node);
        }

        private void FlattenLike(OnnxNode node)
        {
            if (node.OpType == "Reshape")
            {
                long[] target = Constant(node.Inputs[1], "the shape of " + node.Label).Ints ?? Array.Empty<long>();
                long count = _shape.Aggregate(1L, (a, b) => a * b);
                bool toVector = target.Length == 2 && (target[1] == -1 || target[1] == count);
                bool unchanged = target.Length == _shape.Length + 1 && target.Skip(1).SequenceEqual(_shape.Select(v => (long)v));
                if (unchanged) return;
                if (!toVector) throw Mismatch($"{node.Label} reshapes {List(_shape)} to {List(target)}; only flattening to [N, {count}] is supported");
            }
            if (_next < _layers.Count && _layers[_next].Kind == LayerKind.Flatten) Next(node, LayerKind.Flatten);
            else if (_shape.Length != 1 && _shape.Skip(1).Any(v => v != 1))
                throw Mismatch(_next < _layers.Count
                    ? $"the model flattens {List(_shape)} with {node.Label}, but layer '{_layers[_next].Name}' ({LayerKinds.AttributeName(_layers[_next].Kind)}) is declared there; insert [Flatten]"
                    : $"the model flattens {List(_shape)} with {node.Label} after the last declared layer");
            else _shape = new[] { _shape.Aggregate(1, (a, b) => a * b) };
        }

        private void CheckAlpha(LayerInfo l, OnnxNode node, float fallback)
        {
            float alpha = node.Float("alpha", fallback);
            if (Math.Abs(alpha - l.Alpha) > 1e-6f * Math.Max(1f, Math.Abs(alpha)))
                throw Mismatch($"layer '{l.Name}' ({l.Kind}): declared alpha {l.Alpha}, the model's {node.Label} has alpha {alpha}");
        }

        private void Softmax(OnnxNode node)
        {
            // Opset 13 normalises one axis (default the last); earlier opsets flatten [axis..] to one (default axis 1).
            // Either way it is CnnGen's vector Softmax when it normalises the last axis of [N, L] (or, before opset 13, all of a sample).
            long given = node.Int("axis", _model.Opset >= 13 ? -1 : 1);
            long axis = given < 0 ? given + _rank : given;
            bool vector = axis == _rank - 1 || (_model.Opset < 13 && axis == 1);
            if (!vector)
                throw Mismatch($"{node.Label} normalises axis {given} of a rank-{_rank} tensor; CnnGen's Softmax normalises a vector (the last axis of [N, L])");
            Next(node, LayerKind.Softmax);
        }

        private void Store(LayerInfo l, string suffix, float[] values) => _values[(l.Index, suffix)] = values;

        private int[] ResolvePads(OnnxNode node, LayerInfo l, int[] inputSpatial)
        {
            int d = l.Kernel.Count;
            string autoPad = node.String("auto_pad", "NOTSET");
            var pads = new int[2 * d];
            switch (autoPad)
            {
                case "NOTSET":
                case "":
                    long[] given = node.Ints("pads") ?? new long[2 * d];
                    if (given.Length != 2 * d) throw Mismatch($"layer '{l.Name}': the model's pads {List(given)} do not have {2 * d} values");
                    for (int i = 0; i < 2 * d; i++) pads[i] = (int)given[i];
                    break;
                case "VALID":
                    break;
                case "SAME_UPPER":
                case "SAME_LOWER":
                    for (int k = 0; k < d; k++)
                    {
                        long effective = ShapeMath.EffectiveKernel(l.Kernel[k], l.Dilations.Count > k ? l.Dilations[k] : 1);
                        (long start, long end) = ShapeMath.SamePadding(inputSpatial[k], effective, l.Strides[k]);
                        if (autoPad == "SAME_LOWER") (start, end) = (end, start);
                        pads[k] = (int)start;
                        pads[d + k] = (int)end;
                    }
                    break;
                default:
                    throw Mismatch($"layer '{l.Name}': unknown auto_pad '{autoPad}' in {node.Label}");
            }
            return pads;
        }

        private void CheckWindow(OnnxNode node, LayerInfo l, long[] defaultStrides)
        {
            int d = l.Kernel.Count;
            string kind = LayerKinds.AttributeName(l.Kind);
            if (node.Ints("kernel_shape") is { } ks && !ks.SequenceEqual(l.Kernel.Select(v => (long)v)))
                throw Mismatch($"layer '{l.Name}' ({kind}): declared kernel {List(l.Kernel)}, the model's {node.Label} has kernel_shape {List(ks)}");
            long[] strides = node.Ints("strides") ?? defaultStrides;
            if (!strides.SequenceEqual(l.Strides.Select(v => (long)v)))
                throw Mismatch($"layer '{l.Name}' ({kind}): declared strides {List(l.Strides)}, the model's {node.Label} has strides {List(strides)}");
            int[] spatial = l.InputShape.Skip(1).ToArray();
            int[] pads = ResolvePads(node, l, spatial);
            int[] declared = l.PadsBegin.Concat(l.PadsEnd).ToArray();
            if (!pads.SequenceEqual(declared))
            {
                string how = node.String("auto_pad", "NOTSET") is "NOTSET" or "" ? "pads" : "auto_pad " + node.String("auto_pad", "") + ", that is pads";
                throw Mismatch($"layer '{l.Name}' ({kind}): declared pads {List(declared)} (begins, then ends), the model's {node.Label} has {how} {List(pads)}");
            }
        }

        private void Conv(OnnxNode node)
        {
            LayerInfo l = Next(node, LayerKind.Conv);
            if (node.Int("group", 1) != 1)
                throw Mismatch($"layer '{l.Name}': the model's {node.Label} has group = {node.Int("group", 1)} (a grouped or depthwise convolution), which CnnGen's Conv does not support");
            OnnxTensor w = Constant(node.Inputs[1], $"the weight of layer '{l.Name}'");
            int[] want = new[] { l.OutputShape[0], l.InputShape[0] }.Concat(l.Kernel).ToArray();
            if (!w.Dims.SequenceEqual(want.Select(v => (long)v)))
                throw Mismatch($"layer '{l.Name}' (Conv): declared weight [K, C, F...] = {List(want)}, the model's '{w.Name}' is {w.ShapeText}");
            long[] dilations = node.Ints("dilations") ?? Enumerable.Repeat(1L, l.Kernel.Count).ToArray();
            if (!dilations.SequenceEqual(l.Dilations.Select(v => (long)v)))
                throw Mismatch($"layer '{l.Name}' (Conv): declared dilations {List(l.Dilations)}, the model's {node.Label} has dilations {List(dilations)}");
            CheckWindow(node, l, Enumerable.Repeat(1L, l.Kernel.Count).ToArray());
            Store(l, "weight", (float[])w.RequireFloats("conv weight").Clone());
            _affine = l;
            if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
                SetBias(l, Constant(node.Inputs[2], $"the bias of layer '{l.Name}'"), 1f, node);
        }

        private void Pool(OnnxNode node)
        {
            bool max = node.OpType == "MaxPool";
            LayerInfo l = Next(node, max ? LayerKind.MaxPool : LayerKind.AvgPool);
            if (node.Ints("dilations") is { } dil && dil.Any(v => v != 1))
                throw Mismatch($"layer '{l.Name}': the model's {node.Label} has dilations {List(dil)}; CnnGen's pooling has no dilation");
            CheckWindow(node, l, Enumerable.Repeat(1L, l.Kernel.Count).ToArray());
            if (node.Int("ceil_mode", 0) != 0)
            {
                for (int k = 0; k < l.Kernel.Count; k++)
                {
                    long numerator = ShapeMath.Numerator(l.InputShape[k + 1], l.Kernel[k], l.PadsBegin[k], l.PadsEnd[k]);
                    if (numerator % l.Strides[k] != 0)
                        throw Mismatch($"layer '{l.Name}': the model's {node.Label} has ceil_mode = 1, which gives O = {ShapeMath.CeilDiv(numerator, l.Strides[k]) + 1} instead of {l.OutputShape[k + 1]} along {ShapeMath.DimensionName(l.Kernel.Count, k)}; ceil mode is not supported where it changes the output size");
                }
            }
            if (!max && (node.Int("count_include_pad", 0) != 0) != l.CountIncludePad)
                throw Mismatch($"layer '{l.Name}' (AvgPool): declared CountIncludePad = {l.CountIncludePad.ToString().ToLowerInvariant()}, the model's {node.Label} has count_include_pad = {node.Int("count_include_pad", 0)}");
        }

        private void Gemm(OnnxNode node)
        {
            LayerInfo l = Next(node, LayerKind.Dense);
            if (node.Int("transA", 0) != 0) throw Mismatch($"layer '{l.Name}': the model's {node.Label} transposes its input (transA = 1), which a Dense layer cannot express");
            bool transB = node.Int("transB", 0) != 0;
            float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
            OnnxTensor b = Constant(node.Inputs[1], $"the weight of layer '{l.Name}'");
            StoreDenseWeight(l, b, transB, alpha, node);
            _affine = l;
            if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
                SetBias(l, Constant(node.Inputs[2], $"the bias of layer '{l.Name}'"), beta, node);
        }

        private void MatMul(OnnxNode node)
        {
            LayerInfo l = Next(node, LayerKind.Dense);
            if (node.Inputs[0] != _current) throw Mismatch($"layer '{l.Name}': the model's {node.Label} multiplies the weight by the data (W x); a Dense layer computes x W");
            StoreDenseWeight(l, Constant(node.Inputs[1], $"the weight of layer '{l.Name}'"), false, 1f, node);
            _affine = l;
        }

        private void StoreDenseWeight(LayerInfo l, OnnxTensor b, bool transposed, float alpha, OnnxNode node)
        {
            int nIn = l.InputLength, nOut = l.OutputShape[0];
            long[] want = transposed ? new long[] { nOut, nIn } : new long[] { nIn, nOut };
            if (!b.Dims.SequenceEqual(want))
                throw Mismatch($"layer '{l.Name}' (Dense {nIn}->{nOut}): the model's {node.Label} weight '{b.Name}' is {b.ShapeText}, expected {List(want)}{(transposed ? " (transB = 1)" : "")}");
            float[] values = b.RequireFloats("dense weight");
            var w = new float[nOut * nIn];
            for (int o = 0; o < nOut; o++)
                for (int i = 0; i < nIn; i++)
                    w[o * nIn + i] = alpha * (transposed ? values[o * nIn + i] : values[i * nOut + o]);
            Store(l, "weight", w);
        }

        private void SetBias(LayerInfo l, OnnxTensor bias, float scale, OnnxNode node)
        {
            int units = l.OutputShape[0];
            float[] values = bias.RequireFloats("bias");
            if (!l.Bias)
                throw Mismatch($"layer '{l.Name}' is declared with Bias = false, but the model adds a bias ('{bias.Name}' in {node.Label}); remove Bias = false");
            float[] expanded;
            if (values.Length == units && bias.Dims.Count(v => v != 1) <= 1) expanded = values.Select(v => v * scale).ToArray();
            else if (values.Length == 1) expanded = Enumerable.Repeat(values[0] * scale, units).ToArray();
            else throw Mismatch($"layer '{l.Name}': the bias '{bias.Name}' in {node.Label} is {bias.ShapeText}, expected {units} values (one per {(l.Kind == LayerKind.Conv ? "filter" : "unit")})");
            if (_values.TryGetValue((l.Index, "bias"), out float[]? existing))
                for (int i = 0; i < units; i++) existing[i] += expanded[i];
            else Store(l, "bias", expanded);
        }

        private void AddBias(OnnxNode node)
        {
            string other = node.Inputs[0] == _current ? node.Inputs[1] : node.Inputs[0];
            if (_affine is not { } l || !_constants.TryGet(other, out OnnxTensor bias))
                throw Mismatch($"{node.Label} adds '{other}' to the data; CnnGen supports Add only as the bias of the Conv or Dense right before it");
            SetBias(l, bias, 1f, node);
        }

        private void BatchNorm(OnnxNode node)
        {
            if (node.Int("training_mode", 0) != 0) throw Mismatch($"{node.Label} is in training mode; export the model in eval mode (model.eval())");
            float epsilon = node.Float("epsilon", 1e-5f);
            float[] Param(int i, string role)
            {
                OnnxTensor t = Constant(node.Inputs[i], $"the {role} of {node.Label}");
                float[] v = t.RequireFloats(role);
                int channels = _shape[0];
                if (v.Length != channels) throw Mismatch($"{node.Label}: its {role} '{t.Name}' has {v.Length} values, but the tensor has {channels} channels");
                return v;
            }
            float[] scale = Param(1, "scale"), bias = Param(2, "bias"), mean = Param(3, "mean"), variance = Param(4, "variance");
            bool declared = _next < _layers.Count && _layers[_next].Kind == LayerKind.BatchNorm;
            if (declared)
            {
                LayerInfo l = Next(node, LayerKind.BatchNorm);
                if (Math.Abs(epsilon - l.Epsilon) > 1e-3f * l.Epsilon)
                    throw Mismatch($"layer '{l.Name}' (BatchNorm): declared Epsilon = {l.Epsilon}, the model's {node.Label} has epsilon {epsilon}");
                Store(l, "weight", scale);
                Store(l, "bias", bias);
                Store(l, "running_mean", mean);
                Store(l, "running_var", variance);
                return;
            }
            if (_affine is not { } a)
                throw Mismatch($"the model has {node.Label} here, but the declaration has {(_next < _layers.Count ? $"layer '{_layers[_next].Name}' ({LayerKinds.AttributeName(_layers[_next].Kind)})" : "no more layers")}; declare [BatchNorm] (it can also be folded into a Conv or Dense right before it)");
            if (!a.Bias)
                throw Mismatch($"{node.Label} folds into layer '{a.Name}', which is declared with Bias = false; the folded layer needs a bias (remove Bias = false) or declare [BatchNorm]");
            // Fold: W' = W * s, b' = (b - mean) * s + beta, s = scale / sqrt(var + eps).
            float[] w = _values[(a.Index, "weight")];
            int units = a.OutputShape[0], per = w.Length / units;
            float[] b = _values.TryGetValue((a.Index, "bias"), out var existing) ? existing : new float[units];
            for (int k = 0; k < units; k++)
            {
                float s = scale[k] / MathF.Sqrt(variance[k] + epsilon);
                for (int i = 0; i < per; i++) w[k * per + i] *= s;
                b[k] = (b[k] - mean[k]) * s + bias[k];
            }
            Store(a, "bias", b);
        }

        private float[] Assemble()
        {
            var flat = new float[_spec.ParameterCount];
            foreach (ParameterTensor t in _spec.Parameters)
            {
                LayerInfo l = _layers[t.Layer];
                if (!_values.TryGetValue((t.Layer, t.Suffix), out float[]? values))
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

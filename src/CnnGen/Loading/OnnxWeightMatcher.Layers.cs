using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Loading
{
    /// <summary>Each kind of step against the node (or the few nodes) an exporter writes for it.</summary>
    internal sealed partial class OnnxWeightMatcher
    {
        private void MatchNode(LayerInfo s, OnnxNode node)
        {
            string input = _state.Value[s.Inputs[0]];
            int rank = RankOf(node.Inputs[0]) is var r and > 0 ? r : RankOf(input);
            switch (s.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.DepthwiseConv:
                    Conv(s, node);
                    SetOutput(s, node, rank);
                    Absorb(s);
                    return;
                case LayerKind.Dense:
                    Dense(s, node);
                    SetOutput(s, node, node.OpType == "Conv" ? rank : 2);
                    Absorb(s);
                    return;
                case LayerKind.BatchNorm:
                    BatchNorm(s, node);
                    break;
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                    Pool(s, node);
                    break;
                case LayerKind.GlobalAvgPool:
                case LayerKind.GlobalMaxPool:
                    if (node.OpType is "ReduceMean" or "ReduceMax")
                    {
                        long[] axes = node.Ints("axes") ?? (node.Inputs.Count > 1 && node.Inputs[1].Length > 0 ? Constant(node.Inputs[1], "the axes of " + node.Label).Ints : null) ?? Array.Empty<long>();
                        var spatial = Enumerable.Range(2, rank - 2).Select(v => (long)v).ToList();
                        if (!axes.Select(a => a < 0 ? a + rank : a).OrderBy(a => a).SequenceEqual(spatial))
                            throw Mismatch($"layer '{s.Name}' ({s.Kind}): the model's {node.Label} reduces axes {List(axes)}; a global pool reduces every spatial axis {List(spatial)}");
                        SetOutput(s, node, node.Int("keepdims", 1) != 0 ? rank : 2);
                        return;
                    }
                    break;
                case LayerKind.Flatten:
                    CheckFlattenLike(node, input);
                    SetOutput(s, node, 2);
                    return;
                case LayerKind.LeakyReLU:
                case LayerKind.ELU:
                    CheckAlpha(s, node, s.Kind == LayerKind.LeakyReLU ? 0.01f : 1f);
                    break;
                case LayerKind.ReLU6:
                    CheckClip(s, node);
                    break;
                case LayerKind.HardSigmoid:
                    CheckHardSigmoid(s, node);
                    break;
                case LayerKind.HardSwish when node.OpType == "HardSigmoid":
                case LayerKind.SiLU:
                {
                    // z * f(z), written as f(z) and a Mul of z by it: HardSwish from HardSigmoid, SiLU from Sigmoid.
                    if (node.OpType == "HardSigmoid") CheckHardSigmoid(s, node);
                    _state.Done.Add(node);
                    OnnxNode mul = Unmatched(input).FirstOrDefault(n => n.OpType == "Mul" && n.Inputs.Contains(node.Outputs[0]))
                        ?? throw Mismatch($"layer '{s.Name}' ({s.Kind}) is z * {node.OpType}(z), but the model's {node.Label} is not multiplied by its input");
                    SetOutput(s, mul, rank);
                    return;
                }
                case LayerKind.Softmax:
                    Softmax(s, node, rank);
                    break;
                case LayerKind.Upsample:
                    Upsample(s, node);
                    break;
                case LayerKind.ZeroPad:
                    ZeroPad(s, node, rank);
                    break;
            }
            SetOutput(s, node, rank);
        }

        // ---- weighted layers ----------------------------------------------------------------------------------------

        private void Conv(LayerInfo l, OnnxNode node)
        {
            string kind = LayerKinds.AttributeName(l.Kind);
            long group = node.Int("group", 1);
            if (group != l.Groups)
            {
                string declared = l.Kind == LayerKind.DepthwiseConv ? $"a depthwise convolution (group = C = {l.Groups})" : $"Groups = {l.Groups}";
                string fix = group == l.InputShape[0] ? $"; declare [DepthwiseConv({string.Join(", ", l.Kernel)}{(l.OutputShape[0] != group ? $", Multiplier = {l.OutputShape[0] / group}" : "")})]"
                    : group > 1 ? $"; declare Groups = {group}" : "";
                throw Mismatch($"layer '{l.Name}' ({kind}): declared {declared}, the model's {node.Label} has group = {group}{fix}");
            }
            OnnxTensor w = Constant(node.Inputs[1], $"the weight of layer '{l.Name}'");
            int[] want = new[] { l.OutputShape[0], l.InputShape[0] / l.Groups }.Concat(l.Kernel).ToArray();
            if (!w.Dims.SequenceEqual(want.Select(v => (long)v)))
                throw Mismatch($"layer '{l.Name}' ({kind}): declared weight [K, C{(l.Groups > 1 ? "/G" : "")}, F...] = {List(want)}, the model's '{w.Name}' is {w.ShapeText}");
            long[] dilations = node.Ints("dilations") ?? Enumerable.Repeat(1L, l.Kernel.Count).ToArray();
            if (!dilations.SequenceEqual(l.Dilations.Select(v => (long)v)))
                throw Mismatch($"layer '{l.Name}' ({kind}): declared dilations {List(l.Dilations)}, the model's {node.Label} has dilations {List(dilations)}");
            CheckWindow(node, l, Enumerable.Repeat(1L, l.Kernel.Count).ToArray());
            Store(l, "weight", w.RequireFloats("conv weight"));
            if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
                SetBias(l, Constant(node.Inputs[2], $"the bias of layer '{l.Name}'"), 1f, node);
        }

        /// <summary>A Dense layer: Gemm, MatMul, or a 1x1 Conv on a [C, 1, 1] map (a squeeze-and-excitation gate written with convolutions).</summary>
        private void Dense(LayerInfo l, OnnxNode node)
        {
            if (node.OpType == "Conv")
            {
                OnnxTensor w = Constant(node.Inputs[1], $"the weight of layer '{l.Name}'");
                if (node.Int("group", 1) != 1 || w.Dims.Skip(2).Any(v => v != 1))
                    throw Mismatch($"layer '{l.Name}' (Dense): the model's {node.Label} is not a 1x1 convolution without groups (weight {w.ShapeText}), which a Dense layer on [C, 1, 1] would be");
                StoreDenseWeight(l, w, true, 1f, node);
                if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0) SetBias(l, Constant(node.Inputs[2], $"the bias of layer '{l.Name}'"), 1f, node);
                return;
            }
            if (node.OpType == "MatMul")
            {
                if (!_constants.IsConstant(node.Inputs[1]))
                    throw Mismatch($"layer '{l.Name}': the model's {node.Label} multiplies the weight by the data (W x); a Dense layer computes x W");
                StoreDenseWeight(l, Constant(node.Inputs[1], $"the weight of layer '{l.Name}'"), false, 1f, node);
                return;
            }
            if (node.Int("transA", 0) != 0) throw Mismatch($"layer '{l.Name}': the model's {node.Label} transposes its input (transA = 1), which a Dense layer cannot express");
            StoreDenseWeight(l, Constant(node.Inputs[1], $"the weight of layer '{l.Name}'"), node.Int("transB", 0) != 0, node.Float("alpha", 1f), node);
            if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
                SetBias(l, Constant(node.Inputs[2], $"the bias of layer '{l.Name}'"), node.Float("beta", 1f), node);
        }

        private void StoreDenseWeight(LayerInfo l, OnnxTensor b, bool transposed, float alpha, OnnxNode node)
        {
            int nIn = l.InputLength, nOut = l.OutputShape[0];
            long[] want = transposed ? new long[] { nOut, nIn } : new long[] { nIn, nOut };
            long[] dims = b.Dims.Length > 2 && b.Dims.Skip(2).All(v => v == 1) ? b.Dims.Take(2).ToArray() : b.Dims;
            if (!dims.SequenceEqual(want))
                throw Mismatch($"layer '{l.Name}' (Dense {nIn}->{nOut}): the model's {node.Label} weight '{b.Name}' is {b.ShapeText}, expected {List(want)}{(transposed ? " (transB = 1)" : "")}");
            float[] values = b.RequireFloats("dense weight");
            var w = new float[nOut * nIn];
            for (int o = 0; o < nOut; o++)
                for (int i = 0; i < nIn; i++)
                    w[o * nIn + i] = alpha * (transposed ? values[o * nIn + i] : values[i * nOut + o]);
            Store(l, "weight", w);
        }

        /// <summary>Declared BatchNorm: the model's BatchNormalization.</summary>
        private void BatchNorm(LayerInfo l, OnnxNode node)
        {
            if (node.Int("training_mode", 0) != 0) throw Mismatch($"{node.Label} is in training mode; export the model in eval mode (model.eval())");
            float epsilon = node.Float("epsilon", 1e-5f);
            if (Math.Abs(epsilon - l.Epsilon) > 1e-3f * l.Epsilon)
                throw Mismatch($"layer '{l.Name}' (BatchNorm): declared Epsilon = {l.Epsilon}, the model's {node.Label} has epsilon {epsilon}");
            (float[] scale, float[] bias, float[] mean, float[] variance) = BatchNormParameters(node, l.InputShape[0]);
            if (_state.Shift.TryGetValue(l.Inputs[0], out float[]? shift))
                mean = mean.Select((m, k) => m - shift[k]).ToArray(); // BN(x + b) is BN with mean - b
            Store(l, "weight", scale);
            Store(l, "bias", bias);
            Store(l, "running_mean", mean);
            Store(l, "running_var", variance);
        }

        /// <summary>A declared BatchNorm the exporter folded into the layer before it: the identity, or the shift that layer's bias carries.</summary>
        private void IdentityBatchNorm(LayerInfo l)
        {
            int c = l.InputShape[0];
            Store(l, "weight", Enumerable.Repeat(1f, c).ToArray());
            Store(l, "bias", _state.Shift.TryGetValue(l.Inputs[0], out float[]? shift) ? shift : new float[c]);
            Store(l, "running_mean", new float[c]);
            Store(l, "running_var", Enumerable.Repeat(1f - l.Epsilon, c).ToArray()); // sqrt(var + eps) = 1
        }

        private (float[] Scale, float[] Bias, float[] Mean, float[] Variance) BatchNormParameters(OnnxNode node, int channels)
        {
            float[] Param(int i, string role)
            {
                OnnxTensor t = Constant(node.Inputs[i], $"the {role} of {node.Label}");
                float[] v = t.RequireFloats(role);
                if (v.Length != channels) throw Mismatch($"{node.Label}: its {role} '{t.Name}' has {v.Length} values, but the tensor has {channels} channels");
                return v;
            }
            return (Param(1, "scale"), Param(2, "bias"), Param(3, "mean"), Param(4, "variance"));
        }

        /// <summary>
        /// What exporters put after a Conv or Gemm that the declaration has no layer for: a bias Add, a BatchNormalization
        /// (folded: W' = W * s, b' = (b - mean) * s + beta), a constant per-channel Mul or Sub. Only where the layer's
        /// output has no other reader.
        /// </summary>
        private void Absorb(LayerInfo l)
        {
            bool declaredNorm = _a.Readers(l.Output).Any(r => r.Kind == LayerKind.BatchNorm);
            while (true)
            {
                string value = _state.Value[l.Output];
                List<OnnxNode> readers = Unmatched(value);
                if (readers.Count != 1) return;
                OnnxNode node = readers[0];
                string? other = node.Inputs.Count == 2 ? node.Inputs.FirstOrDefault(i => i != value) : null;
                bool constant = other is not null && _constants.TryGet(other, out _);
                if (node.OpType == "Add" && constant) SetBias(l, PerChannel(l, Constant(other!, "bias"), RankOf(value), node, "adds"), 1f, node);
                else if (node.OpType == "Sub" && constant && node.Inputs[0] == value) SetBias(l, PerChannel(l, Constant(other!, "bias"), RankOf(value), node, "subtracts"), -1f, node);
                else if (node.OpType == "Mul" && constant) Scale(l, PerChannel(l, Constant(other!, "scale"), RankOf(value), node, "multiplies by").RequireFloats("scale"), node);
                else if (node.OpType == "BatchNormalization" && !declaredNorm) FoldBatchNorm(l, node);
                else return;
                _state.Done.Add(node);
                _state.Value[l.Output] = node.Outputs[0];
                _state.Rank[node.Outputs[0]] = RankOf(value);
            }
        }

        /// <summary>
        /// The constant <paramref name="t"/> that a node applies to the layer's output, checked to be one value per
        /// channel (or a single value) as ONNX broadcasting lines it up: the constant's dimensions align with the output's
        /// last ones, so [K] after a convolution's [N, K, H, W] output varies along W, not along the channels ([K, 1, 1]
        /// or [1, K, 1, 1] is per channel). Such a constant is not a bias or a scale of the layer: the model does not fit.
        /// </summary>
        private OnnxTensor PerChannel(LayerInfo l, OnnxTensor t, int rank, OnnxNode node, string verb)
        {
            long[] dims = t.Dims;
            if (rank == 0 || dims.All(d => d == 1)) return t; // rank unknown, or a single value
            int axis = dims.Length - (rank - 1); // the constant's axis that lines up with the output's channel axis (axis 1)
            bool perChannel = axis >= 0 && dims[axis] == l.OutputShape[0] && dims.Where((d, i) => i != axis).All(d => d == 1);
            if (perChannel) return t;
            string along = axis < 0 || dims[Math.Max(axis, 0)] == 1
                ? $"the output's last {dims.Length} axis/axes, not its channels"
                : "more axes than the channels";
            throw Mismatch($"layer '{l.Name}': {node.Label} {verb} '{t.Name}' of shape {t.ShapeText}, which ONNX broadcasting lines up with {along} " +
                $"(the output is rank {rank}: [N, {(rank == 2 ? "units" : "channels, spatial...")}]); a per-{(LayerKinds.IsConv(l.Kind) ? "filter" : "unit")} " +
                $"{(verb == "multiplies by" ? "scale" : "bias")} has shape [{l.OutputShape[0]}{string.Concat(Enumerable.Repeat(", 1", rank - 2))}]");
        }

        private void FoldBatchNorm(LayerInfo a, OnnxNode node)
        {
            if (node.Int("training_mode", 0) != 0) throw Mismatch($"{node.Label} is in training mode; export the model in eval mode (model.eval())");
            float epsilon = node.Float("epsilon", 1e-5f);
            int units = a.OutputShape[0];
            (float[] scale, float[] bias, float[] mean, float[] variance) = BatchNormParameters(node, units);
            var s = new float[units];
            var shift = new float[units];
            for (int k = 0; k < units; k++)
            {
                s[k] = scale[k] / MathF.Sqrt(variance[k] + epsilon);
                shift[k] = bias[k] - mean[k] * s[k];
            }
            Scale(a, s, node);
            AddShift(a, shift, node);
        }

        /// <summary>Multiplies the layer's outputs by a per-output factor (a BatchNorm's scale, a constant Mul): its weights and bias.</summary>
        private void Scale(LayerInfo a, float[] factor, OnnxNode node)
        {
            int units = a.OutputShape[0];
            if (factor.Length == 1) factor = Enumerable.Repeat(factor[0], units).ToArray();
            if (factor.Length != units) throw Mismatch($"layer '{a.Name}': {node.Label} scales by {factor.Length} values, but the layer has {units} outputs");
            float[] w = (float[])_state.Weights[(a.Index, "weight")].Clone();
            int per = w.Length / units;
            for (int k = 0; k < units; k++)
                for (int i = 0; i < per; i++) w[k * per + i] *= factor[k];
            _state.Weights[(a.Index, "weight")] = w;
            if (_state.Weights.TryGetValue((a.Index, "bias"), out float[]? b)) _state.Weights[(a.Index, "bias")] = b.Select((v, k) => v * factor[k]).ToArray();
            else if (_state.Shift.TryGetValue(a.Output, out float[]? shift)) _state.Shift[a.Output] = shift.Select((v, k) => v * factor[k]).ToArray();
        }

        private void Store(LayerInfo l, string suffix, float[] values) => _state.Weights[(l.Index, suffix)] = values;

        private void SetBias(LayerInfo l, OnnxTensor bias, float scale, OnnxNode node)
        {
            int units = l.OutputShape[0];
            float[] values = bias.RequireFloats("bias");
            float[] expanded;
            if (values.Length == units && bias.Dims.Count(v => v != 1) <= 1) expanded = values.Select(v => v * scale).ToArray();
            else if (values.Length == 1) expanded = Enumerable.Repeat(values[0] * scale, units).ToArray();
            else throw Mismatch($"layer '{l.Name}': the bias '{bias.Name}' in {node.Label} is {bias.ShapeText}, expected {units} values (one per {(LayerKinds.IsConv(l.Kind) ? "filter" : "unit")})");
            AddShift(l, expanded, node, bias.Name);
        }

        /// <summary>
        /// Adds to the layer's bias. A layer declared without a bias keeps the shift for the BatchNorm declared after it
        /// (an exporter folded that BatchNorm into this layer); with neither, the model does not fit.
        /// </summary>
        private void AddShift(LayerInfo l, float[] shift, OnnxNode node, string? name = null)
        {
            if (l.Bias)
            {
                _state.Weights[(l.Index, "bias")] = _state.Weights.TryGetValue((l.Index, "bias"), out float[]? existing)
                    ? existing.Select((v, k) => v + shift[k]).ToArray()
                    : shift;
                return;
            }
            if (_a.Readers(l.Output).Any(r => r.Kind == LayerKind.BatchNorm))
            {
                _state.Shift[l.Output] = _state.Shift.TryGetValue(l.Output, out float[]? kept) ? kept.Select((v, k) => v + shift[k]).ToArray() : shift;
                return;
            }
            throw Mismatch(name is not null
                ? $"layer '{l.Name}' is declared with Bias = false, but the model adds a bias ('{name}' in {node.Label}); remove Bias = false"
                : $"{node.Label} folds into layer '{l.Name}', which is declared with Bias = false; the folded layer needs a bias (remove Bias = false) or declare [BatchNorm]");
        }

        // ---- windows --------------------------------------------------------------------------------------------

        private void Pool(LayerInfo l, OnnxNode node)
        {
            bool max = node.OpType == "MaxPool";
            if (node.Ints("dilations") is { } dil && dil.Any(v => v != 1))
                throw Mismatch($"layer '{l.Name}': the model's {node.Label} has dilations {List(dil)}; CnnGen's pooling has no dilation");
            if (max && node.Outputs.Count > 1 && node.Outputs[1].Length > 0)
                throw Mismatch($"layer '{l.Name}': the model's {node.Label} has 2 outputs (values and indices); CnnGen's MaxPool gives the values only");
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
            string kind = LayerKinds.AttributeName(l.Kind);
            if (node.Ints("kernel_shape") is { } ks && !ks.SequenceEqual(l.Kernel.Select(v => (long)v)))
                throw Mismatch($"layer '{l.Name}' ({kind}): declared kernel {List(l.Kernel)}, the model's {node.Label} has kernel_shape {List(ks)}");
            long[] strides = node.Ints("strides") ?? defaultStrides;
            if (!strides.SequenceEqual(l.Strides.Select(v => (long)v)))
                throw Mismatch($"layer '{l.Name}' ({kind}): declared strides {List(l.Strides)}, the model's {node.Label} has strides {List(strides)}");
            int[] pads = ResolvePads(node, l, l.InputShape.Skip(1).ToArray());
            int[] declared = l.PadsBegin.Concat(l.PadsEnd).ToArray();
            if (!pads.SequenceEqual(declared))
            {
                string how = node.String("auto_pad", "NOTSET") is "NOTSET" or "" ? "pads" : "auto_pad " + node.String("auto_pad", "") + ", that is pads";
                throw Mismatch($"layer '{l.Name}' ({kind}): declared pads {List(declared)} (begins, then ends), the model's {node.Label} has {how} {List(pads)}");
            }
        }

        // ---- activations and reshapes -----------------------------------------------------------------------------

        private void CheckAlpha(LayerInfo l, OnnxNode node, float fallback)
        {
            float alpha = node.Float("alpha", fallback);
            if (Math.Abs(alpha - l.Alpha) > 1e-6f * Math.Max(1f, Math.Abs(alpha)))
                throw Mismatch($"layer '{l.Name}' ({l.Kind}): declared alpha {l.Alpha}, the model's {node.Label} has alpha {alpha}");
        }

        /// <summary>ReLU6 is Clip(0, 6): bounds as attributes (opset 6-10) or constant inputs (opset 11 on).</summary>
        private void CheckClip(LayerInfo l, OnnxNode node)
        {
            float Bound(int input, string attribute, float fallback)
            {
                if (node.Attributes.ContainsKey(attribute)) return node.Float(attribute, fallback);
                if (node.Inputs.Count > input && node.Inputs[input].Length > 0)
                {
                    float[] v = Constant(node.Inputs[input], $"the {attribute} of {node.Label}").RequireFloats(attribute);
                    if (v.Length == 1) return v[0];
                }
                return fallback;
            }
            float min = Bound(1, "min", float.NegativeInfinity), max = Bound(2, "max", float.PositiveInfinity);
            static string Show(float v) => float.IsInfinity(v) ? (v < 0 ? "-inf" : "inf") : $"{v}"; // a bound not given
            if (min != 0f || max != 6f)
                throw Mismatch($"layer '{l.Name}' (ReLU6): ReLU6 is Clip(0, 6), but the model's {node.Label} clips to [{Show(min)}, {Show(max)}]");
        }

        /// <summary>PyTorch's hard sigmoid is ONNX HardSigmoid with alpha = 1/6 and beta = 1/2 (ONNX's defaults are 0.2 and 0.5).</summary>
        private void CheckHardSigmoid(LayerInfo l, OnnxNode node)
        {
            float alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
            if (Math.Abs(alpha - 1f / 6f) > 1e-6f || Math.Abs(beta - 0.5f) > 1e-6f)
                throw Mismatch($"layer '{l.Name}' ({l.Kind}): CnnGen's hard sigmoid is max(0, min(1, z/6 + 1/2)) (alpha = 1/6, beta = 1/2), the model's {node.Label} has alpha {alpha} and beta {beta}");
        }

        private void Softmax(LayerInfo l, OnnxNode node, int rank)
        {
            // Opset 13 normalises one axis (default the last); earlier opsets flatten [axis..] to one (default axis 1).
            // Either way it is CnnGen's vector Softmax when it normalises the last axis of [N, L] (or, before opset 13, all of a sample).
            long given = node.Int("axis", _model.Opset >= 13 ? -1 : 1);
            long axis = given < 0 ? given + rank : given;
            bool vector = axis == rank - 1 || (_model.Opset < 13 && axis == 1);
            if (!vector)
                throw Mismatch($"{node.Label} normalises axis {given} of a rank-{rank} tensor; CnnGen's Softmax normalises a vector (the last axis of [N, L])");
        }

        /// <summary>A flatten of a sample to a vector: Flatten (axis 1), Reshape to [N, -1] (or to the same shape), Squeeze of ones.</summary>
        private void CheckFlattenLike(OnnxNode node, string value)
        {
            int rank = RankOf(value);
            switch (node.OpType)
            {
                case "Flatten":
                    long axis = node.Int("axis", 1);
                    if (rank > 0 && (axis < 0 ? axis + rank : axis) != 1)
                        throw Mismatch($"{node.Label} flattens from axis {axis} of a rank-{rank} tensor; CnnGen's Flatten keeps the batch and flattens the rest (axis 1)");
                    break;
                case "Reshape":
                    long[] target = Constant(node.Inputs[1], "the shape of " + node.Label).Ints ?? Array.Empty<long>();
                    if (!(target.Length == 2 && target[0] is 0 or -1 or 1 || target.Length == rank && target.Take(1).All(v => v is 0 or -1 or 1)))
                        throw Mismatch($"{node.Label} reshapes to {List(target)}; only flattening to [N, -1] is supported");
                    break;
            }
        }

        /// <summary>Nearest upsampling: Upsample, or Resize in a mode where output position p reads input position floor(p / s).</summary>
        private void Upsample(LayerInfo l, OnnxNode node)
        {
            string mode = node.String("mode", "nearest");
            if (mode != "nearest")
                throw Mismatch($"layer '{l.Name}' (Upsample): CnnGen's Upsample is nearest-neighbour, the model's {node.Label} has mode '{mode}'");
            int d = l.Scale.Count;
            float[]? scales = null;
            long[]? sizes = null;
            string? modeError = null; // reported after the scales: a fractional or downsampling scale is the first thing to say
            if (node.OpType == "Upsample")
                scales = node.Attributes.TryGetValue("scales", out var a) ? a.Floats.ToArray() : node.Inputs.Count > 1 ? Constant(node.Inputs[1], "the scales of " + node.Label).RequireFloats("scales") : null;
            else
            {
                int scaleInput = _model.Opset >= 11 ? 2 : 1;
                if (node.Inputs.Count > scaleInput && node.Inputs[scaleInput].Length > 0)
                {
                    OnnxTensor t = Constant(node.Inputs[scaleInput], "the scales of " + node.Label);
                    if (t.Count > 0) scales = t.RequireFloats("scales");
                }
                if (scales is null && node.Inputs.Count > 3 && node.Inputs[3].Length > 0) sizes = Constant(node.Inputs[3], "the sizes of " + node.Label).Ints;
                string transform = _model.Opset >= 11 ? node.String("coordinate_transformation_mode", "half_pixel") : "asymmetric";
                string nearest = _model.Opset >= 11 ? node.String("nearest_mode", "round_prefer_floor") : "floor";
                bool round = nearest is "round_prefer_floor" or "round_prefer_ceil";
                bool fits = transform switch
                {
                    "half_pixel" or "pytorch_half_pixel" => round,
                    "asymmetric" => nearest == "floor" || (nearest == "round_prefer_floor" && l.Scale.All(s => s <= 2)),
                    "tf_half_pixel_for_nn" => nearest == "floor",
                    "align_corners" => round && l.Scale.All(s => s == 2),
                    _ => false,
                };
                if (!fits)
                    modeError = $"layer '{l.Name}' (Upsample): the model's {node.Label} has coordinate_transformation_mode '{transform}' with nearest_mode '{nearest}', which does not read input position floor(p / s) for output position p at scale {string.Join("x", l.Scale)}";
            }
            // What a scale CnnGen cannot declare is: a fraction, or below 1 (Resize also downsamples).
            static string Whole(IEnumerable<double> spatial) =>
                spatial.Any(v => v < 1 || v != Math.Floor(v)) ? "; CnnGen's Upsample scales by whole factors of at least 1 (no downsampling, no fractional scale)" : "";
            var want = new[] { 1, 1 }.Concat(l.Scale).ToArray();
            if (scales is not null)
            {
                if (scales.Length != d + 2 || scales.Zip(want, (s, w) => Math.Abs(s - w) > 1e-6f).Any(x => x))
                    throw Mismatch($"layer '{l.Name}' (Upsample): declared scale {List(l.Scale)}, the model's {node.Label} has scales [{string.Join(", ", scales)}] (N, C, then the spatial dimensions){Whole(scales.Skip(2).Select(v => (double)v))}");
            }
            else if (sizes is not null)
            {
                if (sizes.Length != d + 2 || !sizes.Skip(2).SequenceEqual(l.OutputShape.Skip(1).Select(v => (long)v)))
                    throw Mismatch($"layer '{l.Name}' (Upsample): declared output {List(l.OutputShape)}, the model's {node.Label} has sizes {List(sizes)}{(sizes.Length == d + 2 ? Whole(sizes.Skip(2).Select((v, k) => (double)v / l.InputShape[k + 1])) : "")}");
            }
            else throw Mismatch($"layer '{l.Name}' (Upsample): the model's {node.Label} gives neither scales nor sizes as constants");
            if (modeError is not null) throw Mismatch(modeError);
        }

        /// <summary>ZeroPad: Pad with zeros, constant mode: nothing on the batch or before the channels, the declared pads on the spatial dimensions.</summary>
        private void ZeroPad(LayerInfo l, OnnxNode node, int rank)
        {
            string mode = node.String("mode", "constant");
            if (mode != "constant") throw Mismatch($"layer '{l.Name}' (ZeroPad): the model's {node.Label} pads in mode '{mode}'; ZeroPad pads with zeros (mode 'constant')");
            long[] pads = node.Ints("pads") ?? (node.Inputs.Count > 1 ? Constant(node.Inputs[1], "the pads of " + node.Label).Ints : null)
                ?? throw Mismatch($"layer '{l.Name}' (ZeroPad): the model's {node.Label} has no constant pads");
            float value = node.Attributes.ContainsKey("value") ? node.Float("value", 0f)
                : node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? Constant(node.Inputs[2], "the value of " + node.Label).RequireFloats("value").FirstOrDefault() : 0f;
            if (value != 0f) throw Mismatch($"layer '{l.Name}' (ZeroPad): the model's {node.Label} pads with {value}; ZeroPad pads with zeros");
            if (node.Inputs.Count > 3 && node.Inputs[3].Length > 0) throw Mismatch($"layer '{l.Name}' (ZeroPad): the model's {node.Label} pads only some axes (axes input); export it with pads for every axis");
            int d = l.PadsBegin.Count;
            long[] want = new long[] { 0, 0 }.Concat(l.PadsBegin.Select(v => (long)v)).Concat(new long[] { 0, l.Channels }).Concat(l.PadsEnd.Select(v => (long)v)).ToArray();
            if (!pads.SequenceEqual(want))
                throw Mismatch($"layer '{l.Name}' (ZeroPad): declared pads {List(l.PadsBegin.Concat(l.PadsEnd))} and Channels = {l.Channels}, that is ONNX pads {List(want)}; the model's {node.Label} has {List(pads)}");
        }

        // ---- merges -----------------------------------------------------------------------------------------------

        /// <summary>y = block(x) + shortcut(x): an Add (or Sum) of the two values in either order, then a Relu when declared.</summary>
        private List<Action> ResidualOptions(LayerInfo s)
        {
            string a = _state.Value[s.Inputs[0]], b = _state.Value[s.Inputs[1]];
            var adds = Unmatched(a).Where(n => n.OpType is "Add" or "Sum" && n.Inputs.Count == 2 && (a == b ? n.Inputs.All(i => i == a) : n.Inputs.Contains(b))).ToList();
            if (adds.Count == 0)
            {
                var readers = Unmatched(a).Concat(Unmatched(b)).Distinct().ToList();
                throw Mismatch($"layer '{s.Name}' (Residual) adds '{a}' ({Describe(s.Inputs[0])}) and '{b}' ({Describe(s.Inputs[1])}), but the model " +
                    (readers.Count == 0 ? "reads them no further" : $"has {string.Join(" and ", readers.Select(WithConstants))} there"));
            }
            return adds.Select(add => (Action)(() =>
            {
                SetOutput(s, add, RankOf(a));
                if (!s.ReLU) return;
                OnnxNode relu = Unmatched(add.Outputs[0]).SingleOrDefault(n => n.OpType == "Relu")
                    ?? throw Mismatch($"layer '{s.Name}' (Residual) is declared with ReLU = true, but the model's sum {add.Label} is not followed by a Relu alone; remove ReLU = true or add the ReLU to the model");
                SetOutput(s, relu, RankOf(a));
            })).ToList();
        }

        /// <summary>A node's label, and the constant it combines the data with (an Add of a constant tensor is no branch), for messages.</summary>
        private string WithConstants(OnnxNode n) =>
            n.Inputs.FirstOrDefault(i => i.Length > 0 && _constants.TryGet(i, out _)) is { } c && _constants.TryGet(c, out OnnxTensor t)
                ? $"{n.Label} with the constant '{c}' {t.ShapeText}" : n.Label;

        /// <summary>The layer that writes a declared tensor, for messages.</summary>
        private string Describe(int tensor)
        {
            int producer = _a.Tensors[tensor].Producer;
            return producer < 0 ? "the input" : "the output of '" + _a.Layers[producer].Name + "'";
        }

        /// <summary>The branches joined along the channels: a Concat (axis 1) of their values, in the declared order.</summary>
        private List<Action> ConcatOptions(LayerInfo s)
        {
            string[] values = s.Inputs.Select(t => _state.Value[t]).ToArray();
            var concats = Unmatched(values[0]).Where(n => n.OpType == "Concat" && n.Inputs.SequenceEqual(values)).ToList();
            if (concats.Count == 0)
            {
                OnnxNode? other = Unmatched(values[0]).FirstOrDefault(n => n.OpType == "Concat");
                throw Mismatch(other is null
                    ? $"layer '{s.Name}' (Concat) joins {string.Join(", ", values.Select(v => "'" + v + "'"))}, but the model has no Concat of them"
                    : $"layer '{s.Name}' (Concat) joins {string.Join(", ", values.Select(v => "'" + v + "'"))} in that order, but the model's {other.Label} joins {string.Join(", ", other.Inputs.Select(v => "'" + v + "'"))}; declare the branches in the model's order");
            }
            return concats.Select(c => (Action)(() =>
            {
                int rank = RankOf(values[0]);
                long axis = c.Int("axis", 1);
                if ((axis < 0 ? axis + rank : axis) != 1)
                    throw Mismatch($"layer '{s.Name}' (Concat): the model's {c.Label} joins along axis {axis}; CnnGen joins the channels (axis 1)");
                SetOutput(s, c, rank);
            })).ToList();
        }

        /// <summary>y = x * gate(x): a Mul of x by the gate's value, or by that value reshaped to broadcast ([N, C] to [N, C, 1, 1]).</summary>
        private List<Action> MultiplyOptions(LayerInfo s)
        {
            string x = _state.Value[s.Inputs[0]], gate = _state.Value[s.Inputs[1]];
            var reachable = new List<(string Value, List<OnnxNode> Through)> { (gate, new List<OnnxNode>()) };
            for (int i = 0; i < reachable.Count && i < 8; i++)
                foreach (OnnxNode n in Unmatched(reachable[i].Value).Where(n => n.OpType is "Reshape" or "Unsqueeze" or "Flatten" or "Squeeze"))
                    reachable.Add((n.Outputs[0], reachable[i].Through.Append(n).ToList()));
            var options = new List<Action>();
            foreach (var (value, through) in reachable)
                foreach (OnnxNode mul in Unmatched(x).Where(n => n.OpType == "Mul" && n.Inputs.Count == 2 && n.Inputs.Contains(value) && (x != value || n.Inputs.All(i => i == x))))
                {
                    options.Add(() =>
                    {
                        foreach (OnnxNode t in through) _state.Done.Add(t);
                        SetOutput(s, mul, RankOf(x));
                    });
                }
            if (options.Count == 0)
                throw Mismatch($"layer '{s.Name}' (Multiply) scales '{x}' ({Describe(s.Inputs[0])}) by '{gate}' ({Describe(s.Inputs[1])}), but the model has no Mul of the two");
            return options;
        }
    }
}

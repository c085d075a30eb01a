using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Loading;
using CnnGen.Shapes;

namespace CnnGen.Tool
{
    /// <summary>One data node (or a bias Add after a Conv or Gemm) as the layer the loader will match to it.</summary>
    internal sealed partial class OnnxImporter
    {
        /// <summary>A list of layers being read, and the Conv or Dense a bias Add (or a constant scale) may still fold into.</summary>
        private sealed class Chain
        {
            public Chain(List<Item> items, HashSet<OnnxNode>? gateTail)
            {
                Items = items;
                GateTail = gateTail;
            }

            public List<Item> Items { get; }

            /// <summary>Reshapes that only make a gate's [N, C] broadcast over x: no layer.</summary>
            public HashSet<OnnxNode>? GateTail { get; }

            /// <summary>The last Conv or Dense while what it gives (<see cref="AffineValue"/>) is read by nothing else yet.</summary>
            public LayerItem? Affine { get; set; }

            public string? AffineValue { get; set; }
        }

        /// <summary>Turns <paramref name="node"/>, which reads <paramref name="x"/> alone, into a layer of <paramref name="chain"/>; returns its output.</summary>
        private string MapNode(OnnxNode node, string x, Chain chain)
        {
            Info xi = InfoOf(x);
            if (node.Outputs.Count == 0 || node.Outputs[0].Length == 0)
            {
                _problems.Add($"{node.Label} has no output");
                return x;
            }
            string output = node.Outputs[0];
            if (node.Domain is not ("" or "ai.onnx"))
            {
                _problems.Add($"{node.Label} is from the operator domain '{node.Domain}', which CnnGen does not support");
                return Unknown(node, x);
            }
            LayerDeclaration? layer = null;
            string? module = null, problem = null;
            int rank = xi.Rank;
            bool affine = false;
            switch (node.OpType)
            {
                case "Conv":
                {
                    long[]? w = Constant(node, 1)?.Dims;
                    if (w is null || w.Length < 3) { problem = $"{node.Label}: its weight '{InputName(node, 1)}' is not a constant of known shape"; break; }
                    long group = node.Int("group", 1);
                    bool bias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0;
                    module = ModuleName(node);
                    affine = true;
                    if (xi.Vector)
                    {
                        // A 1x1 convolution of [C, 1, 1] after a global pool (a squeeze-and-excitation gate) is a Dense layer.
                        bool pointwise = group == 1 && w.Skip(2).All(v => v == 1) && (node.Ints("pads") ?? Array.Empty<long>()).All(p => p == 0)
                            && (node.Ints("strides") ?? Array.Empty<long>()).All(s => s == 1);
                        if (!pointwise) { problem = $"{node.Label}: a convolution of a vector (after a global pool) that is not 1x1 without groups, which a Dense layer would be"; break; }
                        layer = new LayerDeclaration(LayerKind.Dense) { Units = (int)w[0], Bias = bias };
                        break;
                    }
                    LayerDeclaration conv;
                    if (group == 1) conv = new LayerDeclaration(LayerKind.Conv) { Units = (int)w[0], Bias = bias };
                    else if (w[1] == 1 && w[0] % group == 0) conv = new LayerDeclaration(LayerKind.DepthwiseConv) { Multiplier = w[0] == group ? null : (int)(w[0] / group), Bias = bias };
                    else conv = new LayerDeclaration(LayerKind.Conv) { Units = (int)w[0], Bias = bias, Groups = (int)group };
                    layer = Spatial(conv, node, w.Skip(2).Select(v => (int)v).ToArray(), w.Length - 2, out problem);
                    if (layer is not null && node.Ints("dilations") is { } dil && dil.Any(v => v != 1))
                        layer = dil.Distinct().Count() == 1 ? layer with { Dilation = (int)dil[0] } : layer with { Dilations = Ints(dil) };
                    break;
                }
                case "MaxPool":
                case "AveragePool":
                {
                    long[] k = node.Ints("kernel_shape") ?? Array.Empty<long>();
                    if (node.Int("ceil_mode", 0) != 0) _notes.Add($"{node.Label} uses ceil_mode = 1; CnnGen floors (the loader accepts the model only where both give the same size)");
                    if (node.Ints("dilations") is { } pd && pd.Any(v => v != 1)) { problem = $"{node.Label}: pooling with dilations has no CnnGen attribute"; break; }
                    if (node.OpType == "MaxPool" && node.Outputs.Count > 1 && node.Outputs[1].Length > 0 && Readers(node.Outputs[1]).Count > 0)
                    {
                        problem = $"{node.Label}: its indices output is used; CnnGen's MaxPool gives the values only";
                        break;
                    }
                    var kind = node.OpType == "MaxPool" ? LayerKind.MaxPool : LayerKind.AvgPool;
                    layer = Spatial(new LayerDeclaration(kind) { CountIncludePad = node.Int("count_include_pad", 0) != 0 }, node, k.Select(v => (int)v).ToArray(), k.Length, out problem);
                    break;
                }
                case "GlobalAveragePool": layer = new LayerDeclaration(LayerKind.GlobalAvgPool); break;
                case "GlobalMaxPool": layer = new LayerDeclaration(LayerKind.GlobalMaxPool); break;
                case "ReduceMean":
                case "ReduceMax":
                {
                    long[]? axes = node.Ints("axes") ?? Constant(node, 1)?.Ints;
                    var spatial = Enumerable.Range(2, Math.Max(0, rank - 2)).Select(v => (long)v).ToList();
                    if (axes is null || rank < 3 || !axes.Select(a => a < 0 ? a + rank : a).OrderBy(a => a).SequenceEqual(spatial))
                    {
                        problem = $"{node.Label} reduces axes {(axes is null ? "(all)" : List(axes))}; only a reduction over every spatial axis {List(spatial)} is a CnnGen global pool";
                        break;
                    }
                    layer = new LayerDeclaration(node.OpType == "ReduceMean" ? LayerKind.GlobalAvgPool : LayerKind.GlobalMaxPool);
                    if (node.Int("keepdims", 1) == 0) rank = 2;
                    break;
                }
                case "Flatten":
                {
                    long axis = node.Int("axis", 1);
                    if (axis < 0 && rank > 0) axis += rank;
                    rank = 2;
                    if (axis != 1) problem = $"{node.Label}: Flatten with axis {node.Int("axis", 1)} (CnnGen flattens everything but the batch)";
                    else if (!xi.Vector) layer = new LayerDeclaration(LayerKind.Flatten);
                    break;
                }
                case "Reshape":
                {
                    long[]? target = Constant(node, 1)?.Ints;
                    if (target is null) { problem = $"{node.Label}: its shape '{InputName(node, 1)}' is computed while the model runs; export with a fixed shape (torch.flatten(x, 1))"; break; }
                    bool flattens = target.Length == 2 && target[0] is 0 or -1 or 1;
                    if (xi.Vector)
                    {
                        // A vector stays a vector: nothing to declare, where the loader passes the node too.
                        bool passes = chain.GateTail?.Contains(node) == true || flattens || (target.Length == rank && target[0] is 0 or -1 or 1);
                        if (!passes) problem = $"{node.Label} reshapes a vector to {List(target)}, which no CnnGen layer does";
                    }
                    else if (flattens) layer = new LayerDeclaration(LayerKind.Flatten);
                    else problem = $"{node.Label} reshapes to {List(target)}; only flattening to [N, -1] has a CnnGen layer";
                    rank = target.Length;
                    break;
                }
                case "Squeeze":
                case "Unsqueeze":
                {
                    long[] axes = node.Ints("axes") ?? Constant(node, 1)?.Ints ?? Array.Empty<long>();
                    bool passes = xi.Vector && (node.OpType == "Squeeze" || chain.GateTail?.Contains(node) == true);
                    if (!passes) { problem = $"{node.Label}: the operator {node.OpType} has no CnnGen attribute"; break; }
                    if (rank > 0) rank = node.OpType == "Squeeze" ? (axes.Length > 0 ? rank - axes.Length : 2) : rank + axes.Length;
                    break;
                }
                case "Gemm":
                case "MatMul":
                {
                    long[]? b = Constant(node, 1)?.Dims;
                    if (node.Inputs[0] != x || b is null || b.Length != 2) { problem = $"{node.Label}: its weight is not a constant 2D matrix that multiplies the data from the right (x W)"; break; }
                    bool transB = node.OpType == "Gemm" && node.Int("transB", 0) != 0;
                    if (node.OpType == "Gemm" && node.Int("transA", 0) != 0) { problem = $"{node.Label}: Gemm with transA has no CnnGen attribute"; break; }
                    layer = new LayerDeclaration(LayerKind.Dense) { Units = (int)(transB ? b[0] : b[1]), Bias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 };
                    module = ModuleName(node);
                    affine = true;
                    rank = 2;
                    break;
                }
                case "Add" or "Sub" or "Mul" when chain.Affine is { } a && chain.AffineValue == x && (node.OpType != "Sub" || node.Inputs[0] == x):
                    // The bias (or a constant scale) of the Conv/Dense just before, as the loader folds it.
                    if (node.OpType != "Mul") a.Layer = a.Layer with { Bias = true };
                    _info[output] = xi;
                    chain.AffineValue = output;
                    return output;
                case "Add" or "Sub" or "Mul" or "Div":
                    problem = $"{node.Label}: {node.OpType} of '{x}' and the constant '{node.Inputs.FirstOrDefault(i => i != x)}' has no CnnGen attribute (a bias or scale right after a Conv or Gemm is folded into it)";
                    break;
                case "BatchNormalization":
                    if (node.Int("training_mode", 0) != 0) { problem = $"{node.Label} is in training mode; export the model in eval mode (model.eval())"; break; }
                    layer = new LayerDeclaration(LayerKind.BatchNorm) { Epsilon = node.Float("epsilon", 1e-5f) };
                    module = ModuleName(node);
                    break;
                case "Relu": layer = new LayerDeclaration(LayerKind.ReLU); break;
                case "LeakyRelu": layer = new LayerDeclaration(LayerKind.LeakyReLU) { Alpha = node.Float("alpha", 0.01f) }; break;
                case "Elu": layer = new LayerDeclaration(LayerKind.ELU) { Alpha = node.Float("alpha", 1f) }; break;
                case "Sigmoid": layer = new LayerDeclaration(LayerKind.Sigmoid); break;
                case "Tanh": layer = new LayerDeclaration(LayerKind.Tanh); break;
                case "HardSwish": layer = new LayerDeclaration(LayerKind.HardSwish); break;
                case "Softmax":
                {
                    // Opset 13 normalises one axis (default the last); earlier opsets flatten [axis..] (default axis 1).
                    long given = node.Int("axis", _model.Opset >= 13 ? -1 : 1);
                    long axis = given < 0 && rank > 0 ? given + rank : given;
                    if (rank > 0 && axis != rank - 1 && !(_model.Opset < 13 && axis == 1))
                        problem = $"{node.Label} normalises axis {given} of a rank-{rank} tensor; CnnGen's Softmax normalises a vector";
                    else layer = new LayerDeclaration(LayerKind.Softmax);
                    break;
                }
                case "Clip":
                {
                    float min = Bound(node, 1, "min", float.NegativeInfinity), max = Bound(node, 2, "max", float.PositiveInfinity);
                    if (min == 0f && max == 6f) layer = new LayerDeclaration(LayerKind.ReLU6);
                    else problem = $"{node.Label} clips to [{min}, {max}]; only Clip(0, 6) has a CnnGen attribute (ReLU6)";
                    break;
                }
                case "HardSigmoid":
                {
                    float alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
                    if (Math.Abs(alpha - 1f / 6f) <= 1e-6f && Math.Abs(beta - 0.5f) <= 1e-6f) layer = new LayerDeclaration(LayerKind.HardSigmoid);
                    else problem = $"{node.Label} has alpha {alpha} and beta {beta}; CnnGen's HardSigmoid is PyTorch's, max(0, min(1, z/6 + 1/2)) (alpha = 1/6, beta = 1/2)";
                    break;
                }
                case "Resize":
                case "Upsample":
                    problem = Upsample(node, xi, out layer);
                    break;
                case "Pad":
                    problem = ZeroPad(node, out layer);
                    break;
                default:
                    problem = $"{node.Label}: the operator {node.OpType} has no CnnGen attribute";
                    break;
            }
            if (problem is not null)
            {
                _problems.Add(problem);
                chain.Affine = null;
                return Unknown(node, x);
            }
            if (layer is null)
            {
                _info[output] = xi with { Rank = rank };
                chain.Affine = null;
                return output;
            }
            var item = new LayerItem(layer, module) { InShape = xi.Shape, OutShape = ShapeAfter(layer, xi) };
            chain.Items.Add(item);
            _info[output] = new Info(item.OutShape, VectorAfter(layer.Kind, xi.Vector), rank);
            chain.Affine = affine ? item : null;
            chain.AffineValue = output;
            return output;
        }

        /// <summary>Nearest upsampling by whole factors, in a mode where output position p reads input position floor(p / s) (as the loader checks).</summary>
        private string? Upsample(OnnxNode node, Info xi, out LayerDeclaration? layer)
        {
            layer = null;
            string mode = node.String("mode", "nearest");
            if (mode != "nearest") return $"{node.Label} has mode '{mode}'; CnnGen's Upsample is nearest-neighbour";
            float[]? scales = null;
            long[]? sizes = null;
            if (node.OpType == "Upsample")
                scales = node.Attributes.TryGetValue("scales", out var a) ? a.Floats.ToArray() : Constant(node, 1)?.Floats;
            else
            {
                if (Constant(node, _model.Opset >= 11 ? 2 : 1) is { Count: > 0 } t) scales = t.Floats;
                if (scales is null) sizes = Constant(node, 3)?.Ints;
            }
            int[] factors;
            if (scales is not null)
            {
                if (scales.Length < 3 || scales[0] != 1f || scales[1] != 1f || scales.Skip(2).Any(s => s < 1f || Math.Abs(s - MathF.Round(s)) > 1e-6f))
                    return $"{node.Label} has scales [{string.Join(", ", scales)}]; CnnGen's Upsample scales the spatial dimensions by whole factors";
                factors = scales.Skip(2).Select(s => (int)MathF.Round(s)).ToArray();
            }
            else if (sizes is not null)
            {
                if (xi.Shape is not { } shape || sizes.Length != shape.Length + 1)
                    return $"{node.Label} gives sizes {List(sizes)}, but the size of its input is not known here; export it with scales";
                if (sizes[1] != shape[0] || Enumerable.Range(1, shape.Length - 1).Any(k => sizes[k + 1] % shape[k] != 0))
                    return $"{node.Label} resizes [{string.Join(", ", shape)}] to sizes {List(sizes)}, which is not upsampling by whole factors";
                factors = Enumerable.Range(1, shape.Length - 1).Select(k => (int)(sizes[k + 1] / shape[k])).ToArray();
            }
            else return $"{node.Label} gives neither scales nor sizes as constants";
            if (node.OpType == "Resize")
            {
                string transform = _model.Opset >= 11 ? node.String("coordinate_transformation_mode", "half_pixel") : "asymmetric";
                string nearest = _model.Opset >= 11 ? node.String("nearest_mode", "round_prefer_floor") : "floor";
                bool round = nearest is "round_prefer_floor" or "round_prefer_ceil";
                bool fits = transform switch
                {
                    "half_pixel" or "pytorch_half_pixel" => round,
                    "asymmetric" => nearest == "floor" || (nearest == "round_prefer_floor" && factors.All(s => s <= 2)),
                    "tf_half_pixel_for_nn" => nearest == "floor",
                    "align_corners" => round && factors.All(s => s == 2),
                    _ => false,
                };
                if (!fits)
                    return $"{node.Label} has coordinate_transformation_mode '{transform}' with nearest_mode '{nearest}', which does not read input position floor(p / s) for output position p at scale {string.Join("x", factors)} (CnnGen's Upsample does)";
            }
            layer = new LayerDeclaration(LayerKind.Upsample) { Scale = factors.Distinct().Count() == 1 ? new EquatableArray<int>(new[] { factors[0] }) : new EquatableArray<int>(factors) };
            return null;
        }

        /// <summary>Pad with zeros (constant mode) on the spatial dimensions, and zero channels appended after the others.</summary>
        private string? ZeroPad(OnnxNode node, out LayerDeclaration? layer)
        {
            layer = null;
            string mode = node.String("mode", "constant");
            if (mode != "constant") return $"{node.Label} pads in mode '{mode}'; CnnGen's ZeroPad pads with zeros (mode 'constant')";
            long[]? pads = node.Ints("pads") ?? Constant(node, 1)?.Ints;
            if (pads is null || pads.Length < 6 || pads.Length % 2 != 0) return $"{node.Label} has no constant pads for every axis of a feature map";
            float value = node.Attributes.ContainsKey("value") ? node.Float("value", 0f) : Constant(node, 2)?.Floats?.FirstOrDefault() ?? 0f;
            if (value != 0f) return $"{node.Label} pads with {value}; CnnGen's ZeroPad pads with zeros";
            if (node.Inputs.Count > 3 && node.Inputs[3].Length > 0) return $"{node.Label} pads only some axes (axes input); export it with pads for every axis";
            int r = pads.Length / 2;
            if (pads[0] != 0 || pads[r] != 0 || pads[1] != 0 || pads.Any(p => p < 0))
                return $"{node.Label} has pads {List(pads)}; CnnGen's ZeroPad pads the spatial dimensions and appends channels, never the batch, channels in front or negative pads";
            int[] spatial = pads.Skip(2).Take(r - 2).Concat(pads.Skip(r + 2)).Select(p => (int)p).ToArray();
            layer = new LayerDeclaration(LayerKind.ZeroPad)
            {
                Pads = spatial.Distinct().Count() == 1 ? new EquatableArray<int>(new[] { spatial[0] }) : new EquatableArray<int>(spatial),
                Channels = pads[r + 1] > 0 ? (int)pads[r + 1] : null,
            };
            return null;
        }

        /// <summary>Clip's bound: an attribute (opset 6-10) or a constant input (opset 11 on).</summary>
        private float Bound(OnnxNode node, int input, string attribute, float fallback)
        {
            if (node.Attributes.ContainsKey(attribute)) return node.Float(attribute, fallback);
            return Constant(node, input)?.Floats is [var v] ? v : fallback;
        }

        /// <summary>Input <paramref name="i"/> of <paramref name="node"/> when it is a constant the folding knows.</summary>
        private OnnxTensor? Constant(OnnxNode node, int i) =>
            node.Inputs.Count > i && node.Inputs[i].Length > 0 && _constants.TryGet(node.Inputs[i], out OnnxTensor t) ? t : null;

        private static string InputName(OnnxNode node, int i) => node.Inputs.Count > i ? node.Inputs[i] : "";

        /// <summary>
        /// The PyTorch module a layer's weights came from: a weight initializer named "features.0.weight" (what
        /// torch.onnx.export keeps from the state_dict) gives "features.0". Other exporters' names (mnist-8's
        /// "Parameter5", a folded "onnx::Conv_193") give none.
        /// </summary>
        private static string? ModuleName(OnnxNode node)
        {
            const string suffix = ".weight";
            string weight = node.Inputs.Count > 1 ? node.Inputs[1] : "";
            return weight.Length > suffix.Length && weight.EndsWith(suffix, StringComparison.Ordinal) ? weight.Substring(0, weight.Length - suffix.Length) : null;
        }

        /// <summary>Kernel, strides and padding of a Conv or pool node as attribute arguments.</summary>
        private static LayerDeclaration? Spatial(LayerDeclaration layer, OnnxNode node, int[] kernel, int d, out string? problem)
        {
            problem = null;
            if (kernel.Length != d || d < 1 || d > 3)
            {
                problem = $"{node.Label}: kernel {List(kernel.Select(v => (long)v))} is not 1 to 3 spatial sizes";
                return null;
            }
            layer = layer with { Kernel = kernel.Distinct().Count() == 1 ? new EquatableArray<int>(new[] { kernel[0] }) : new EquatableArray<int>(kernel) };
            // ONNX strides default to 1; CnnGen's to 1 for convolutions and to the window for pooling: write them only where they differ.
            long[] strides = node.Ints("strides") ?? Enumerable.Repeat(1L, d).ToArray();
            bool isDefault = LayerKinds.IsConv(layer.Kind) ? strides.All(v => v == 1) : strides.Select((v, i) => v == kernel[i]).All(x => x);
            if (!isDefault) layer = strides.Distinct().Count() == 1 ? layer with { Stride = (int)strides[0] } : layer with { Strides = Ints(strides) };
            switch (node.String("auto_pad", "NOTSET"))
            {
                case "SAME_UPPER": return layer with { Padding = (int)PaddingMode.Same };
                case "SAME_LOWER":
                    problem = $"{node.Label}: auto_pad SAME_LOWER puts the extra padding first; write it as explicit Pads once the input size is known";
                    return null;
                case "VALID": return layer;
            }
            long[] pads = node.Ints("pads") ?? new long[2 * d];
            return pads.All(p => p == 0) ? layer : layer with { Pads = Ints(pads) };
        }

        /// <summary>The shape after <paramref name="layer"/>, by CnnGen's own rules (a one-layer network checked); null when unknown.</summary>
        private static int[]? ShapeAfter(LayerDeclaration layer, Info input)
        {
            if (input.Shape is not { } shape) return null;
            if (shape.Length == 1)
            {
                return layer.Kind switch
                {
                    LayerKind.Dense => new[] { layer.Units ?? 0 },
                    LayerKind.Flatten or LayerKind.BatchNorm or LayerKind.Softmax => shape,
                    _ when LayerKinds.IsElementWise(layer.Kind) => shape,
                    _ => null,
                };
            }
            var probe = new NetworkDeclaration("Probe", new EquatableArray<int>(shape), new EquatableArray<LayerDeclaration>(new[] { layer }));
            NetworkAnalysis analysis = NetworkChecker.Analyze(probe);
            return analysis.HasErrors ? null : analysis.OutputShape.ToArray();
        }

        /// <summary>Whether CnnGen sees a vector after a layer of <paramref name="kind"/>.</summary>
        private static bool VectorAfter(LayerKind kind, bool input) => kind switch
        {
            LayerKind.GlobalAvgPool or LayerKind.GlobalMaxPool or LayerKind.Flatten or LayerKind.Dense => true,
            LayerKind.BatchNorm or LayerKind.Softmax => input,
            _ when LayerKinds.IsElementWise(kind) => input,
            _ => false,
        };

        private static EquatableArray<int> Ints(long[] v) => new(v.Select(x => (int)x).ToArray());

        private static string List(IEnumerable<long> v) => "[" + string.Join(", ", v) + "]";
    }
}

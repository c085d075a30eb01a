using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Loading;
using CnnGen.Shapes;

namespace CnnGen.Tool
{
    /// <summary>What an import found: the declaration (null when the model cannot be expressed) and what it could not express.</summary>
    internal sealed record ImportResult(NetworkDeclaration? Declaration, List<string> Problems, List<string> Notes);

    /// <summary>
    /// Turns the sequential CNN of an ONNX graph into CnnGen layer declarations. It follows the data path from the one
    /// graph input; nodes that only compute on weights (Reshape/Transpose/Constant, as exporters emit them) are folded
    /// by <see cref="OnnxConstants"/>, as the loader folds them. Conv + Add(bias) and MatMul + Add become one layer, as the loader will match them.
    /// </summary>
    internal static class OnnxImporter
    {
        public static ImportResult Import(OnnxModel model, string typeName)
        {
            var problems = new List<string>();
            var notes = new List<string>();
            var constants = new OnnxConstants(model, null, message => new System.IO.InvalidDataException(message));
            long[]? Shape(int input, OnnxNode node) => node.Inputs.Count > input && constants.TryGet(node.Inputs[input], out OnnxTensor t) ? t.Dims : null;
            List<OnnxValue> data = model.Inputs.Where(i => !constants.IsConstant(i.Name)).ToList();
            if (data.Count != 1)
                return Fail($"a sequential CNN has one data input, but the model has {data.Count} ({string.Join(", ", data.Select(d => "'" + d.Name + "'"))})");
            if (data[0].Shape is not { Length: >= 3 and <= 5 } inputShape || inputShape.Skip(1).Any(v => v <= 0))
                return Fail($"the input '{data[0].Name}' has shape {Show(data[0].Shape)}; CnnGen needs a fixed [N, C, spatial...] with 1 to 3 spatial dimensions");
            int[] input = inputShape.Skip(1).Select(v => (int)v).ToArray();

            var layers = new List<LayerDeclaration>();
            string current = data[0].Name;
            LayerDeclaration? affine = null; // the last Conv/Dense while a bias Add may still follow it
            foreach (OnnxNode node in constants.DataPath(model.Nodes, () => current,
                         off => problems.Add($"{off.Label} is off the data path and not a computation on weights; the graph is not a sequential CNN")))
            {
                LayerDeclaration? layer = null;
                bool keepsAffine = false;
                switch (node.OpType)
                {
                    case "Conv":
                    {
                        if (node.Int("group", 1) != 1) { problems.Add($"{node.Label}: grouped convolution (group = {node.Int("group", 1)}) has no CnnGen attribute"); break; }
                        long[]? w = Shape(1, node);
                        if (w is null || w.Length < 3) { problems.Add($"{node.Label}: its weight '{(node.Inputs.Count > 1 ? node.Inputs[1] : "")}' is not a constant of known shape"); break; }
                        int d = w.Length - 2;
                        layer = Spatial(new LayerDeclaration(LayerKind.Conv) { Units = (int)w[0], Bias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 },
                            node, w.Skip(2).Select(v => (int)v).ToArray(), d, problems);
                        if (layer is not null && node.Ints("dilations") is { } dil && dil.Any(v => v != 1))
                            layer = dil.Distinct().Count() == 1 ? layer with { Dilation = (int)dil[0] } : layer with { Dilations = Ints(dil) };
                        layer = layer is null ? null : layer with { Name = ModuleName(node) };
                        affine = layer;
                        keepsAffine = true;
                        break;
                    }
                    case "MaxPool":
                    case "AveragePool":
                    {
                        long[] k = node.Ints("kernel_shape") ?? Array.Empty<long>();
                        if (node.Int("ceil_mode", 0) != 0) notes.Add($"{node.Label} uses ceil_mode = 1; CnnGen floors (the loader accepts the model only where both give the same size)");
                        if (node.Ints("dilations") is { } pd && pd.Any(v => v != 1)) { problems.Add($"{node.Label}: pooling with dilations has no CnnGen attribute"); break; }
                        var kind = node.OpType == "MaxPool" ? LayerKind.MaxPool : LayerKind.AvgPool;
                        layer = Spatial(new LayerDeclaration(kind) { CountIncludePad = node.Int("count_include_pad", 0) != 0 }, node, k.Select(v => (int)v).ToArray(), k.Length, problems);
                        break;
                    }
                    case "GlobalAveragePool": layer = new LayerDeclaration(LayerKind.GlobalAvgPool); break;
                    case "GlobalMaxPool": layer = new LayerDeclaration(LayerKind.GlobalMaxPool); break;
                    case "Flatten":
                        if (node.Int("axis", 1) != 1) problems.Add($"{node.Label}: Flatten with axis {node.Int("axis", 1)} (CnnGen flattens everything but the batch)");
                        else layer = new LayerDeclaration(LayerKind.Flatten);
                        break;
                    case "Reshape":
                        // On the data path, [N, -1] / [1, n] after feature maps is a flatten.
                        layer = new LayerDeclaration(LayerKind.Flatten);
                        break;
                    case "Gemm":
                    case "MatMul":
                    {
                        long[]? b = Shape(1, node);
                        if (b is null || b.Length != 2) { problems.Add($"{node.Label}: its weight is not a constant 2D matrix"); break; }
                        bool transB = node.OpType == "Gemm" && node.Int("transB", 0) != 0;
                        if (node.OpType == "Gemm" && node.Int("transA", 0) != 0) { problems.Add($"{node.Label}: Gemm with transA has no CnnGen attribute"); break; }
                        layer = new LayerDeclaration(LayerKind.Dense) { Units = (int)(transB ? b[0] : b[1]), Bias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0, Name = ModuleName(node) };
                        affine = layer;
                        keepsAffine = true;
                        break;
                    }
                    case "Add" when affine is not null && node.Inputs.Any(i => i != current && constants.IsConstant(i)):
                        // The bias of the Conv/Dense just before.
                        layers[layers.Count - 1] = affine with { Bias = true };
                        current = node.Outputs[0];
                        affine = null;
                        continue;
                    case "BatchNormalization": layer = new LayerDeclaration(LayerKind.BatchNorm) { Epsilon = node.Float("epsilon", 1e-5f), Name = ModuleName(node) }; break;
                    case "Relu": layer = new LayerDeclaration(LayerKind.ReLU); break;
                    case "LeakyRelu": layer = new LayerDeclaration(LayerKind.LeakyReLU) { Alpha = node.Float("alpha", 0.01f) }; break;
                    case "Elu": layer = new LayerDeclaration(LayerKind.ELU) { Alpha = node.Float("alpha", 1f) }; break;
                    case "Sigmoid": layer = new LayerDeclaration(LayerKind.Sigmoid); break;
                    case "Tanh": layer = new LayerDeclaration(LayerKind.Tanh); break;
                    case "Softmax": layer = new LayerDeclaration(LayerKind.Softmax); break;
                    case "Dropout":
                    case "Identity":
                        current = node.Outputs[0];
                        notes.Add($"{node.Label} does nothing at inference and is left out");
                        continue;
                    default:
                        problems.Add($"{node.Label}: the operator {node.OpType} has no CnnGen attribute");
                        break;
                }
                if (!keepsAffine) affine = null;
                if (layer is not null) layers.Add(layer);
                current = node.Outputs.Count > 0 ? node.Outputs[0] : current;
            }
            if (model.Outputs.Count > 1) problems.Add($"the model has {model.Outputs.Count} outputs; a CnnGen network has one");
            if (layers.Count == 0 && problems.Count == 0) problems.Add("the graph has no layers on its data path");
            KeepUsefulNames(layers, notes);
            var declaration = new NetworkDeclaration(typeName, new EquatableArray<int>(input), new EquatableArray<LayerDeclaration>(layers.ToArray()));
            return new ImportResult(problems.Count == 0 ? declaration : null, problems, notes);

            ImportResult Fail(string why) => new(null, new List<string> { why }, notes);
        }

        /// <summary>
        /// The PyTorch module a layer's weights came from: a weight initializer named "features.0.weight" (what
        /// torch.onnx.export keeps from the state_dict) gives "features.0". Other exporters' names (mnist-8's
        /// "Parameter5") give none.
        /// </summary>
        private static string? ModuleName(OnnxNode node)
        {
            const string suffix = ".weight";
            string weight = node.Inputs.Count > 1 ? node.Inputs[1] : "";
            return weight.Length > suffix.Length && weight.EndsWith(suffix, StringComparison.Ordinal) ? weight.Substring(0, weight.Length - suffix.Length) : null;
        }

        /// <summary>
        /// Keeps the module names that say something: a name equal to the default (conv1, fc1, ...) is dropped; names
        /// that would clash (CNN0017) are all dropped, with a note. Named layers load the PyTorch state_dict
        /// (.safetensors) of the same model, whose keys are "name.weight" and "name.bias".
        /// </summary>
        private static void KeepUsefulNames(List<LayerDeclaration> layers, List<string> notes)
        {
            string?[] given = layers.Select(l => l.Name).ToArray();
            string[] defaults = NetworkChecker.LayerNames(layers.Select(l => l with { Name = null }).ToList());
            string[] final = NetworkChecker.LayerNames(layers);
            if (final.Distinct(StringComparer.Ordinal).Count() != final.Length)
            {
                notes.Add("the weights' module names would name two layers alike; the layers keep CnnGen's default names");
                for (int i = 0; i < layers.Count; i++) layers[i] = layers[i] with { Name = null };
                return;
            }
            for (int i = 0; i < layers.Count; i++)
                if (given[i] == defaults[i]) layers[i] = layers[i] with { Name = null };
        }

        /// <summary>Kernel, strides and padding of a Conv or pool node as attribute arguments.</summary>
        private static LayerDeclaration? Spatial(LayerDeclaration layer, OnnxNode node, int[] kernel, int d, List<string> problems)
        {
            if (kernel.Length != d || d < 1 || d > 3) { problems.Add($"{node.Label}: kernel {Show(kernel.Select(v => (long)v).ToArray())} is not 1 to 3 spatial sizes"); return null; }
            layer = layer with { Kernel = kernel.Distinct().Count() == 1 ? new EquatableArray<int>(new[] { kernel[0] }) : new EquatableArray<int>(kernel) };
            // ONNX strides default to 1; CnnGen's to 1 for Conv and to the window for pooling: write them only where they differ.
            long[] strides = node.Ints("strides") ?? Enumerable.Repeat(1L, d).ToArray();
            bool isDefault = layer.Kind == LayerKind.Conv ? strides.All(v => v == 1) : strides.Select((v, i) => v == kernel[i]).All(x => x);
            if (!isDefault) layer = strides.Distinct().Count() == 1 ? layer with { Stride = (int)strides[0] } : layer with { Strides = Ints(strides) };
            string autoPad = node.String("auto_pad", "NOTSET");
            switch (autoPad)
            {
                case "SAME_UPPER": return layer with { Padding = (int)PaddingMode.Same };
                case "SAME_LOWER": problems.Add($"{node.Label}: auto_pad SAME_LOWER puts the extra padding first; write it as explicit Pads once the input size is known"); return null;
                case "VALID": return layer;
            }
            long[] pads = node.Ints("pads") ?? new long[2 * d];
            return pads.All(p => p == 0) ? layer : layer with { Pads = Ints(pads) };
        }

        private static EquatableArray<int> Ints(long[] v) => new(v.Select(x => (int)x).ToArray());

        private static string Show(long[]? shape) => shape is null ? "unknown" : "[" + string.Join(", ", shape) + "]";
    }
}

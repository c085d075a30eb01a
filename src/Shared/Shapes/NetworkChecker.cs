using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnGen.Shapes
{
    /// <summary>
    /// Checks a declared network against SPEC.md and infers the shape after every layer. Pure: the same
    /// declaration always gives the same analysis, whoever asks (generator, analyzer, runtime).
    /// </summary>
    internal sealed class NetworkChecker
    {
        private const long MaxElements = int.MaxValue;

        private readonly NetworkDeclaration _net;
        private readonly List<Finding> _findings = new();
        private readonly List<LayerInfo> _layers = new();
        private readonly string[] _names;

        private NetworkChecker(NetworkDeclaration net)
        {
            _net = net;
            _names = LayerNames(net.Layers);
        }

        public static NetworkAnalysis Analyze(NetworkDeclaration net)
        {
            var checker = new NetworkChecker(net);
            checker.Run();
            return new NetworkAnalysis(net, new EquatableArray<LayerInfo>(checker._layers.ToArray()), new EquatableArray<Finding>(checker._findings.ToArray()));
        }

        /// <summary>The names of the layers: the given Name, or prefix + count as <see cref="LayerKinds.DefaultNamePrefix"/> says.</summary>
        public static string[] LayerNames(IReadOnlyList<LayerDeclaration> layers)
        {
            var counts = new Dictionary<string, int>();
            var names = new string[layers.Count];
            for (int i = 0; i < layers.Count; i++)
            {
                string prefix = LayerKinds.DefaultNamePrefix(layers[i].Kind);
                counts.TryGetValue(prefix, out int n);
                counts[prefix] = ++n;
                names[i] = layers[i].Name ?? prefix + n.ToString(CultureInfo.InvariantCulture);
            }
            return names;
        }

        private void Report(Rule rule, int layer, ArgumentTarget target, params object[] args) =>
            _findings.Add(new Finding(rule.Id, layer, target, new EquatableArray<string>(args.Select(Text).ToArray())));

        /// <summary>Reports with the data a code fix needs ("Key=Value" entries, see <see cref="Finding.Fix"/>).</summary>
        private void ReportWithFix(Rule rule, int layer, ArgumentTarget target, string[] fix, params object[] args) =>
            _findings.Add(new Finding(rule.Id, layer, target, new EquatableArray<string>(args.Select(Text).ToArray())) { Fix = new EquatableArray<string>(fix) });

        private static string P(string key, params object[] args) => Strings.Phrase(key, args);

        private static string Text(object o) => o switch
        {
            long l => l.ToString(CultureInfo.InvariantCulture),
            int i => i.ToString(CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            _ => o.ToString() ?? "",
        };

        private void Run()
        {
            bool inputOk = CheckInputShape();
            if (_net.Layers.Count == 0)
            {
                Report(Rules.NoLayers, Finding.NetworkAttribute, ArgumentTarget.Attribute, _net.TypeName);
                return;
            }

            CheckNames();
            var argumentsOk = new bool[_net.Layers.Count];
            for (int i = 0; i < _net.Layers.Count; i++) argumentsOk[i] = CheckArguments(i);
            if (!inputOk) return;

            var state = new State(_net.InputShape.ToArray());
            for (int i = 0; i < _net.Layers.Count; i++)
            {
                if (!argumentsOk[i] || !Infer(i, state)) return;
            }
        }

        private bool CheckInputShape()
        {
            var shape = _net.InputShape;
            string shown = "(" + string.Join(", ", shape.Select(v => v.ToString(CultureInfo.InvariantCulture))) + ")";
            if (shape.Count < 2 || shape.Count > 4)
            {
                Report(Rules.InvalidInputShape, Finding.NetworkAttribute, ArgumentTarget.InputShape, shown,
                    P("InputRankWrong", shape.Count));
                return false;
            }
            for (int i = 0; i < shape.Count; i++)
            {
                if (shape[i] < 1)
                {
                    string dim = i == 0 ? P("Channels") : ShapeMath.DimensionName(shape.Count - 1, i - 1);
                    Report(Rules.InvalidInputShape, Finding.NetworkAttribute, ArgumentTarget.InputShape, shown,
                        P("InputSizeTooSmall", dim, shape[i]));
                    return false;
                }
            }
            long elements = ShapeMath.Product(shape);
            if (elements > MaxElements)
            {
                Report(Rules.TooLarge, Finding.NetworkAttribute, ArgumentTarget.InputShape, "[ConvNet]",
                    P("InputElementCount", ShapeMath.Format(shape)), ShapeMath.Count(elements), P("AnInt"));
                return false;
            }
            return true;
        }

        private void CheckNames()
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < _names.Length; i++)
            {
                string kind = LayerKinds.AttributeName(_net.Layers[i].Kind);
                if (_net.Layers[i].Name is { } given && string.IsNullOrWhiteSpace(given))
                {
                    Report(Rules.BadLayerName, i, ArgumentTarget.Name, i + 1, kind,
                        P("NameEmpty", DefaultName(i)));
                    continue;
                }
                if (seen.TryGetValue(_names[i], out int first))
                {
                    Report(Rules.BadLayerName, i, ArgumentTarget.Name, i + 1, kind,
                        P("NameUsed", _names[i], first + 1));
                }
                else
                {
                    seen[_names[i]] = i;
                }
            }
        }

        private string DefaultName(int index) =>
            LayerNames(_net.Layers.Select(l => l with { Name = null }).ToArray())[index];

        // ---- Checks that need no shape ----------------------------------------------------------

        private bool CheckArguments(int i)
        {
            LayerDeclaration l = _net.Layers[i];
            int before = _findings.Count;
            string name = _names[i], kind = LayerKinds.AttributeName(l.Kind);

            void AtLeast(ArgumentTarget target, string what, long value, long min)
            {
                if (value < min)
                    ReportWithFix(Rules.InvalidValue, i, target, new[] { "Value=" + min.ToString(CultureInfo.InvariantCulture) }, name, kind, what, P("AtLeast", min), value);
            }

            void AllAtLeast(ArgumentTarget target, string what, EquatableArray<int>? values, long min)
            {
                if (values is not { } v) return;
                for (int k = 0; k < v.Count; k++)
                {
                    if (v[k] < min)
                    {
                        ReportWithFix(Rules.InvalidValue, i, target, new[] { "Value=" + min.ToString(CultureInfo.InvariantCulture), "Index=" + k.ToString(CultureInfo.InvariantCulture) },
                            name, kind, v.Count == 1 ? what : $"{what}[{k}]", P("AtLeast", min), v[k]);
                        return;
                    }
                }
            }

            void Conflict(bool a, bool b, string first, string second, ArgumentTarget target)
            {
                if (a && b) ReportWithFix(Rules.ConflictingArguments, i, target, new[] { "Conflict=" + first + "," + second }, name, kind, first, second);
            }

            if (l.Kind is LayerKind.Conv or LayerKind.Dense)
                AtLeast(ArgumentTarget.Units, l.Kind == LayerKind.Conv ? P("FilterCount") : P("UnitCount"), l.Units ?? 0, 1);

            if (LayerKinds.IsSpatial(l.Kind))
            {
                if (l.Kernel.Count == 0)
                    Report(Rules.InvalidValue, i, ArgumentTarget.Kernel, name, kind, P("KernelSize"), P("KernelGiven"), P("Missing"));
                AllAtLeast(ArgumentTarget.Kernel, P("KernelSize"), l.Kernel, 1);
                if (l.Stride is { } s) AtLeast(ArgumentTarget.Stride, "Stride", s, 1);
                AllAtLeast(ArgumentTarget.Strides, "Strides", l.Strides, 1);
                Conflict(l.Stride.HasValue, l.Strides.HasValue, "Stride", "Strides", ArgumentTarget.Strides);
                if (l.Padding is { } p && (p < 0 || p > 2))
                    Report(Rules.InvalidValue, i, ArgumentTarget.Padding, name, kind, "Padding", P("PaddingModes"), p);
                AllAtLeast(ArgumentTarget.Pads, "Pads", l.Pads, 0);
                Conflict(l.Padding.HasValue, l.Pads.HasValue, "Padding", "Pads", ArgumentTarget.Pads);
                if (l.Dilation is { } d) AtLeast(ArgumentTarget.Dilation, "Dilation", d, 1);
                AllAtLeast(ArgumentTarget.Dilations, "Dilations", l.Dilations, 1);
                Conflict(l.Dilation.HasValue, l.Dilations.HasValue, "Dilation", "Dilations", ArgumentTarget.Dilations);
            }

            if (l.Kind == LayerKind.BatchNorm && !(l.Epsilon > 0 && !float.IsInfinity(l.Epsilon)))
                ReportWithFix(Rules.InvalidValue, i, ArgumentTarget.Epsilon, new[] { "Value=1e-5f" }, name, kind, "Epsilon", P("PositiveFinite"), l.Epsilon);
            if (l.Kind is LayerKind.LeakyReLU or LayerKind.ELU && (float.IsNaN(l.Alpha) || float.IsInfinity(l.Alpha)))
                Report(Rules.InvalidValue, i, ArgumentTarget.Alpha, name, kind, "alpha", P("Finite"), l.Alpha);
            AllAtLeast(ArgumentTarget.Expect, "Expect", l.Expect, 1);
            if (l.Expect is { Count: 0 })
                Report(Rules.InvalidValue, i, ArgumentTarget.Expect, name, kind, "Expect", P("NonEmptyShape"), P("Empty"));

            return _findings.Count == before;
        }

        // ---- Shape inference ------------------------------------------------------------------------

        private sealed class State
        {
            public int[] Shape;
            public long[] Field;
            public long[] Jump;
            public bool Global;

            public State(int[] shape)
            {
                Shape = shape;
                Field = Enumerable.Repeat(1L, Math.Max(0, shape.Length - 1)).ToArray();
                Jump = Enumerable.Repeat(1L, Math.Max(0, shape.Length - 1)).ToArray();
            }
        }

        private bool Infer(int i, State st)
        {
            LayerDeclaration l = _net.Layers[i];
            string name = _names[i], kind = LayerKinds.AttributeName(l.Kind);
            int[] input = st.Shape;
            string shown = ShapeMath.Format(input);
            bool isVector = input.Length == 1;
            var info = new LayerInfo(i, name, l.Kind)
            {
                InputShape = new EquatableArray<int>(input),
                Bias = l.Bias,
                CountIncludePad = l.CountIncludePad,
                Alpha = l.Alpha,
                Epsilon = l.Epsilon,
            };
            long[] output;

            switch (l.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                    if (isVector)
                    {
                        Report(Rules.LayerDoesNotFit, i, ArgumentTarget.Attribute, name, kind, P("Vector", shown), P("WindowOnVector", kind));
                        return false;
                    }
                    if (!InferSpatial(i, l, st, ref info, out output)) return false;
                    break;

                case LayerKind.GlobalAvgPool:
                case LayerKind.GlobalMaxPool:
                    if (isVector)
                    {
                        Report(Rules.LayerDoesNotFit, i, ArgumentTarget.Attribute, name, kind, P("Vector", shown), P("GlobalPoolOnVector", kind));
                        return false;
                    }
                    output = new long[] { input[0] };
                    break;

                case LayerKind.Flatten:
                    output = new long[] { ShapeMath.Product(input) };
                    break;

                case LayerKind.Dense:
                {
                    long nIn = ShapeMath.Product(input);
                    if (!isVector)
                    {
                        ReportWithFix(Rules.LayerDoesNotFit, i, ArgumentTarget.Attribute, new[] { "InsertFlatten=true" }, name, kind, shown,
                            P("DenseNeedsVector", ShapeMath.Format(input), nIn));
                    }
                    int units = l.Units!.Value;
                    info = info with
                    {
                        Parameters = ShapeMath.DenseParameters(nIn, units, l.Bias),
                        Macs = ShapeMath.SaturatingMultiply(nIn, units),
                    };
                    output = new long[] { units };
                    break;
                }

                case LayerKind.BatchNorm:
                    output = input.Select(v => (long)v).ToArray();
                    info = info with { Parameters = 4L * input[0] };
                    break;

                case LayerKind.Softmax:
                    if (!isVector)
                    {
                        Report(Rules.LayerDoesNotFit, i, ArgumentTarget.Attribute, name, kind, shown,
                            P("SoftmaxNeedsVector"));
                    }
                    output = input.Select(v => (long)v).ToArray();
                    break;

                default: // element-wise activations
                    output = input.Select(v => (long)v).ToArray();
                    break;
            }

            long elements = 1;
            foreach (long v in output) elements = ShapeMath.SaturatingMultiply(elements, v);
            if (elements > MaxElements)
            {
                Report(Rules.TooLarge, i, ArgumentTarget.Attribute, P("LayerRef", name, kind),
                    P("OutputElementCount", string.Join("x", output)), ShapeMath.Count(elements), P("AnInt"));
                return false;
            }
            if (info.Parameters > MaxElements)
            {
                Report(Rules.TooLarge, i, ArgumentTarget.Attribute, P("LayerRef", name, kind),
                    P("ParameterCount"), ShapeMath.Count(info.Parameters), P("OneFloatArray"));
                return false;
            }

            int[] outShape = output.Select(v => (int)v).ToArray();
            if (outShape.Length == 1 || LayerKinds.IsGlobalPool(l.Kind)) st.Global = true;
            st.Shape = outShape;
            info = info with
            {
                OutputShape = new EquatableArray<int>(outShape),
                ReceptiveField = st.Global ? EquatableArray<long>.Empty : new EquatableArray<long>((long[])st.Field.Clone()),
            };

            if (l.Expect is { } expect && !expect.SequenceEqual(outShape))
            {
                string hint = ShapeMath.Product(expect) == ShapeMath.Product(outShape)
                    ? P("SameValuesOtherLayout")
                    : "";
                ReportWithFix(Rules.ExpectMismatch, i, ArgumentTarget.Expect, new[] { "Expect=" + string.Join(", ", outShape) },
                    name, kind, ShapeMath.FormatList(expect), ShapeMath.FormatList(outShape), hint);
            }

            _layers.Add(info);
            return true;
        }

        private bool InferSpatial(int i, LayerDeclaration l, State st, ref LayerInfo info, out long[] output)
        {
            output = Array.Empty<long>();
            string name = _names[i], kind = LayerKinds.AttributeName(l.Kind);
            int[] input = st.Shape;
            int d = input.Length - 1;
            string dims = string.Join(", ", Enumerable.Range(0, d).Select(k => ShapeMath.DimensionName(d, k)));
            string shown = ShapeMath.Format(input);
            bool isConv = l.Kind == LayerKind.Conv;

            int[]? PerDim(EquatableArray<int> given, ArgumentTarget target, string what, bool allowOne)
            {
                if (given.Count == d) return given.ToArray();
                if (allowOne && given.Count == 1) return Enumerable.Repeat(given[0], d).ToArray();
                string want = allowOne ? P("WantOneOrD", d, dims) : $"{d} ({dims})";
                Report(Rules.DimensionCount, i, target, name, kind, what, given.Count, shown, d, dims, want);
                return null;
            }

            int[]? kernel = PerDim(l.Kernel, ArgumentTarget.Kernel, P("TheKernel"), allowOne: true);
            int[]? strides = l.Strides is { } ss ? PerDim(ss, ArgumentTarget.Strides, "Strides", allowOne: false)
                : l.Stride is { } s ? Enumerable.Repeat(s, d).ToArray()
                : isConv ? Enumerable.Repeat(1, d).ToArray()
                : kernel;
            int[]? dilations = l.Dilations is { } dd ? PerDim(dd, ArgumentTarget.Dilations, "Dilations", allowOne: false)
                : Enumerable.Repeat(l.Dilation ?? 1, d).ToArray();
            int[]? pads = null;
            if (l.Pads is { } pp)
            {
                if (pp.Count == 2 * d) pads = pp.ToArray();
                else Report(Rules.DimensionCount, i, ArgumentTarget.Pads, name, kind, "Pads", pp.Count, shown, d, dims,
                    P("WantPads", 2 * d, string.Join(", ", Enumerable.Range(0, d).Select(k => ShapeMath.DimensionName(d, k) + "_begin")
                        .Concat(Enumerable.Range(0, d).Select(k => ShapeMath.DimensionName(d, k) + "_end")))));
            }
            if (kernel is null || strides is null || dilations is null || (l.Pads.HasValue && pads is null)) return false;

            PaddingMode mode = pads is not null ? PaddingMode.Explicit : (PaddingMode)(l.Padding ?? 0);
            var outSpatial = new long[d];
            var begin = new int[d];
            var end = new int[d];
            var effective = new long[d];
            bool ok = true;
            for (int k = 0; k < d; k++)
            {
                effective[k] = ShapeMath.EffectiveKernel(kernel[k], dilations[k]);
                if (effective[k] > int.MaxValue)
                {
                    Report(Rules.TooLarge, i, l.Dilations.HasValue ? ArgumentTarget.Dilations : ArgumentTarget.Dilation, P("LayerRef", name, kind),
                        P("DilatedSpan", ShapeMath.DimensionName(d, k), dilations[k], kernel[k]),
                        ShapeMath.Number(effective[k]), P("AnInt"));
                    return false;
                }
                long ps, pe;
                if (pads is not null)
                {
                    ps = pads[k];
                    pe = pads[d + k];
                    foreach ((long pad, string side, int index) in new[] { (ps, P("Begin"), k), (pe, P("End"), d + k) })
                    {
                        if (pad >= effective[k])
                        {
                            ReportWithFix(Rules.PaddingTooLarge, i, ArgumentTarget.Pads,
                                new[] { "Value=" + (effective[k] - 1).ToString(CultureInfo.InvariantCulture), "Index=" + index.ToString(CultureInfo.InvariantCulture) },
                                name, kind, side, ShapeMath.DimensionName(d, k), pad, effective[k], effective[k] - 1);
                            ok = false;
                        }
                    }
                }
                else
                {
                    (ps, pe) = ShapeMath.ResolvePadding(mode, input[k + 1], effective[k], strides[k]);
                }
                if (ps > int.MaxValue || pe > int.MaxValue)
                {
                    Report(Rules.TooLarge, i, ArgumentTarget.Kernel, P("LayerRef", name, kind), P("PaddingAlong", ShapeMath.DimensionName(d, k)), ShapeMath.Number(Math.Max(ps, pe)), P("AnInt"));
                    return false;
                }
                begin[k] = (int)ps;
                end[k] = (int)pe;
                outSpatial[k] = ShapeMath.OutputSize(input[k + 1], effective[k], strides[k], ps, pe);
            }
            foreach (List<int> group in GroupDimensions(d, k => (input[k + 1], effective[k], strides[k], begin[k], end[k])))
            {
                int k = group[0];
                if (ShapeMath.Numerator(input[k + 1], effective[k], begin[k], end[k]) >= 0) continue;
                Report(Rules.OutputNotPositive, i, ArgumentTarget.Kernel, name, kind, DimensionList(d, group),
                    input[k + 1], effective[k], begin[k], end[k], strides[k], outSpatial[k], (long)input[k + 1] + begin[k] + end[k]);
                ok = false;
            }
            if (!ok) return false;

            ReportDivisibility(i, l, input, effective, strides, begin, end, mode, outSpatial);
            ArgumentTarget strideArgument = l.Strides.HasValue ? ArgumentTarget.Strides : ArgumentTarget.Stride;
            foreach (List<int> group in GroupDimensions(d, k => (strides[k], effective[k], 0L, 0L, 0L)))
            {
                int k = group[0];
                string along = DimensionList(d, group);
                if (isConv && strides[k] > effective[k])
                    Report(Rules.StrideLargerThanKernel, i, strideArgument, name, along, strides[k], effective[k], strides[k] - effective[k]);
                if (!isConv && strides[k] < effective[k])
                    Report(Rules.OverlappingPool, i, strideArgument, name, kind, along, strides[k], effective[k], effective[k] - strides[k]);
            }

            long channels = input[0];
            long outChannels = isConv ? l.Units!.Value : channels;
            output = new long[d + 1];
            output[0] = outChannels;
            long outPositions = 1;
            for (int k = 0; k < d; k++)
            {
                output[k + 1] = outSpatial[k];
                outPositions = ShapeMath.SaturatingMultiply(outPositions, outSpatial[k]);
                (st.Field[k], st.Jump[k]) = ShapeMath.ReceptiveFieldStep(st.Field[k], st.Jump[k], effective[k], strides[k]);
            }

            info = info with
            {
                Kernel = new EquatableArray<int>(kernel),
                Strides = new EquatableArray<int>(strides),
                Dilations = new EquatableArray<int>(dilations),
                PadsBegin = new EquatableArray<int>(begin),
                PadsEnd = new EquatableArray<int>(end),
                Padding = mode,
            };
            if (isConv)
            {
                long parameters = ShapeMath.ConvParameters(kernel, channels, outChannels, l.Bias);
                long window = ShapeMath.SaturatingMultiply(channels, ShapeMath.Product(kernel));
                info = info with
                {
                    Parameters = parameters,
                    Macs = ShapeMath.SaturatingMultiply(ShapeMath.SaturatingMultiply(outPositions, outChannels), window),
                };
            }
            return true;
        }

        /// <summary>CNN0011 (or CNN0018 when only padding is skipped): one finding per group of dimensions with the same numbers, with the fixes that make it exact.</summary>
        private void ReportDivisibility(int i, LayerDeclaration l, int[] input, long[] effective, int[] strides,
            int[] begin, int[] end, PaddingMode mode, long[] outSpatial)
        {
            if (mode == PaddingMode.Same) return; // Same gives ceil(I/S) by definition
            int d = input.Length - 1;
            string name = _names[i], kind = LayerKinds.AttributeName(l.Kind);
            foreach (List<int> group in GroupDimensions(d, k => (input[k + 1], effective[k], strides[k], begin[k], end[k])))
            {
                int k = group[0];
                long numerator = ShapeMath.Numerator(input[k + 1], effective[k], begin[k], end[k]);
                long r = numerator % strides[k];
                if (r == 0) continue;
                long s = strides[k];
                long unread = Math.Max(0, r - end[k]);
                string dims = DimensionList(d, group);
                if (unread == 0)
                {
                    // Only end padding is skipped: every input position is read, nothing is lost (ResNet's stride-2 convs).
                    Report(Rules.OnlyPaddingSkipped, i, ArgumentTarget.Attribute, name, kind, dims, input[k + 1], effective[k], begin[k], end[k], s,
                        numerator, outSpatial[k], r);
                    continue;
                }
                var fixes = new List<string>
                {
                    $"Padding = Padding.Same (O = {ShapeMath.CeilDiv(input[k + 1], s)})",
                };
                var fixData = new List<string> { "Padding=Same" };
                long newEnd = end[k] + (s - r);
                if (newEnd < effective[k])
                {
                    var pads = begin.Concat(end).ToArray();
                    foreach (int j in group) pads[d + j] = (int)newEnd;
                    fixes.Add($"Pads = new[] {{ {string.Join(", ", pads)} }} (O = {numerator / s + 2})");
                    fixData.Add("Pads=" + string.Join(", ", pads));
                }
                long best = 0;
                for (long cand = 1; cand <= numerator && cand <= 2 * s + 64; cand++)
                {
                    if (numerator % cand != 0 || cand == s) continue;
                    if (best == 0 || Math.Abs(cand - s) < Math.Abs(best - s) || (Math.Abs(cand - s) == Math.Abs(best - s) && cand > best)) best = cand;
                }
                if (best == 0 && numerator > 0) best = numerator; // numerator itself always divides
                if (best > 0)
                {
                    string strideFix;
                    if (group.Count == d)
                    {
                        strideFix = $"Stride = {best}";
                        fixData.Add("Stride=" + best.ToString(CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        var st = (int[])strides.Clone();
                        foreach (int j in group) st[j] = (int)best;
                        strideFix = $"Strides = new[] {{ {string.Join(", ", st)} }}";
                        fixData.Add("Strides=" + string.Join(", ", st));
                    }
                    fixes.Add($"{strideFix} (O = {numerator / best + 1})");
                }
                string fixText = fixes[fixes.Count - 1];
                for (int f = fixes.Count - 2; f >= 0; f--) fixText = P("Or", fixes[f], fixText);
                ReportWithFix(Rules.NotDivisible, i, ArgumentTarget.Attribute, fixData.ToArray(), name, kind, dims, input[k + 1], effective[k], begin[k], end[k], s,
                    numerator, outSpatial[k], unread, fixText);
            }
        }

        /// <summary>Groups the spatial dimensions that have the same numbers, so one message covers "H and W".</summary>
        private static List<List<int>> GroupDimensions(int d, Func<int, (long, long, long, long, long)> key)
        {
            var groups = new List<List<int>>();
            var keys = new List<(long, long, long, long, long)>();
            for (int k = 0; k < d; k++)
            {
                int g = keys.IndexOf(key(k));
                if (g < 0)
                {
                    keys.Add(key(k));
                    groups.Add(new List<int>());
                    g = groups.Count - 1;
                }
                groups[g].Add(k);
            }
            return groups;
        }

        private static string DimensionList(int d, List<int> group)
        {
            string list = ShapeMath.DimensionName(d, group[group.Count - 1]);
            for (int j = group.Count - 2; j >= 0; j--) list = P("And", ShapeMath.DimensionName(d, group[j]), list);
            return list;
        }
    }
}

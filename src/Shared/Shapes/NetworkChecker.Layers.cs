using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnGen.Shapes
{
    /// <summary>Shape inference of one layer: the formulas of SPEC with the shape the layer receives.</summary>
    internal sealed partial class NetworkChecker
    {
        /// <summary>
        /// The receptive field of a tensor along each spatial dimension of the input, and the jump (the product of the
        /// strides so far, divided by Upsample factors); null once a unit sees the whole input.
        /// </summary>
        private sealed class Field
        {
            public Field(double[]? size, double[] jump)
            {
                Size = size;
                Jump = jump;
            }

            public double[]? Size { get; }
            public double[] Jump { get; }

            public static Field Start(int d) => new(Enumerable.Repeat(1.0, Math.Max(0, d)).ToArray(), Enumerable.Repeat(1.0, Math.Max(0, d)).ToArray());

            public static readonly Field Whole = new(null, Array.Empty<double>());

            /// <summary>As the summary shows it: whole cells (after an Upsample a unit can see part of a cell).</summary>
            public EquatableArray<long> Shown => Size is null ? EquatableArray<long>.Empty
                : new EquatableArray<long>(Size.Select(v => (long)Math.Min(long.MaxValue, Math.Ceiling(v - 1e-9))).ToArray());

            /// <summary>A merge sees what each of its inputs sees: the largest field, per dimension.</summary>
            public static Field Merge(IEnumerable<Field> fields)
            {
                Field? result = null;
                foreach (Field f in fields)
                {
                    if (f.Size is null) return Whole;
                    if (result is null) { result = f; continue; }
                    if (result.Size!.Length != f.Size.Length) return Whole;
                    result = new Field(result.Size.Zip(f.Size, Math.Max).ToArray(), result.Jump.Zip(f.Jump, Math.Max).ToArray());
                }
                return result ?? Whole;
            }
        }

        private int NewTensor(int[] shape, int producer, Field field)
        {
            _tensors.Add(new TensorInfo(_tensors.Count, new EquatableArray<int>(shape), producer));
            _fields.Add(field);
            return _tensors.Count - 1;
        }

        /// <summary>Infers one layer that reads <paramref name="x"/>; on success <paramref name="x"/> is its output.</summary>
        private bool InferLayer(LayerDeclaration l, string name, Site site, Scope scope, ref int x)
        {
            string kind = KindText(l, site);
            int[] input = _tensors[x].Shape.ToArray();
            string shown = ShapeMath.Format(input);
            bool isVector = input.Length == 1;
            var info = new LayerInfo(_rows.Count, name, l.Kind)
            {
                InputShape = new EquatableArray<int>(input),
                Bias = l.Bias,
                CountIncludePad = l.CountIncludePad,
                Alpha = l.Alpha,
                Epsilon = l.Epsilon,
                Depth = scope.Depth,
                Parent = scope.Parent,
                Branch = scope.Branch,
                Inputs = new EquatableArray<int>(new[] { x }),
            };
            Field field = _fields[x];
            if (field.Size is not null) info = info with { InputJump = new EquatableArray<double>((double[])field.Jump.Clone()) };
            long[] output;

            switch (l.Kind)
            {
                case LayerKind.Conv:
                case LayerKind.DepthwiseConv:
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                    if (isVector)
                    {
                        Report(Rules.LayerDoesNotFit, site, ArgumentTarget.Attribute, name, kind, P("Vector", shown), P("WindowOnVector", LayerKinds.AttributeName(l.Kind)));
                        return false;
                    }
                    if (!InferSpatial(l, name, site, input, ref field, ref info, out output)) return false;
                    break;

                case LayerKind.GlobalAvgPool:
                case LayerKind.GlobalMaxPool:
                    if (isVector)
                    {
                        Report(Rules.LayerDoesNotFit, site, ArgumentTarget.Attribute, name, kind, P("Vector", shown), P("GlobalPoolOnVector", LayerKinds.AttributeName(l.Kind)));
                        return false;
                    }
                    output = new long[] { input[0] };
                    break;

                case LayerKind.Upsample:
                case LayerKind.ZeroPad:
                    if (isVector)
                    {
                        Report(Rules.LayerDoesNotFit, site, ArgumentTarget.Attribute, name, kind, P("Vector", shown), P("MapLayerOnVector", LayerKinds.AttributeName(l.Kind)));
                        return false;
                    }
                    if (!(l.Kind == LayerKind.Upsample ? InferUpsample(l, name, site, input, ref field, ref info, out output) : InferZeroPad(l, name, site, input, ref info, out output)))
                        return false;
                    break;

                case LayerKind.Flatten:
                    output = new long[] { ShapeMath.Product(input) };
                    break;

                case LayerKind.Dense:
                {
                    long nIn = ShapeMath.Product(input);
                    if (!isVector)
                    {
                        ReportWithFix(Rules.LayerDoesNotFit, site, ArgumentTarget.Attribute, new[] { "InsertFlatten=true" }, name, kind, shown,
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
                        Report(Rules.LayerDoesNotFit, site, ArgumentTarget.Attribute, name, kind, shown, P("SoftmaxNeedsVector"));
                    output = input.Select(v => (long)v).ToArray();
                    break;

                default: // element-wise activations, Dropout
                    output = input.Select(v => (long)v).ToArray();
                    break;
            }

            if (!FitsLimits(output, info.Parameters, name, kind, site)) return false;
            int[] outShape = output.Select(v => (int)v).ToArray();
            if (outShape.Length == 1 || LayerKinds.IsGlobalPool(l.Kind)) field = Field.Whole;
            int y = NewTensor(outShape, info.Index, field);
            info = info with
            {
                OutputShape = new EquatableArray<int>(outShape),
                Output = y,
                ReceptiveField = field.Shown,
            };
            _rows.Add(info);
            if (!NameRow(info, scope, site)) return false;
            x = y;
            return CheckExpect(l, name, site, x);
        }

        /// <summary>CNN0014: sizes that must fit an int (an element count, one flat parameter array).</summary>
        private bool FitsLimits(long[] output, long parameters, string name, string kind, Site site)
        {
            long elements = 1;
            foreach (long v in output) elements = ShapeMath.SaturatingMultiply(elements, v);
            if (elements > MaxElements)
            {
                Report(Rules.TooLarge, site, ArgumentTarget.Attribute, P("LayerRef", name, kind),
                    P("OutputElementCount", string.Join("x", output)), ShapeMath.Count(elements), P("AnInt"));
                return false;
            }
            if (parameters > MaxElements)
            {
                Report(Rules.TooLarge, site, ArgumentTarget.Attribute, P("LayerRef", name, kind), P("ParameterCount"), ShapeMath.Count(parameters), P("OneFloatArray"));
                return false;
            }
            return true;
        }

        /// <summary>CNN0013: the shape after a layer (or a block use) differs from its <c>Expect</c>.</summary>
        private bool CheckExpect(LayerDeclaration l, string name, Site site, int x)
        {
            EquatableArray<int> shape = _tensors[x].Shape;
            if (l.Expect is not { } expect || expect.SequenceEqual(shape)) return true;
            string hint = ShapeMath.Product(expect) == ShapeMath.Product(shape) ? P("SameValuesOtherLayout") : "";
            ReportWithFix(Rules.ExpectMismatch, site, ArgumentTarget.Expect, new[] { "Expect=" + string.Join(", ", shape) },
                name, KindText(l, site), ShapeMath.FormatList(expect), ShapeMath.FormatList(shape), hint);
            return true; // the shape itself is fine: the layers after it are still checked
        }

        /// <summary>
        /// One value for every spatial dimension or one per dimension (<paramref name="allowOne"/>), else CNN0007 naming
        /// what the layer's input has.
        /// </summary>
        private int[]? PerDimension(EquatableArray<int> given, int[] input, ArgumentTarget target, string what, bool allowOne, LayerDeclaration l, string name, Site site)
        {
            int d = input.Length - 1;
            if (given.Count == d) return given.ToArray();
            if (allowOne && given.Count == 1) return Enumerable.Repeat(given[0], d).ToArray();
            string dims = DimensionNames(d);
            string want = allowOne ? P("WantOneOrD", d, dims) : $"{d} ({dims})";
            Report(Rules.DimensionCount, site, target, name, KindText(l, site), what, given.Count, ShapeMath.Format(input), d, dims, want);
            return null;
        }

        private static string DimensionNames(int d) => string.Join(", ", Enumerable.Range(0, d).Select(k => ShapeMath.DimensionName(d, k)));

        /// <summary>Explicit pads in ONNX order (all begins, then all ends), or one value for every side when <paramref name="allowOne"/>.</summary>
        private int[]? PadsOf(EquatableArray<int> given, int[] input, bool allowOne, string what, LayerDeclaration l, string name, Site site)
        {
            int d = input.Length - 1;
            if (given.Count == 2 * d) return given.ToArray();
            if (allowOne && given.Count == 1) return Enumerable.Repeat(given[0], 2 * d).ToArray();
            string sides = string.Join(", ", Enumerable.Range(0, d).Select(k => ShapeMath.DimensionName(d, k) + "_begin")
                .Concat(Enumerable.Range(0, d).Select(k => ShapeMath.DimensionName(d, k) + "_end")));
            string want = allowOne ? P("WantOneOrPads", 2 * d, sides) : P("WantPads", 2 * d, sides);
            Report(Rules.DimensionCount, site, ArgumentTarget.Pads, name, KindText(l, site), what, given.Count, ShapeMath.Format(input), d, DimensionNames(d), want);
            return null;
        }

        private bool InferUpsample(LayerDeclaration l, string name, Site site, int[] input, ref Field field, ref LayerInfo info, out long[] output)
        {
            output = Array.Empty<long>();
            int[]? scale = PerDimension(l.Scale, input, ArgumentTarget.Scale, P("TheScale"), true, l, name, site);
            if (scale is null) return false;
            output = new long[input.Length];
            output[0] = input[0];
            for (int k = 0; k < scale.Length; k++) output[k + 1] = ShapeMath.SaturatingMultiply(input[k + 1], scale[k]);
            if (field.Size is not null) field = new Field(field.Size, field.Jump.Select((j, k) => j / scale[k]).ToArray());
            info = info with { Scale = new EquatableArray<int>(scale) };
            return true;
        }

        private bool InferZeroPad(LayerDeclaration l, string name, Site site, int[] input, ref LayerInfo info, out long[] output)
        {
            output = Array.Empty<long>();
            int[]? pads = PadsOf(l.Pads ?? EquatableArray<int>.Empty, input, allowOne: true, "pads", l, name, site);
            if (pads is null) return false;
            int d = input.Length - 1;
            output = new long[input.Length];
            output[0] = (long)input[0] + (l.Channels ?? 0);
            for (int k = 0; k < d; k++) output[k + 1] = (long)input[k + 1] + pads[k] + pads[d + k];
            info = info with
            {
                PadsBegin = new EquatableArray<int>(pads.Take(d).ToArray()),
                PadsEnd = new EquatableArray<int>(pads.Skip(d).ToArray()),
                Padding = PaddingMode.Explicit,
                Channels = l.Channels ?? 0,
            };
            return true;
        }

        private bool InferSpatial(LayerDeclaration l, string name, Site site, int[] input, ref Field field, ref LayerInfo info, out long[] output)
        {
            output = Array.Empty<long>();
            string kind = KindText(l, site);
            int d = input.Length - 1;
            bool isConv = LayerKinds.IsConv(l.Kind);

            int[]? kernel = PerDimension(l.Kernel, input, ArgumentTarget.Kernel, P("TheKernel"), true, l, name, site);
            int[]? strides = l.Strides is { } ss ? PerDimension(ss, input, ArgumentTarget.Strides, "Strides", false, l, name, site)
                : l.Stride is { } s ? Enumerable.Repeat(s, d).ToArray()
                : isConv ? Enumerable.Repeat(1, d).ToArray()
                : kernel;
            int[]? dilations = l.Dilations is { } dd ? PerDimension(dd, input, ArgumentTarget.Dilations, "Dilations", false, l, name, site)
                : Enumerable.Repeat(l.Dilation ?? 1, d).ToArray();
            int[]? pads = l.Pads is { } pp ? PadsOf(pp, input, allowOne: false, "Pads", l, name, site) : null;
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
                    Report(Rules.TooLarge, site, l.Dilations.HasValue ? ArgumentTarget.Dilations : ArgumentTarget.Dilation, P("LayerRef", name, kind),
                        P("DilatedSpan", ShapeMath.DimensionName(d, k), dilations[k], kernel[k]), ShapeMath.Number(effective[k]), P("AnInt"));
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
                            ReportWithFix(Rules.PaddingTooLarge, site, ArgumentTarget.Pads,
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
                    Report(Rules.TooLarge, site, ArgumentTarget.Kernel, P("LayerRef", name, kind), P("PaddingAlong", ShapeMath.DimensionName(d, k)), ShapeMath.Number(Math.Max(ps, pe)), P("AnInt"));
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
                Report(Rules.OutputNotPositive, site, ArgumentTarget.Kernel, name, kind, DimensionList(d, group),
                    input[k + 1], effective[k], begin[k], end[k], strides[k], outSpatial[k], (long)input[k + 1] + begin[k] + end[k]);
                ok = false;
            }
            if (!ok) return false;

            ReportDivisibility(l, name, site, input, effective, strides, begin, end, mode, outSpatial);
            ArgumentTarget strideArgument = l.Strides.HasValue ? ArgumentTarget.Strides : ArgumentTarget.Stride;
            foreach (List<int> group in GroupDimensions(d, k => (strides[k], effective[k], 0L, 0L, 0L)))
            {
                int k = group[0];
                string along = DimensionList(d, group);
                // A 1x1 convolution with a stride is a subsampling projection (ResNet's shortcuts): its gaps are meant.
                if (isConv && strides[k] > effective[k] && effective[k] > 1)
                    Report(Rules.StrideLargerThanKernel, site, strideArgument, name, along, strides[k], effective[k], strides[k] - effective[k]);
                if (!isConv && strides[k] < effective[k])
                    Report(Rules.OverlappingPool, site, strideArgument, name, kind, along, strides[k], effective[k], effective[k] - strides[k]);
            }

            long channels = input[0];
            long outChannels = l.Kind switch
            {
                LayerKind.Conv => l.Units!.Value,
                LayerKind.DepthwiseConv => ShapeMath.SaturatingMultiply(channels, l.Multiplier ?? 1),
                _ => channels,
            };
            int groups = l.Kind == LayerKind.DepthwiseConv ? (int)channels : l.Groups ?? 1;
            if (l.Kind == LayerKind.Conv && groups > 1 && (channels % groups != 0 || outChannels % groups != 0))
            {
                ReportGroups(l, name, site, channels, outChannels, groups);
                return false;
            }
            output = new long[d + 1];
            output[0] = outChannels;
            long outPositions = 1;
            var size = field.Size is null ? null : (double[])field.Size.Clone();
            var jump = (double[])field.Jump.Clone();
            for (int k = 0; k < d; k++)
            {
                output[k + 1] = outSpatial[k];
                outPositions = ShapeMath.SaturatingMultiply(outPositions, outSpatial[k]);
                if (size is null) continue;
                size[k] += (effective[k] - 1) * jump[k];
                jump[k] *= strides[k];
            }
            field = new Field(size, jump);

            info = info with
            {
                Kernel = new EquatableArray<int>(kernel),
                Strides = new EquatableArray<int>(strides),
                Dilations = new EquatableArray<int>(dilations),
                PadsBegin = new EquatableArray<int>(begin),
                PadsEnd = new EquatableArray<int>(end),
                Padding = mode,
                Groups = groups,
            };
            if (isConv)
            {
                long perGroup = channels / groups;
                long window = ShapeMath.SaturatingMultiply(perGroup, ShapeMath.Product(kernel));
                info = info with
                {
                    Parameters = ShapeMath.ConvParameters(kernel, perGroup, outChannels, l.Bias),
                    Macs = ShapeMath.SaturatingMultiply(ShapeMath.SaturatingMultiply(outPositions, outChannels), window),
                };
            }
            return true;
        }

        /// <summary>CNN0023: Groups must divide both C and K; the fix is the nearest value that does.</summary>
        private void ReportGroups(LayerDeclaration l, string name, Site site, long channels, long filters, int groups)
        {
            long best = 1;
            for (long g = 1; g <= Math.Min(channels, filters); g++)
            {
                if (channels % g != 0 || filters % g != 0) continue;
                if (Math.Abs(g - groups) < Math.Abs(best - groups) || (Math.Abs(g - groups) == Math.Abs(best - groups) && g > best)) best = g;
            }
            string which = channels % groups != 0 && filters % groups != 0 ? P("GroupsBoth", channels, filters, groups)
                : channels % groups != 0 ? P("GroupsChannels", channels, groups, channels % groups)
                : P("GroupsFilters", filters, groups, filters % groups);
            ReportWithFix(Rules.GroupsNotDividing, site, ArgumentTarget.Groups, new[] { "Value=" + best.ToString(CultureInfo.InvariantCulture) },
                name, KindText(l, site), groups, channels, filters, which, best);
        }

        /// <summary>CNN0011 (or CNN0018 when only padding is skipped): one finding per group of dimensions with the same numbers, with the fixes that make it exact.</summary>
        private void ReportDivisibility(LayerDeclaration l, string name, Site site, int[] input, long[] effective, int[] strides,
            int[] begin, int[] end, PaddingMode mode, long[] outSpatial)
        {
            if (mode == PaddingMode.Same) return; // Same gives ceil(I/S) by definition
            int d = input.Length - 1;
            string kind = KindText(l, site);
            foreach (List<int> group in GroupDimensions(d, k => (input[k + 1], effective[k], strides[k], begin[k], end[k])))
            {
                int k = group[0];
                long numerator = ShapeMath.Numerator(input[k + 1], effective[k], begin[k], end[k]);
                long r = numerator % strides[k];
                if (r == 0) continue;
                long s = strides[k];
                // A stride larger than the window skips positions between the windows anyway (CNN0015 says so): the ones
                // after the last window are more of the same, not a sign of a wrong size (a 1x1 stride-2 projection).
                if (LayerKinds.IsConv(l.Kind) && s > effective[k]) continue;
                long unread = Math.Max(0, r - end[k]);
                string dims = DimensionList(d, group);
                if (unread == 0)
                {
                    // Only end padding is skipped: every input position is read, nothing is lost (ResNet's stride-2 convs).
                    Report(Rules.OnlyPaddingSkipped, site, ArgumentTarget.Attribute, name, kind, dims, input[k + 1], effective[k], begin[k], end[k], s,
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
                ReportWithFix(Rules.NotDivisible, site, ArgumentTarget.Attribute, fixData.ToArray(), name, kind, dims, input[k + 1], effective[k], begin[k], end[k], s,
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

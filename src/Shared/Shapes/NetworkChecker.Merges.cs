using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnGen.Shapes
{
    /// <summary>The merges of SPEC's "Branches and merges": a residual sum, a concatenation, a gate.</summary>
    internal sealed partial class NetworkChecker
    {
        /// <summary>y = block(x) + shortcut(x): both sides must have exactly the same shape (no broadcasting).</summary>
        private bool CheckResidual(LayerDeclaration l, string name, Site site, Scope scope, LayerInfo header, int body, int shortcut, out int output)
        {
            output = -1;
            int[] b = _tensors[body].Shape.ToArray(), s = _tensors[shortcut].Shape.ToArray();
            if (b.SequenceEqual(s))
            {
                output = NewTensor(b, header.Index, Field.Merge(new[] { _fields[body], _fields[shortcut] }));
                return true;
            }
            string block = _net.Block(l.Blocks[0])!.DisplayName;
            string shortcutName = l.Shortcut is { } key ? _net.Block(key)!.DisplayName : P("TheIdentity");
            string fix;
            string[]? fixData = null;
            int[]? strides = b.Length == s.Length && b.Length > 1 ? ProjectionStrides(s, b) : b.Length == 1 && s.Length == 1 ? Array.Empty<int>() : null;
            if (strides is not null)
            {
                string conv = b.Length == 1 ? $"[Dense({b[0]}, Bias = false)]"
                    : strides.All(v => v == 1) ? $"[Conv({b[0]}, 1, Bias = false), BatchNorm]"
                    : strides.Distinct().Count() == 1 ? $"[Conv({b[0]}, 1, Stride = {strides[0]}, Bias = false), BatchNorm]"
                    : $"[Conv({b[0]}, 1, Strides = new[] {{ {string.Join(", ", strides)} }}, Bias = false), BatchNorm]";
                fix = P(l.Shortcut is null ? "FixProjection" : "FixShortcutGives", conv, ShapeMath.Format(b));
                if (l.Shortcut is null && b.Length > 1 && scope.Top)
                    fixData = new[] { "Projection=" + b[0].ToString(CultureInfo.InvariantCulture) + ";" + string.Join(",", strides) };
            }
            else
            {
                fix = P("FixKeepSize", ShapeMath.Format(s), ShapeMath.Format(b));
            }
            ReportWithFix(Rules.ResidualMismatch, site, ArgumentTarget.Attribute, fixData, name, KindOf(l, site), block, ShapeMath.Format(b),
                shortcutName, ShapeMath.Format(s), Differences(b, s), fix);
            return false;
        }

        /// <summary>
        /// Per spatial dimension, the stride of a 1x1 convolution that takes <paramref name="from"/> to the size of
        /// <paramref name="to"/> (O = ceil(I / S)); null when no stride does.
        /// </summary>
        private static int[]? ProjectionStrides(int[] from, int[] to)
        {
            var strides = new int[from.Length - 1];
            for (int k = 1; k < from.Length; k++)
            {
                int found = 0;
                for (int stride = 1; stride <= from[k] && found == 0; stride++)
                    if ((from[k] + stride - 1) / stride == to[k]) found = stride;
                if (found == 0) return null;
                strides[k - 1] = found;
            }
            return strides;
        }

        /// <summary>Which parts of two shapes differ, as a phrase: the channels, the spatial sizes, or the rank.</summary>
        private static string Differences(int[] a, int[] b)
        {
            if (a.Length != b.Length) return P("DiffRank", ShapeMath.Format(a), ShapeMath.Format(b));
            var parts = new List<string>();
            if (a[0] != b[0]) parts.Add(P("DiffChannels", a[0], b[0]));
            var dims = Enumerable.Range(1, a.Length - 1).Where(k => a[k] != b[k]).ToList();
            if (dims.Count > 0)
            {
                int d = a.Length - 1;
                parts.Add(P("DiffSpatial", string.Join(", ", dims.Select(k => ShapeMath.DimensionName(d, k - 1))),
                    string.Join("x", dims.Select(k => a[k])), string.Join("x", dims.Select(k => b[k]))));
            }
            return parts.Count == 1 ? parts[0] : P("And", parts[0], parts[1]);
        }

        /// <summary>Concatenation along channels: every branch must have the same spatial sizes.</summary>
        private bool CheckConcat(LayerDeclaration l, string name, Site site, Scope scope, LayerInfo header, int[] parts, out int output)
        {
            output = -1;
            int[] first = _tensors[parts[0]].Shape.ToArray();
            for (int i = 1; i < parts.Length; i++)
            {
                int[] other = _tensors[parts[i]].Shape.ToArray();
                if (other.Length == first.Length && other.Skip(1).SequenceEqual(first.Skip(1))) continue;
                string what = other.Length != first.Length ? P("DiffRank", ShapeMath.Format(other), ShapeMath.Format(first))
                    : Differences(new[] { 0 }.Concat(other.Skip(1)).ToArray(), new[] { 0 }.Concat(first.Skip(1)).ToArray());
                Report(Rules.ConcatMismatch, site, ArgumentTarget.Attribute, name, KindOf(l, site), i + 1, _net.Block(l.Blocks[i])!.DisplayName,
                    ShapeMath.Format(other), _net.Block(l.Blocks[0])!.DisplayName, ShapeMath.Format(first), what);
                return false;
            }
            long channels = 0;
            foreach (int p in parts) channels += _tensors[p].Shape[0];
            int[] shape = (int[])first.Clone();
            if (!FitsLimits(new[] { channels }.Concat(first.Skip(1).Select(v => (long)v)).ToArray(), 0, name, KindOf(l, site), site)) return false;
            shape[0] = (int)channels;
            output = NewTensor(shape, header.Index, Field.Merge(parts.Select(p => _fields[p])));
            return true;
        }

        /// <summary>y = x * gate(x): the gate gives the vector [C] (one factor per channel) or x's own shape.</summary>
        private bool CheckGate(LayerDeclaration l, string name, Site site, Scope scope, LayerInfo header, int x, int gate, out int output)
        {
            output = -1;
            int[] xs = _tensors[x].Shape.ToArray(), g = _tensors[gate].Shape.ToArray();
            if (g.SequenceEqual(xs) || (g.Length == 1 && g[0] == xs[0]))
            {
                output = NewTensor(xs, header.Index, Field.Merge(new[] { _fields[x], _fields[gate] }));
                return true;
            }
            Report(Rules.GateMismatch, site, ArgumentTarget.Attribute, name, KindOf(l, site), _net.Block(l.Blocks[0])!.DisplayName,
                ShapeMath.Format(g), ShapeMath.Format(xs), xs[0]);
            return false;
        }

        private static string KindOf(LayerDeclaration l, Site site) => KindText(l, site);
    }
}

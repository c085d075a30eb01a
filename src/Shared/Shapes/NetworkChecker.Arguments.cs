using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnGen.Shapes
{
    /// <summary>The checks that need no shape: names, argument values and the blocks a list of layers names.</summary>
    internal sealed partial class NetworkChecker
    {
        /// <summary>
        /// Checks the layers <paramref name="owner"/> declares (null: the analysed type; else a block's key): names,
        /// arguments and block references. Reported once per type, however often a block is used.
        /// </summary>
        private void CheckOwner(string? owner, IReadOnlyList<LayerDeclaration> layers)
        {
            CheckNames(owner, layers);
            string[] names = LayerNames(layers);
            for (int i = 0; i < layers.Count; i++)
            {
                int before = _findings.Count;
                CheckArguments(Site.Of(owner, i), layers[i], names[i]);
                if (LayerKinds.IsBlockUse(layers[i].Kind)) CheckBlockReferences(owner, i, layers[i], names[i]);
                for (int k = before; k < _findings.Count; k++)
                    if (Rules.ById(_findings[k].RuleId).Severity == RuleSeverity.Error) _badLayers.Add((owner ?? "", i));
            }
        }

        private void CheckNames(string? owner, IReadOnlyList<LayerDeclaration> layers)
        {
            string[] names = LayerNames(layers);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++)
            {
                string kind = LayerKinds.AttributeName(layers[i].Kind);
                if (layers[i].Name is { } given && string.IsNullOrWhiteSpace(given))
                {
                    string fallback = LayerNames(layers.Select(l => l with { Name = null }).ToArray())[i];
                    Report(Rules.BadLayerName, Site.Of(owner, i), ArgumentTarget.Name, i + 1, kind, P("NameEmpty", fallback));
                    continue;
                }
                if (seen.TryGetValue(names[i], out int first))
                    Report(Rules.BadLayerName, Site.Of(owner, i), ArgumentTarget.Name, i + 1, kind, P("NameUsed", names[i], first + 1));
                else
                    seen[names[i]] = i;
            }
        }

        /// <summary>
        /// Records the full name of a row; a name that a row of another list already has (a block's layer and its
        /// shortcut's, two branches of a Concat) is reported where the second one is. Twins within one list were
        /// reported on that list's type.
        /// </summary>
        private bool NameRow(LayerInfo row, Scope scope, Site site)
        {
            if (_fullNames.TryGetValue(row.Name, out var first))
            {
                if (first.Scope == scope) return true;
                Report(Rules.BadLayerName, site, ArgumentTarget.Name, "'" + row.Name + "'", LayerKinds.AttributeName(row.Kind),
                    P("NameUsedBy", row.Name, first.Row.Name, LayerKinds.AttributeName(first.Row.Kind)));
                return false;
            }
            _fullNames[row.Name] = (row, scope);
            return true;
        }

        private bool CheckArguments(Site site, LayerDeclaration l, string name)
        {
            int before = _findings.Count;
            string kind = LayerKinds.AttributeName(l.Kind);

            void AtLeast(ArgumentTarget target, string what, long value, long min)
            {
                if (value < min)
                    ReportWithFix(Rules.InvalidValue, site, target, new[] { "Value=" + min.ToString(CultureInfo.InvariantCulture) }, name, kind, what, P("AtLeast", min), value);
            }

            void AllAtLeast(ArgumentTarget target, string what, EquatableArray<int>? values, long min)
            {
                if (values is not { } v) return;
                for (int k = 0; k < v.Count; k++)
                {
                    if (v[k] < min)
                    {
                        ReportWithFix(Rules.InvalidValue, site, target, new[] { "Value=" + min.ToString(CultureInfo.InvariantCulture), "Index=" + k.ToString(CultureInfo.InvariantCulture) },
                            name, kind, v.Count == 1 ? what : $"{what}[{k}]", P("AtLeast", min), v[k]);
                        return;
                    }
                }
            }

            void NotEmpty(ArgumentTarget target, string what, EquatableArray<int> values, string given)
            {
                if (values.Count == 0) Report(Rules.InvalidValue, site, target, name, kind, what, given, P("Missing"));
            }

            void Conflict(bool a, bool b, string first, string second, ArgumentTarget target)
            {
                if (a && b) ReportWithFix(Rules.ConflictingArguments, site, target, new[] { "Conflict=" + first + "," + second }, name, kind, first, second);
            }

            if (l.Kind is LayerKind.Conv or LayerKind.Dense)
                AtLeast(ArgumentTarget.Units, l.Kind == LayerKind.Conv ? P("FilterCount") : P("UnitCount"), l.Units ?? 0, 1);
            if (l.Groups is { } g) AtLeast(ArgumentTarget.Groups, "Groups", g, 1);
            if (l.Multiplier is { } m) AtLeast(ArgumentTarget.Multiplier, "Multiplier", m, 1);

            if (LayerKinds.IsSpatial(l.Kind))
            {
                NotEmpty(ArgumentTarget.Kernel, P("KernelSize"), l.Kernel, P("KernelGiven"));
                AllAtLeast(ArgumentTarget.Kernel, P("KernelSize"), l.Kernel, 1);
                if (l.Stride is { } s) AtLeast(ArgumentTarget.Stride, "Stride", s, 1);
                AllAtLeast(ArgumentTarget.Strides, "Strides", l.Strides, 1);
                Conflict(l.Stride.HasValue, l.Strides.HasValue, "Stride", "Strides", ArgumentTarget.Strides);
                if (l.Padding is { } p && (p < 0 || p > 2))
                    Report(Rules.InvalidValue, site, ArgumentTarget.Padding, name, kind, "Padding", P("PaddingModes"), p);
                AllAtLeast(ArgumentTarget.Pads, "Pads", l.Pads, 0);
                Conflict(l.Padding.HasValue, l.Pads.HasValue, "Padding", "Pads", ArgumentTarget.Pads);
                if (l.Dilation is { } d) AtLeast(ArgumentTarget.Dilation, "Dilation", d, 1);
                AllAtLeast(ArgumentTarget.Dilations, "Dilations", l.Dilations, 1);
                Conflict(l.Dilation.HasValue, l.Dilations.HasValue, "Dilation", "Dilations", ArgumentTarget.Dilations);
            }
            if (l.Kind == LayerKind.Upsample)
            {
                NotEmpty(ArgumentTarget.Scale, P("TheScale"), l.Scale, P("ScaleGiven"));
                AllAtLeast(ArgumentTarget.Scale, P("TheScale"), l.Scale, 1);
            }
            if (l.Kind == LayerKind.ZeroPad)
            {
                if (l.Pads is { Count: 0 }) Report(Rules.InvalidValue, site, ArgumentTarget.Pads, name, kind, "pads", P("PadsGiven"), P("Missing"));
                AllAtLeast(ArgumentTarget.Pads, "pads", l.Pads, 0);
                if (l.Channels is { } c) AtLeast(ArgumentTarget.Channels, "Channels", c, 0);
            }

            if (l.Kind == LayerKind.BatchNorm && !(l.Epsilon > 0 && !float.IsInfinity(l.Epsilon)))
                ReportWithFix(Rules.InvalidValue, site, ArgumentTarget.Epsilon, new[] { "Value=1e-5f" }, name, kind, "Epsilon", P("PositiveFinite"), l.Epsilon);
            if (l.Kind is LayerKind.LeakyReLU or LayerKind.ELU && (float.IsNaN(l.Alpha) || float.IsInfinity(l.Alpha)))
                Report(Rules.InvalidValue, site, ArgumentTarget.Alpha, name, kind, "alpha", P("Finite"), l.Alpha);
            if (l.Kind == LayerKind.Dropout && !(l.Alpha >= 0f && l.Alpha < 1f))
                ReportWithFix(Rules.InvalidValue, site, ArgumentTarget.Alpha, new[] { "Value=0.5f" }, name, kind, "rate", P("Rate"), l.Alpha);
            if (l.Repeat is { } r) AtLeast(ArgumentTarget.Repeat, "Repeat", r, 1);
            if (l.Kind == LayerKind.Concat && l.Blocks.Count == 0)
                Report(Rules.InvalidValue, site, ArgumentTarget.Attribute, name, kind, P("TheBranches"), P("AtLeastOneBranch"), P("Empty"));
            AllAtLeast(ArgumentTarget.Expect, "Expect", l.Expect, 1);
            if (l.Expect is { Count: 0 })
                Report(Rules.InvalidValue, site, ArgumentTarget.Expect, name, kind, "Expect", P("NonEmptyShape"), P("Empty"));

            return _findings.Count == before;
        }

        /// <summary>The blocks a use names must be [Block] types (or Identity), and a block may not reach itself.</summary>
        private void CheckBlockReferences(string? owner, int index, LayerDeclaration l, string name)
        {
            string kind = LayerKinds.AttributeName(l.Kind);
            var references = new List<(string Key, ArgumentTarget Target, int Index)>();
            for (int b = 0; b < l.Blocks.Count; b++) references.Add((l.Blocks[b], ArgumentTarget.Blocks, b));
            if (l.Shortcut is { } s) references.Add((s, ArgumentTarget.Shortcut, -1));
            foreach ((string key, ArgumentTarget target, int at) in references)
            {
                BlockDeclaration? block = _net.Block(key);
                string shown = block?.DisplayName ?? key;
                switch (block?.Status)
                {
                    case BlockStatus.Identity when l.Kind is LayerKind.Multiply:
                        ReportAt(Rules.NotABlock, Site.Of(owner, index), target, at, null, name, kind, shown, P("IdentityGate"));
                        continue;
                    case BlockStatus.CompilerErrors:
                        _badLayers.Add((owner ?? "", index)); // the compiler reports the block's attributes
                        continue;
                    case BlockStatus.Block:
                    case BlockStatus.Identity:
                        break;
                    case BlockStatus.Network:
                        ReportAt(Rules.NotABlock, Site.Of(owner, index), target, at, null, name, kind, shown, P("IsNetwork", shown));
                        continue;
                    default:
                        ReportAt(Rules.NotABlock, Site.Of(owner, index), target, at, new[] { "AddBlock=" + key }, name, kind, shown, P("NotMarked", shown));
                        continue;
                }
                if ((owner ?? _self) is { } self && Path(key, self) is { } path)
                    ReportAt(Rules.BlockRecursion, Site.Of(owner, index), target, at, null, path[0], string.Join(" -> ", path));
            }
        }

        /// <summary>
        /// The chain of block names from <paramref name="owner"/> through <paramref name="from"/> back to
        /// <paramref name="owner"/>, or null when <paramref name="from"/> does not reach it.
        /// </summary>
        private List<string>? Path(string from, string owner)
        {
            var visited = new HashSet<string>(StringComparer.Ordinal);
            var trail = new List<string> { _net.Block(owner)?.DisplayName ?? _net.TypeName };
            bool Walk(string key)
            {
                BlockDeclaration? b = _net.Block(key);
                if (b is null || b.Status != BlockStatus.Block) return false;
                trail.Add(b.DisplayName);
                if (key == owner) return true;
                if (visited.Add(key))
                {
                    foreach (LayerDeclaration l in b.Layers)
                        foreach (string next in BlockKeys(l))
                            if (Walk(next)) return true;
                }
                trail.RemoveAt(trail.Count - 1);
                return false;
            }
            return Walk(from) ? trail : null;
        }

        private static IEnumerable<string> BlockKeys(LayerDeclaration l)
        {
            foreach (string key in l.Blocks) yield return key;
            if (l.Shortcut is { } s) yield return s;
        }

        /// <summary>The [Block] types reachable from the network's layers, each once.</summary>
        private List<BlockDeclaration> ReachableBlocks()
        {
            var found = new List<BlockDeclaration>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Queue<LayerDeclaration>(_net.Layers);
            while (pending.Count > 0)
            {
                foreach (string key in BlockKeys(pending.Dequeue()))
                {
                    if (!seen.Add(key) || _net.Block(key) is not { Status: BlockStatus.Block } block) continue;
                    found.Add(block);
                    foreach (LayerDeclaration inner in block.Layers) pending.Enqueue(inner);
                }
            }
            return found;
        }
    }
}

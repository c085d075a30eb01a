using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnGen.Shapes
{
    /// <summary>
    /// Checks a declared network against SPEC.md and infers the shape after every layer, expanding the blocks it uses.
    /// Pure: the same declaration always gives the same analysis, whoever asks (generator, analyzer, runtime).
    /// The phases are in partial files: the checks that need no shape (NetworkChecker.Arguments.cs), the blocks a
    /// declaration names (NetworkChecker.Blocks.cs), one layer's shape (NetworkChecker.Layers.cs) and merges
    /// (NetworkChecker.Merges.cs).
    /// </summary>
    internal sealed partial class NetworkChecker
    {
        private const long MaxElements = int.MaxValue;

        private readonly NetworkDeclaration _net;
        private readonly List<Finding> _findings = new();
        private readonly List<LayerInfo> _rows = new();
        private readonly List<TensorInfo> _tensors = new();
        private readonly List<Field> _fields = new();
        private readonly Dictionary<string, (LayerInfo Row, Scope Scope)> _fullNames = new(StringComparer.Ordinal);
        private readonly HashSet<(string Owner, int Layer)> _badLayers = new();
        private string? _self; // the key of a block checked on its own

        private NetworkChecker(NetworkDeclaration net) => _net = net;

        /// <summary>Checks the network and infers every shape, its blocks expanded where they are used.</summary>
        public static NetworkAnalysis Analyze(NetworkDeclaration net)
        {
            var checker = new NetworkChecker(net);
            int output = checker.Run();
            return new NetworkAnalysis(net, new EquatableArray<LayerInfo>(checker._rows.ToArray()), new EquatableArray<Finding>(checker._findings.ToArray()))
            {
                Tensors = new EquatableArray<TensorInfo>(checker._tensors.ToArray()),
                OutputTensor = output,
            };
        }

        /// <summary>
        /// Checks a block type on its own, where it has no input shape: its arguments, names and the blocks it names.
        /// <paramref name="block"/> holds the block's layers as <see cref="NetworkDeclaration.Layers"/>; problems that
        /// depend on a shape are found where a network uses the block.
        /// </summary>
        /// <param name="block">The block's layers, and the blocks they reach.</param>
        /// <param name="key">The block's own key (a block that reaches itself is an error).</param>
        public static NetworkAnalysis AnalyzeBlock(NetworkDeclaration block, string key)
        {
            var checker = new NetworkChecker(block) { _self = key };
            if (block.Layers.Count == 0)
                checker.Report(Rules.NoLayers, Site.Own(Finding.NetworkAttribute), ArgumentTarget.Attribute, P("TheBlock", block.TypeName), P("AddBlockLayers"));
            else
                checker.CheckOwner(null, block.Layers);
            return new NetworkAnalysis(block, EquatableArray<LayerInfo>.Empty, new EquatableArray<Finding>(checker._findings.ToArray()));
        }

        /// <summary>
        /// The default names of a list of layers: the given Name, or prefix + count as <see cref="LayerKinds.DefaultNamePrefix"/>
        /// says, counted per prefix within the list.
        /// </summary>
        public static string[] LayerNames(IReadOnlyList<LayerDeclaration> layers) => LayerNames(layers, new Dictionary<string, int>());

        /// <summary>Names with the counts of <paramref name="counts"/>, which go on (a Residual's shortcut counts on from its block).</summary>
        private static string[] LayerNames(IReadOnlyList<LayerDeclaration> layers, Dictionary<string, int> counts)
        {
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

        // ---- where a finding is reported -------------------------------------------------------------

        /// <summary>
        /// Where the attribute being checked is reported: an attribute of the analysed type (<see cref="Owner"/> null) or
        /// of a block type (checked once per block), or, for a layer of a block checked at a use (a shape it receives),
        /// the network's attribute that uses it (<see cref="InBlock"/> names the block).
        /// </summary>
        private readonly struct Site
        {
            private Site(string? owner, int layer, string? inBlock)
            {
                Owner = owner;
                Layer = layer;
                InBlock = inBlock;
            }

            public string? Owner { get; }
            public int Layer { get; }
            public string? InBlock { get; }

            public static Site Own(int layer) => new(null, layer, null);

            public static Site Of(string? owner, int layer) => new(owner, layer, null);

            /// <summary>A layer of block <paramref name="block"/> reached through the network's attribute <paramref name="use"/>.</summary>
            public static Site Inside(int use, string block) => new(null, use, block);
        }

        private static string P(string key, params object[] args) => Strings.Phrase(key, args);

        private static string Text(object o) => o switch
        {
            long l => l.ToString(CultureInfo.InvariantCulture),
            int i => i.ToString(CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            _ => o.ToString() ?? "",
        };

        private void Report(Rule rule, Site site, ArgumentTarget target, params object[] args) => ReportWithFix(rule, site, target, null, args);

        /// <summary>
        /// Reports with the data a code fix needs ("Key=Value" entries, see <see cref="Finding.Fix"/>). Inside a block at a
        /// use, the finding moves to the use's attribute as a whole and loses its fix (the fix belongs in the block).
        /// </summary>
        private void ReportWithFix(Rule rule, Site site, ArgumentTarget target, string[]? fix, params object[] args) =>
            ReportAt(rule, site, target, -1, fix, args);

        private void ReportAt(Rule rule, Site site, ArgumentTarget target, int index, string[]? fix, params object[] args)
        {
            bool moved = site.InBlock is not null;
            var finding = new Finding(rule.Id, site.Layer, moved ? ArgumentTarget.Attribute : target, new EquatableArray<string>(args.Select(Text).ToArray()))
            {
                Owner = site.Owner,
                Index = moved ? -1 : index,
                Fix = moved || fix is null ? EquatableArray<string>.Empty : new EquatableArray<string>(fix),
            };
            if (!_findings.Contains(finding)) _findings.Add(finding); // a block repeated or used twice at one use says it once
        }

        /// <summary>How a layer's kind is written in a message: "Conv", or at a use, "Conv in block Basic16".</summary>
        private static string KindText(LayerDeclaration l, Site site) =>
            site.InBlock is { } block ? P("KindInBlock", LayerKinds.AttributeName(l.Kind), block) : LayerKinds.AttributeName(l.Kind);

        // ---- the run ---------------------------------------------------------------------------------

        /// <summary>Runs every check; returns the network's output tensor.</summary>
        private int Run()
        {
            bool inputOk = CheckInputShape();
            if (_net.Layers.Count == 0)
            {
                Report(Rules.NoLayers, Site.Own(Finding.NetworkAttribute), ArgumentTarget.Attribute, P("TheNetwork", _net.TypeName), P("AddNetworkLayers"));
                return 0;
            }

            CheckOwner(null, _net.Layers);
            foreach (BlockDeclaration b in ReachableBlocks())
            {
                // An empty block is reported on the block itself (AnalyzeBlock); here it only keeps the network from being generated.
                if (b.Layers.Count == 0)
                    Report(Rules.NoLayers, Site.Of(b.Key, Finding.NetworkAttribute), ArgumentTarget.Attribute, P("TheBlock", b.DisplayName), P("AddBlockLayers"));
                else
                    CheckOwner(b.Key, b.Layers);
            }
            if (!inputOk) return 0;

            int x = NewTensor(_net.InputShape.ToArray(), -1, Field.Start(_net.InputShape.Count - 1));
            var scope = new Scope(null, "", new Dictionary<string, int>(), 0, -1, 0, top: true);
            ExpandList(_net.Layers, scope, ref x);
            return x;
        }

        private bool CheckInputShape()
        {
            var shape = _net.InputShape;
            string shown = "(" + string.Join(", ", shape.Select(v => v.ToString(CultureInfo.InvariantCulture))) + ")";
            Site site = Site.Own(Finding.NetworkAttribute);
            if (shape.Count < 2 || shape.Count > 4)
            {
                Report(Rules.InvalidInputShape, site, ArgumentTarget.InputShape, shown, P("InputRankWrong", shape.Count));
                return false;
            }
            for (int i = 0; i < shape.Count; i++)
            {
                if (shape[i] < 1)
                {
                    string dim = i == 0 ? P("Channels") : ShapeMath.DimensionName(shape.Count - 1, i - 1);
                    Report(Rules.InvalidInputShape, site, ArgumentTarget.InputShape, shown, P("InputSizeTooSmall", dim, shape[i]));
                    return false;
                }
            }
            long elements = ShapeMath.Product(shape);
            if (elements > MaxElements)
            {
                Report(Rules.TooLarge, site, ArgumentTarget.InputShape, "[ConvNet]", P("InputElementCount", ShapeMath.Format(shape)), ShapeMath.Count(elements), P("AnInt"));
                return false;
            }
            return true;
        }

        // ---- expansion -------------------------------------------------------------------------------

        /// <summary>
        /// A list of layers being expanded: who declares it, the prefix of its names, the default-name counts it shares
        /// with the other lists of the same use (a Residual's shortcut counts on from its block), and where it sits.
        /// </summary>
        private sealed class Scope
        {
            public Scope(string? owner, string prefix, Dictionary<string, int> counts, int depth, int parent, int branch, bool top = false, int use = -1, string? block = null)
            {
                Owner = owner;
                Prefix = prefix;
                Counts = counts;
                Depth = depth;
                Parent = parent;
                Branch = branch;
                Top = top;
                Use = use;
                Block = block;
            }

            public string? Owner { get; }
            public string Prefix { get; }
            public Dictionary<string, int> Counts { get; }
            public int Depth { get; }
            public int Parent { get; }
            public int Branch { get; }
            /// <summary>The network's own layers (findings are reported on them directly).</summary>
            public bool Top { get; }
            /// <summary>Below the top: the network's attribute whose use this is inside.</summary>
            public int Use { get; }
            /// <summary>Below the top: the display name of the block that declares these layers.</summary>
            public string? Block { get; }

            public Site SiteOf(int layer) => Top ? Site.Own(layer) : Site.Inside(Use, Block!);
        }

        /// <summary>Expands <paramref name="layers"/> from tensor <paramref name="x"/>; false once a layer has an error (the rest is not checked).</summary>
        private bool ExpandList(IReadOnlyList<LayerDeclaration> layers, Scope scope, ref int x)
        {
            string[] names = LayerNames(layers, scope.Counts);
            for (int i = 0; i < layers.Count; i++)
            {
                if (_badLayers.Contains((scope.Owner ?? "", i))) return false; // its own arguments are wrong: nothing to infer from here
                string name = scope.Prefix + names[i];
                Site site = scope.SiteOf(i);
                LayerDeclaration l = layers[i];
                bool ok = l.Kind switch
                {
                    _ when LayerKinds.IsBlockUse(l.Kind) => ExpandUse(l, name, site, scope, i, ref x),
                    _ => InferLayer(l, name, site, scope, ref x),
                };
                if (!ok) return false;
            }
            return true;
        }

        /// <summary>A block use (Sequential, Residual, Concat, Multiply), <c>Repeat</c> times.</summary>
        private bool ExpandUse(LayerDeclaration l, string name, Site site, Scope scope, int index, ref int x)
        {
            int repeat = l.Repeat ?? 1;
            int use = scope.Top ? index : scope.Use;
            for (int r = 0; r < repeat; r++)
            {
                string useName = repeat > 1 ? name + "." + r.ToString(CultureInfo.InvariantCulture) : name;
                int row = _rows.Count;
                var header = new LayerInfo(row, useName, l.Kind)
                {
                    InputShape = _tensors[x].Shape,
                    Depth = scope.Depth,
                    Parent = scope.Parent,
                    Branch = scope.Branch,
                    Inputs = new EquatableArray<int>(new[] { x }),
                };
                _rows.Add(header);
                if (!NameRow(header, scope, site)) return false;

                var counts = new Dictionary<string, int>();
                int? Inner(string key, int branch, int from)
                {
                    BlockDeclaration block = _net.Block(key)!;
                    if (block.Status == BlockStatus.Identity) return from;
                    var inner = new Scope(key, useName + ".", counts, scope.Depth + 1, row, branch, use: use, block: block.DisplayName);
                    int t = from;
                    return ExpandList(block.Layers, inner, ref t) ? t : null;
                }

                var names = new List<string>();
                int output;
                EquatableArray<int> inputs;
                switch (l.Kind)
                {
                    case LayerKind.Sequential:
                    {
                        names.Add(_net.Block(l.Blocks[0])!.DisplayName);
                        if (Inner(l.Blocks[0], 0, x) is not { } t) return false;
                        output = t;
                        inputs = new EquatableArray<int>(new[] { x });
                        break;
                    }
                    case LayerKind.Residual:
                    {
                        names.Add(_net.Block(l.Blocks[0])!.DisplayName);
                        names.Add(l.Shortcut is { } s ? _net.Block(s)!.DisplayName : BlockDeclaration.Identity.DisplayName);
                        if (Inner(l.Blocks[0], 0, x) is not { } body) return false;
                        int shortcut = x;
                        if (l.Shortcut is { } key)
                        {
                            if (Inner(key, 1, x) is not { } projected) return false;
                            shortcut = projected;
                        }
                        if (!CheckResidual(l, useName, site, scope, header, body, shortcut, out output)) return false;
                        inputs = new EquatableArray<int>(new[] { body, shortcut });
                        break;
                    }
                    case LayerKind.Concat:
                    {
                        var parts = new int[l.Blocks.Count];
                        for (int b = 0; b < l.Blocks.Count; b++)
                        {
                            names.Add(_net.Block(l.Blocks[b])!.DisplayName);
                            if (Inner(l.Blocks[b], b, x) is not { } t) return false;
                            parts[b] = t;
                        }
                        if (!CheckConcat(l, useName, site, scope, header, parts, out output)) return false;
                        inputs = new EquatableArray<int>(parts);
                        break;
                    }
                    default:
                    {
                        names.Add(_net.Block(l.Blocks[0])!.DisplayName);
                        if (Inner(l.Blocks[0], 0, x) is not { } gate) return false;
                        if (!CheckGate(l, useName, site, scope, header, x, gate, out output)) return false;
                        inputs = new EquatableArray<int>(new[] { x, gate });
                        break;
                    }
                }

                long parameters = 0, macs = 0;
                for (int k = row + 1; k < _rows.Count; k++)
                {
                    if (_rows[k].IsBlockUse) continue;
                    parameters = ShapeMath.SaturatingAdd(parameters, _rows[k].Parameters);
                    macs = ShapeMath.SaturatingAdd(macs, _rows[k].Macs);
                }
                _rows[row] = header with
                {
                    OutputShape = _tensors[output].Shape,
                    Output = output,
                    Inputs = inputs,
                    End = _rows.Count,
                    BlockNames = new EquatableArray<string>(names.ToArray()),
                    Parameters = parameters,
                    Macs = macs,
                    ReceptiveField = _fields[output].Shown,
                    ReLU = l.ReLU,
                };
                x = output;
            }
            return CheckExpect(l, name, site, x);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Tool
{
    /// <summary>The items read from the graph written as a declaration: block types, their names and the layers' names.</summary>
    internal sealed partial class OnnxImporter
    {
        /// <summary>
        /// Writes the items as a network and its [Block] types. The layers of each branch become a block; identical
        /// lists of layers (same layers, same names relative to their use) are one block type used several times, and
        /// consecutive uses of one block whose names are Name.0, Name.1, ... are one use with Repeat. With
        /// <c>names</c>, layers are named after the modules of their weights: a use is named after the module its
        /// layers share ("layer1.0" for layer1.0.conv1, layer1.0.bn1, ...; the exporter's scope of the merge node says
        /// which level when there are several, "features.3" rather than "features.3.conv"), and its layers relative to it
        /// ("conv1", "downsample.0"), so the full names are the modules' and the state_dict loads by name. Names equal to
        /// CnnGen's defaults are left out.
        /// </summary>
        private sealed class Emitter
        {
            private readonly string _typeName;
            private readonly bool _names;
            private readonly Dictionary<EquatableArray<LayerDeclaration>, string> _keys = new();
            private readonly List<BlockDeclaration> _blocks = new();
            private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

            public Emitter(string typeName, bool names)
            {
                _typeName = typeName;
                _names = names;
                _taken.Add(typeName);
                // Names the printed file's `using CnnGen;` already brings: a block called Identity or Conv would be ambiguous.
                foreach (Type t in typeof(ConvNetAttribute).Assembly.GetExportedTypes())
                {
                    _taken.Add(t.Name);
                    if (t.Name.EndsWith("Attribute", StringComparison.Ordinal)) _taken.Add(t.Name.Substring(0, t.Name.Length - "Attribute".Length));
                }
            }

            public NetworkDeclaration Network(List<Item> items, int[] input)
            {
                EquatableArray<LayerDeclaration> layers = List(items, "", new Dictionary<string, int>(StringComparer.Ordinal));
                // Blocks in the order a reader meets them: each after the layer that first uses it, a block's own blocks after it.
                var ordered = new List<BlockDeclaration>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                void Visit(IEnumerable<LayerDeclaration> list)
                {
                    foreach (LayerDeclaration l in list)
                    {
                        foreach (string key in l.Shortcut is { } s ? l.Blocks.Append(s) : l.Blocks)
                        {
                            if (key == BlockDeclaration.IdentityKey || !seen.Add(key)) continue;
                            BlockDeclaration block = _blocks.First(b => b.Key == key);
                            ordered.Add(block);
                            Visit(block.Layers);
                        }
                    }
                }
                Visit(layers);
                return new NetworkDeclaration(_typeName, new EquatableArray<int>(input), layers) { Blocks = new EquatableArray<BlockDeclaration>(ordered.ToArray()) };
            }

            /// <summary>
            /// The declarations of <paramref name="items"/>, named relative to <paramref name="prefix"/> (the full name of
            /// the use they are in and a dot; "" at the top; null where no module name can be kept). <paramref name="counts"/>
            /// are the default-name counts, shared by the parts of one use as the checker shares them.
            /// </summary>
            private EquatableArray<LayerDeclaration> List(List<Item> items, string? prefix, Dictionary<string, int> counts)
            {
                var layers = new List<LayerDeclaration>();
                foreach (Item item in items)
                {
                    if (item is LayerItem l)
                    {
                        layers.Add(l.Layer with { Name = Relative(l.Module, prefix) });
                        continue;
                    }
                    var use = (UseItem)item;
                    string? full = prefix is null ? null : UseName(use, prefix);
                    string? inner = full is null ? null : full + ".";
                    var shared = new Dictionary<string, int>(StringComparer.Ordinal);
                    var keys = new List<string?>();
                    for (int i = 0; i < use.Parts.Count; i++)
                    {
                        if (use.Parts[i] is not { } part)
                        {
                            keys.Add(use.Kind == LayerKind.Residual ? null : BlockDeclaration.IdentityKey);
                            continue;
                        }
                        EquatableArray<LayerDeclaration> blockLayers = List(part, inner, shared);
                        keys.Add(Register(blockLayers, BaseName(use, i, blockLayers)));
                    }
                    var declaration = new LayerDeclaration(use.Kind) { Name = full?.Substring(prefix!.Length), ReLU = use.ReLU };
                    layers.Add(use.Kind == LayerKind.Residual
                        ? declaration with { Blocks = new EquatableArray<string>(new[] { keys[0]! }), Shortcut = keys[1] }
                        : declaration with { Blocks = new EquatableArray<string>(keys.Select(k => k!).ToArray()) });
                }
                Repeats(layers);
                DropDefaults(layers, counts);
                return new EquatableArray<LayerDeclaration>(layers.ToArray());
            }

            private string? Relative(string? module, string? prefix) =>
                _names && module is not null && prefix is not null && module.Length > prefix.Length && module.StartsWith(prefix, StringComparison.Ordinal)
                    ? module.Substring(prefix.Length)
                    : null;

            /// <summary>
            /// The full name of a use: the module path its layers' modules share (each keeps at least its last atom), cut
            /// to the level the merge node's exporter scope names when it names one; null when its layers name no module
            /// or share nothing below <paramref name="prefix"/>.
            /// </summary>
            private string? UseName(UseItem use, string prefix)
            {
                if (!_names) return null;
                List<string[]> modules = Modules(use.Parts).Select(m => m.Split('.')).ToList();
                if (modules.Count == 0) return null;
                int common = modules.Min(m => m.Length - 1);
                for (int k = 0; k < common; k++)
                {
                    if (modules.Any(m => m[k] != modules[0][k]))
                    {
                        common = k;
                        break;
                    }
                }
                int start = prefix.Length == 0 ? 0 : prefix.TrimEnd('.').Split('.').Length;
                string[] shared = modules[0].Take(common).ToArray();
                if (common <= start || !string.Join(".", shared).StartsWith(prefix, StringComparison.Ordinal)) return null;
                foreach (string[] level in ScopeLevels(use.Merge.Name))
                {
                    for (int k = common; k > start; k--)
                        if (k >= level.Length && shared.Skip(k - level.Length).Take(level.Length).SequenceEqual(level))
                            return string.Join(".", shared.Take(k));
                }
                return string.Join(".", shared);
            }

            /// <summary>
            /// The module the torch exporter's scope puts a node in: "/features/features.3/Add" gives "features.3" (each
            /// level is named from its last non-numeric atom on; a second call adds "_1", which is tried without too).
            /// </summary>
            private static IEnumerable<string[]> ScopeLevels(string nodeName)
            {
                string[] parts = nodeName.Split('/');
                if (parts.Length < 3 || parts[0].Length != 0) yield break;
                string level = parts[parts.Length - 2];
                if (level.Length == 0) yield break;
                yield return level.Split('.');
                int underscore = level.LastIndexOf('_');
                if (underscore > 0 && underscore < level.Length - 1 && level.Substring(underscore + 1).All(char.IsDigit))
                    yield return level.Substring(0, underscore).Split('.');
            }

            private string Register(EquatableArray<LayerDeclaration> layers, string baseName)
            {
                if (_keys.TryGetValue(layers, out string? key)) return key;
                key = baseName;
                for (int n = 2; _taken.Contains(key); n++) key = baseName + "_" + n.ToString(CultureInfo.InvariantCulture);
                _taken.Add(key);
                _keys[layers] = key;
                _blocks.Add(new BlockDeclaration(key, key, BlockStatus.Block, layers));
                return key;
            }

            /// <summary>
            /// A block's name from what it does: a residual block Basic (two convolutions with windows), Bottleneck (1x1,
            /// kxk, 1x1), Inverted (with a depthwise convolution) or Residual, then its output channels and "Down" when
            /// it shrinks the map (Basic64, Basic128Down); a projection shortcut Downsample128 or Projection256; a
            /// Concat branch Branch64; a gate SqueezeExcite32 (global pool first) or Gate32.
            /// </summary>
            private static string BaseName(UseItem use, int part, EquatableArray<LayerDeclaration> layers)
            {
                int[]? input = use.InShape;
                int[]? output = use.Parts[part] is { Count: > 0 } items ? items[items.Count - 1].OutShape : input;
                string channels = output is { Length: > 0 } ? output[0].ToString(CultureInfo.InvariantCulture) : "";
                bool down = input is not null && output is not null && input.Length == output.Length && input.Length > 1
                            && Enumerable.Range(1, input.Length - 1).Any(k => output[k] < input[k]);
                string suffix = down ? "Down" : "";
                switch (use.Kind)
                {
                    case LayerKind.Residual when part == 0:
                        return Structure(layers) + channels + suffix;
                    case LayerKind.Residual:
                        return (down ? "Downsample" : "Projection") + channels;
                    case LayerKind.Concat:
                        return "Branch" + channels + suffix;
                    default:
                        string gated = input is { Length: > 0 } ? input[0].ToString(CultureInfo.InvariantCulture) : "";
                        return (layers.Count > 0 && LayerKinds.IsGlobalPool(layers[0].Kind) ? "SqueezeExcite" : "Gate") + gated;
                }
            }

            private static string Structure(EquatableArray<LayerDeclaration> layers)
            {
                var convs = layers.Where(l => LayerKinds.IsConv(l.Kind)).ToList();
                bool Window(LayerDeclaration l) => l.Kernel.Any(k => k > 1);
                if (convs.Any(l => l.Kind == LayerKind.DepthwiseConv)) return "Inverted";
                if (convs.Count == 2 && convs.All(Window)) return "Basic";
                if (convs.Count == 3 && !Window(convs[0]) && Window(convs[1]) && !Window(convs[2])) return "Bottleneck";
                return "Residual";
            }

            /// <summary>Consecutive uses of the same blocks named Name.0, Name.1, ... (or all unnamed) become one use with Repeat.</summary>
            private static void Repeats(List<LayerDeclaration> layers)
            {
                for (int i = 0; i < layers.Count; i++)
                {
                    LayerDeclaration first = layers[i];
                    if (first.Kind is not (LayerKind.Residual or LayerKind.Sequential) || first.Repeat is not null) continue;
                    string? stem = null;
                    if (first.Name is { } name)
                    {
                        if (!name.EndsWith(".0", StringComparison.Ordinal) || name.Length < 3) continue;
                        stem = name.Substring(0, name.Length - 2);
                    }
                    LayerDeclaration unnamed = first with { Name = null };
                    int j = i + 1;
                    while (j < layers.Count && layers[j] with { Name = null } == unnamed
                           && layers[j].Name == (stem is null ? null : stem + "." + (j - i).ToString(CultureInfo.InvariantCulture)))
                        j++;
                    if (j - i < 2) continue;
                    layers[i] = first with { Name = stem, Repeat = j - i };
                    layers.RemoveRange(i + 1, j - i - 1);
                }
            }

            /// <summary>Leaves out the names CnnGen gives anyway (prefix and a count per prefix, going on in <paramref name="counts"/>).</summary>
            private static void DropDefaults(List<LayerDeclaration> layers, Dictionary<string, int> counts)
            {
                for (int i = 0; i < layers.Count; i++)
                {
                    string prefix = LayerKinds.DefaultNamePrefix(layers[i].Kind);
                    counts.TryGetValue(prefix, out int n);
                    counts[prefix] = ++n;
                    if (layers[i].Name == prefix + n.ToString(CultureInfo.InvariantCulture)) layers[i] = layers[i] with { Name = null };
                }
            }

            /// <summary>The modules named by the weights of the layers in <paramref name="parts"/>, nested uses included.</summary>
            public static IEnumerable<string> Modules(IEnumerable<List<Item>?> parts)
            {
                foreach (List<Item>? part in parts)
                {
                    if (part is null) continue;
                    foreach (Item item in part)
                    {
                        if (item is LayerItem { Module: { } m }) yield return m;
                        else if (item is UseItem use)
                            foreach (string inner in Modules(use.Parts)) yield return inner;
                    }
                }
            }
        }
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using CnnGen.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Declarations
{
    /// <summary>A problem with how the type is declared (not with the architecture), where the analyzer reports it.</summary>
    internal sealed record StructuralProblem(Rule Rule, Location Location, string[] Args)
    {
        /// <summary>
        /// Whether the problem is on a type that contains the network (a containing type that is not partial): the
        /// analyzer reports it while analysing that type, so that it is local to the type's declaration.
        /// </summary>
        public bool OnContainingType { get; init; }
    }

    /// <summary>What <see cref="DeclarationReader"/> found on a type: the network and the attributes behind it.</summary>
    internal sealed class DeclarationReadResult
    {
        public DeclarationReadResult(NetworkDeclaration declaration, AttributeData? convNet, ImmutableArray<AttributeData> layerAttributes,
            bool hasCompilerErrors, ImmutableArray<StructuralProblem> problems)
        {
            Declaration = declaration;
            ConvNet = convNet;
            LayerAttributes = layerAttributes;
            HasCompilerErrors = hasCompilerErrors;
            Problems = problems;
        }

        public NetworkDeclaration Declaration { get; }

        public AttributeData? ConvNet { get; }

        /// <summary>The layer attributes, in the order of <see cref="NetworkDeclaration.Layers"/>.</summary>
        public ImmutableArray<AttributeData> LayerAttributes { get; }

        /// <summary>An attribute could not be bound (wrong argument types, ...): the compiler reports that, CnnGen stays quiet.</summary>
        public bool HasCompilerErrors { get; }

        public ImmutableArray<StructuralProblem> Problems { get; }

        /// <summary>Whether the type is a [Block] (its layers are checked where networks use it).</summary>
        public bool IsBlock { get; init; }

        /// <summary>The type's key, as block uses name it.</summary>
        public string Key { get; init; } = "";

        /// <summary>Whether the type and all its containing types are partial, so that members can be added to it.</summary>
        public bool CanAddMembers => !Problems.Any(p => p.Rule == Rules.NotPartial || p.Rule == Rules.NotInstantiable);
    }

    /// <summary>Reads the CnnGen attributes of a type into a <see cref="NetworkDeclaration"/> (Roslyn side of the shared model).</summary>
    internal static class DeclarationReader
    {
        public const string Namespace = "CnnGen";
        public const string ConvNetMetadataName = "CnnGen.ConvNetAttribute";

        private static readonly Dictionary<string, LayerKind> LayerAttributeNames = new()
        {
            ["ConvAttribute"] = LayerKind.Conv,
            ["MaxPoolAttribute"] = LayerKind.MaxPool,
            ["AvgPoolAttribute"] = LayerKind.AvgPool,
            ["GlobalAvgPoolAttribute"] = LayerKind.GlobalAvgPool,
            ["GlobalMaxPoolAttribute"] = LayerKind.GlobalMaxPool,
            ["FlattenAttribute"] = LayerKind.Flatten,
            ["DenseAttribute"] = LayerKind.Dense,
            ["BatchNormAttribute"] = LayerKind.BatchNorm,
            ["ReLUAttribute"] = LayerKind.ReLU,
            ["LeakyReLUAttribute"] = LayerKind.LeakyReLU,
            ["ELUAttribute"] = LayerKind.ELU,
            ["SigmoidAttribute"] = LayerKind.Sigmoid,
            ["TanhAttribute"] = LayerKind.Tanh,
            ["SoftmaxAttribute"] = LayerKind.Softmax,
            ["DepthwiseConvAttribute"] = LayerKind.DepthwiseConv,
            ["UpsampleAttribute"] = LayerKind.Upsample,
            ["ZeroPadAttribute"] = LayerKind.ZeroPad,
            ["DropoutAttribute"] = LayerKind.Dropout,
            ["ReLU6Attribute"] = LayerKind.ReLU6,
            ["HardSigmoidAttribute"] = LayerKind.HardSigmoid,
            ["HardSwishAttribute"] = LayerKind.HardSwish,
            ["SiLUAttribute"] = LayerKind.SiLU,
            ["SequentialAttribute"] = LayerKind.Sequential,
            ["ResidualAttribute"] = LayerKind.Residual,
            ["ConcatAttribute"] = LayerKind.Concat,
            ["MultiplyAttribute"] = LayerKind.Multiply,
        };

        private static bool IsCnnGen(INamedTypeSymbol? cls) =>
            cls is { ContainingNamespace: { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true } };

        public static bool IsConvNet(AttributeData a) => IsCnnGen(a.AttributeClass) && a.AttributeClass!.Name == "ConvNetAttribute";

        public static bool IsBlock(AttributeData a) => IsCnnGen(a.AttributeClass) && a.AttributeClass!.Name == "BlockAttribute";

        /// <summary>Whether <paramref name="type"/> is marked [Block].</summary>
        public static bool IsBlockType(INamedTypeSymbol type) => type.GetAttributes().Any(IsBlock);

        public static bool TryGetLayerKind(AttributeData a, out LayerKind kind)
        {
            kind = default;
            return IsCnnGen(a.AttributeClass) && LayerAttributeNames.TryGetValue(a.AttributeClass!.Name, out kind);
        }

        /// <summary>
        /// Reads the network (or block) on <paramref name="type"/> and every block type it reaches; null when the type
        /// carries no CnnGen attribute.
        /// </summary>
        public static DeclarationReadResult? Read(INamedTypeSymbol type, CancellationToken ct)
        {
            AttributeData? convNet = null, block = null;
            int convNets = 0;
            foreach (AttributeData a in type.GetAttributes())
            {
                if (IsConvNet(a))
                {
                    convNets++;
                    convNet ??= a;
                }
                else if (IsBlock(a)) block ??= a;
            }
            var symbols = new Dictionary<string, ITypeSymbol>(System.StringComparer.Ordinal);
            bool errors = !ReadLayers(type, symbols, out List<LayerDeclaration> layers, out ImmutableArray<AttributeData> attributes);
            var layerAttributes = attributes.ToBuilder();
            if (convNet is null && block is null && layers.Count == 0) return null;
            errors |= convNet?.AttributeConstructor is null && convNet is not null;
            ct.ThrowIfCancellationRequested();

            errors |= convNets > 1;
            EquatableArray<int> input = EquatableArray<int>.Empty;
            if (convNet is not null && !errors)
            {
                int[]? shape = convNet.ConstructorArguments.Length == 1 ? IntArray(convNet.ConstructorArguments[0]) : null;
                errors |= shape is null;
                input = new EquatableArray<int>(shape ?? System.Array.Empty<int>());
            }

            var problems = ImmutableArray.CreateBuilder<StructuralProblem>();
            if (block is not null && convNet is not null)
                problems.Add(new StructuralProblem(Rules.BlockIsNetwork, LocationOf(convNet) ?? type.Locations.FirstOrDefault() ?? Location.None, new[] { type.Name }));
            if (block is null)
            {
                // A block gets no generated members: it need not be partial nor instantiable.
                CheckPartial(type, problems);
                if (type.IsStatic || type.IsAbstract)
                    problems.Add(new StructuralProblem(Rules.NotInstantiable, type.Locations.FirstOrDefault() ?? Location.None,
                        new[] { type.Name, Strings.Phrase(type.IsStatic ? "Static" : "Abstract") }));
            }
            CheckSplit(type, layerAttributes, problems, ct);
            if (convNet is null && block is null)
            {
                Location at = LocationOf(layerAttributes[0]) ?? type.Locations.FirstOrDefault() ?? Location.None;
                problems.Add(new StructuralProblem(Rules.MissingConvNet, at, new[] { type.Name }));
            }

            EquatableArray<BlockDeclaration> blocks = ReadBlocks(layers, symbols, ct, ref errors);
            var declaration = new NetworkDeclaration(type.Name, input, new EquatableArray<LayerDeclaration>(layers.ToArray())) { Blocks = blocks };
            return new DeclarationReadResult(declaration, convNet, layerAttributes.ToImmutable(), errors, problems.ToImmutable())
            {
                IsBlock = block is not null,
                Key = KeyOf(type),
            };
        }

        /// <summary>The layer attributes of <paramref name="type"/> in order; false when one could not be bound.</summary>
        /// <param name="symbols">Receives the types the layers name as blocks, by key.</param>
        private static bool ReadLayers(INamedTypeSymbol type, Dictionary<string, ITypeSymbol> symbols, out List<LayerDeclaration> layers, out ImmutableArray<AttributeData> attributes)
        {
            layers = new List<LayerDeclaration>();
            var builder = ImmutableArray.CreateBuilder<AttributeData>();
            bool ok = true;
            foreach (AttributeData a in type.GetAttributes())
            {
                if (!TryGetLayerKind(a, out LayerKind kind)) continue;
                LayerDeclaration? layer = a.AttributeConstructor is null ? null : ReadLayer(kind, a, symbols);
                ok &= layer is not null;
                layers.Add(layer ?? new LayerDeclaration(kind));
                builder.Add(a);
            }
            attributes = builder.ToImmutable();
            return ok;
        }

        /// <summary>
        /// Every type that <paramref name="layers"/> name as a block, and the ones those name, each once (whatever it
        /// is: a block, the identity, a network or a plain type; the checker says what is wrong with it).
        /// </summary>
        private static EquatableArray<BlockDeclaration> ReadBlocks(List<LayerDeclaration> layers, Dictionary<string, ITypeSymbol> symbols, CancellationToken ct, ref bool errors)
        {
            var found = new List<BlockDeclaration>();
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            var pending = new Queue<LayerDeclaration>(layers);
            while (pending.Count > 0)
            {
                LayerDeclaration l = pending.Dequeue();
                foreach (string key in l.Blocks.Concat(l.Shortcut is { } s ? new[] { s } : System.Array.Empty<string>()))
                {
                    if (!seen.Add(key) || key == BlockDeclaration.IdentityKey) continue;
                    ct.ThrowIfCancellationRequested();
                    if (!symbols.TryGetValue(key, out ITypeSymbol? t)) continue;
                    BlockDeclaration b = ReadBlock(key, t, symbols);
                    errors |= b.Status == BlockStatus.CompilerErrors;
                    found.Add(b);
                    foreach (LayerDeclaration inner in b.Layers) pending.Enqueue(inner);
                }
            }
            return new EquatableArray<BlockDeclaration>(found.ToArray());
        }

        private static BlockDeclaration ReadBlock(string key, ITypeSymbol symbol, Dictionary<string, ITypeSymbol> symbols)
        {
            string name = symbol.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            if (symbol is not INamedTypeSymbol t || !IsBlockType(t))
            {
                bool network = symbol.GetAttributes().Any(IsConvNet);
                return new BlockDeclaration(key, name, network ? BlockStatus.Network : BlockStatus.NotBlock, EquatableArray<LayerDeclaration>.Empty);
            }
            bool ok = ReadLayers(t, symbols, out List<LayerDeclaration> layers, out _);
            return new BlockDeclaration(key, name, ok ? BlockStatus.Block : BlockStatus.CompilerErrors, new EquatableArray<LayerDeclaration>(layers.ToArray()));
        }

        public static Location? LocationOf(AttributeData a) =>
            a.ApplicationSyntaxReference is { } r ? Location.Create(r.SyntaxTree, r.Span) : null;

        private static void CheckPartial(INamedTypeSymbol type, ImmutableArray<StructuralProblem>.Builder problems)
        {
            for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
                if (NotPartial(t, ReferenceEquals(t, type) ? null : type) is { } problem) problems.Add(problem);
        }

        /// <summary>
        /// CNN0001 for <paramref name="t"/> when none of its declarations says partial: on the network itself
        /// (<paramref name="network"/> null) or on a type containing <paramref name="network"/>.
        /// </summary>
        public static StructuralProblem? NotPartial(INamedTypeSymbol t, INamedTypeSymbol? network)
        {
            TypeDeclarationSyntax? first = null;
            foreach (SyntaxReference r in t.DeclaringSyntaxReferences)
            {
                if (r.GetSyntax() is not TypeDeclarationSyntax decl) continue;
                if (decl.Modifiers.Any(SyntaxKind.PartialKeyword)) return null;
                first ??= decl;
            }
            if (first is null) return null;
            string suffix = network is null ? "" : Strings.Phrase("ContainsNetwork", network.Name);
            return new StructuralProblem(Rules.NotPartial, first.Identifier.GetLocation(), new[] { t.Name, suffix }) { OnContainingType = network is not null };
        }

        /// <summary>The first type nested (at any depth) in <paramref name="t"/> that carries CnnGen attributes, if any.</summary>
        public static INamedTypeSymbol? FirstNestedNetwork(INamedTypeSymbol t, CancellationToken ct)
        {
            foreach (INamedTypeSymbol nested in t.GetTypeMembers())
            {
                ct.ThrowIfCancellationRequested();
                var attributes = nested.GetAttributes();
                bool network = attributes.Any(IsConvNet) || (attributes.Any(a => TryGetLayerKind(a, out _)) && !attributes.Any(IsBlock));
                if (network) return nested;
                if (FirstNestedNetwork(nested, ct) is { } deeper) return deeper;
            }
            return null;
        }

        private static void CheckSplit(INamedTypeSymbol type, ImmutableArray<AttributeData>.Builder layerAttributes,
            ImmutableArray<StructuralProblem>.Builder problems, CancellationToken ct)
        {
            SyntaxNode? firstOwner = null;
            foreach (AttributeData a in layerAttributes)
            {
                SyntaxNode? owner = a.ApplicationSyntaxReference?.GetSyntax(ct).Parent?.Parent;
                if (owner is null) continue;
                firstOwner ??= owner;
                if (owner != firstOwner)
                {
                    problems.Add(new StructuralProblem(Rules.LayersSplit, LocationOf(a) ?? Location.None, new[] { type.Name }));
                    return;
                }
            }
        }

        /// <summary>The key of a type named by typeof: CnnGen.Identity, or its fully qualified name.</summary>
        private static string? BlockKey(TypedConstant c, Dictionary<string, ITypeSymbol> symbols)
        {
            if (c.Kind != TypedConstantKind.Type || c.Value is not ITypeSymbol type) return null;
            if (type is INamedTypeSymbol { Name: "Identity", ContainingType: null } named && IsCnnGen(named)) return BlockDeclaration.IdentityKey;
            string key = KeyOf(type);
            symbols[key] = type.OriginalDefinition;
            return key;
        }

        private static string KeyOf(ITypeSymbol type) => type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        private static LayerDeclaration? ReadLayer(LayerKind kind, AttributeData a, Dictionary<string, ITypeSymbol> symbols)
        {
            ImmutableArray<TypedConstant> args = a.ConstructorArguments;
            var layer = new LayerDeclaration(kind);
            switch (kind)
            {
                case LayerKind.Sequential:
                case LayerKind.Residual:
                case LayerKind.Multiply:
                {
                    if (args.Length != 1 || BlockKey(args[0], symbols) is not { } key) return null;
                    layer = layer with { Blocks = new EquatableArray<string>(new[] { key }) };
                    break;
                }
                case LayerKind.Concat:
                {
                    if (args.Length != 1 || args[0].Kind != TypedConstantKind.Array) return null;
                    var keys = new List<string>();
                    if (!args[0].IsNull)
                    {
                        foreach (TypedConstant c in args[0].Values)
                        {
                            if (BlockKey(c, symbols) is not { } key) return null;
                            keys.Add(key);
                        }
                    }
                    layer = layer with { Blocks = new EquatableArray<string>(keys.ToArray()) };
                    break;
                }
                case LayerKind.DepthwiseConv:
                case LayerKind.Upsample:
                case LayerKind.ZeroPad:
                {
                    if (args.Length != 1 || IntArray(args[0]) is not { } values) return null;
                    var v = new EquatableArray<int>(values);
                    layer = kind switch
                    {
                        LayerKind.DepthwiseConv => layer with { Kernel = v },
                        LayerKind.Upsample => layer with { Scale = v },
                        _ => layer with { Pads = v },
                    };
                    break;
                }
                case LayerKind.Dropout:
                {
                    if (args.Length != 1 || args[0].Value is not float rate) return null;
                    layer = layer with { Alpha = rate };
                    break;
                }
                case LayerKind.Conv:
                {
                    if (args.Length != 2 || Int(args[0]) is not { } filters || IntArray(args[1]) is not { } kernel) return null;
                    layer = layer with { Units = filters, Kernel = new EquatableArray<int>(kernel) };
                    break;
                }
                case LayerKind.MaxPool:
                case LayerKind.AvgPool:
                {
                    if (args.Length != 1 || IntArray(args[0]) is not { } kernel) return null;
                    layer = layer with { Kernel = new EquatableArray<int>(kernel) };
                    break;
                }
                case LayerKind.Dense:
                {
                    if (args.Length != 1 || Int(args[0]) is not { } units) return null;
                    layer = layer with { Units = units };
                    break;
                }
                case LayerKind.LeakyReLU:
                case LayerKind.ELU:
                {
                    if (args.Length != 1 || args[0].Value is not float alpha) return null;
                    layer = layer with { Alpha = alpha };
                    break;
                }
                default:
                    if (args.Length != 0) return null;
                    break;
            }

            foreach (KeyValuePair<string, TypedConstant> named in a.NamedArguments)
            {
                TypedConstant v = named.Value;
                if (v.Kind == TypedConstantKind.Error) return null;
                switch (named.Key)
                {
                    case "Name": layer = layer with { Name = v.IsNull ? null : v.Value as string }; break;
                    case "Expect": layer = layer with { Expect = Optional(v) }; break;
                    case "Stride": layer = layer with { Stride = Int(v) }; break;
                    case "Strides": layer = layer with { Strides = Optional(v) }; break;
                    case "Padding": layer = layer with { Padding = Int(v) }; break;
                    case "Pads": layer = layer with { Pads = Optional(v) }; break;
                    case "Dilation": layer = layer with { Dilation = Int(v) }; break;
                    case "Dilations": layer = layer with { Dilations = Optional(v) }; break;
                    case "Bias": layer = layer with { Bias = v.Value is bool b ? b : true }; break;
                    case "CountIncludePad": layer = layer with { CountIncludePad = v.Value is bool c && c }; break;
                    case "Epsilon": layer = layer with { Epsilon = v.Value is float e ? e : float.NaN }; break;
                    case "Groups": layer = layer with { Groups = Int(v) }; break;
                    case "Multiplier": layer = layer with { Multiplier = Int(v) }; break;
                    case "Channels": layer = layer with { Channels = Int(v) }; break;
                    case "Repeat": layer = layer with { Repeat = Int(v) }; break;
                    case "ReLU": layer = layer with { ReLU = v.Value is bool relu && relu }; break;
                    case "Shortcut":
                        if (v.IsNull) break;
                        if (BlockKey(v, symbols) is not { } shortcut) return null;
                        layer = layer with { Shortcut = shortcut };
                        break;
                }
            }
            return layer;
        }

        private static int? Int(TypedConstant c) => c.Kind is TypedConstantKind.Primitive or TypedConstantKind.Enum && c.Value is int i ? i : null;

        private static EquatableArray<int>? Optional(TypedConstant c) =>
            c.IsNull ? null : IntArray(c) is { } values ? new EquatableArray<int>(values) : null;

        private static int[]? IntArray(TypedConstant c)
        {
            if (c.Kind != TypedConstantKind.Array) return null;
            if (c.IsNull) return System.Array.Empty<int>();
            var values = new int[c.Values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                if (Int(c.Values[i]) is not { } v) return null;
                values[i] = v;
            }
            return values;
        }
    }
}

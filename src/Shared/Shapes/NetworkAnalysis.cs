namespace CnnGen.Shapes
{
    /// <summary>
    /// A layer after shape inference: every size resolved to a number. Spatial fields (kernel, strides, pads,
    /// dilations) have one entry per spatial dimension for Conv and pooling layers and are empty otherwise.
    /// </summary>
    internal sealed record LayerInfo(int Index, string Name, LayerKind Kind)
    {
        public EquatableArray<int> InputShape { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> OutputShape { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> Kernel { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> Strides { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> Dilations { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> PadsBegin { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> PadsEnd { get; init; } = EquatableArray<int>.Empty;
        public PaddingMode Padding { get; init; }
        public bool Bias { get; init; }
        public bool CountIncludePad { get; init; }
        public float Alpha { get; init; }
        public float Epsilon { get; init; }
        public long Parameters { get; init; }
        public long Macs { get; init; }

        /// <summary>Receptive field per spatial dimension of the input; empty once a layer sees the whole input.</summary>
        public EquatableArray<long> ReceptiveField { get; init; } = EquatableArray<long>.Empty;

        public int InputLength => (int)ShapeMath.Product(InputShape);
        public int OutputLength => (int)ShapeMath.Product(OutputShape);
    }

    /// <summary>The result of checking a declaration: the inferred layers and every finding.</summary>
    internal sealed record NetworkAnalysis(
        NetworkDeclaration Declaration,
        EquatableArray<LayerInfo> Layers,
        EquatableArray<Finding> Findings)
    {
        public bool HasErrors
        {
            get
            {
                foreach (Finding f in Findings)
                    if (Rules.ById(f.RuleId).Severity == RuleSeverity.Error) return true;
                return false;
            }
        }

        public EquatableArray<int> InputShape => Declaration.InputShape;

        public EquatableArray<int> OutputShape => Layers.Count == 0 ? InputShape : Layers[Layers.Count - 1].OutputShape;

        public long ParameterCount
        {
            get
            {
                long total = 0;
                foreach (LayerInfo l in Layers) total = ShapeMath.SaturatingAdd(total, l.Parameters);
                return total;
            }
        }

        public long Macs
        {
            get
            {
                long total = 0;
                foreach (LayerInfo l in Layers) total = ShapeMath.SaturatingAdd(total, l.Macs);
                return total;
            }
        }
    }
}

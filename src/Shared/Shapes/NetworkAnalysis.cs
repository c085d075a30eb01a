using System.Collections.Generic;

namespace CnnGen.Shapes
{
    /// <summary>
    /// A row of the analysed network: a layer with every size resolved to a number, or the use of a block
    /// (Sequential, Residual, Concat, Multiply), whose layers follow it as rows one level deeper. Spatial fields (kernel,
    /// strides, pads, dilations) have one entry per spatial dimension for convolutions and pooling and are empty otherwise.
    /// </summary>
    internal sealed record LayerInfo(int Index, string Name, LayerKind Kind)
    {
        public EquatableArray<int> InputShape { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> OutputShape { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> Kernel { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> Strides { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> Dilations { get; init; } = EquatableArray<int>.Empty;
        /// <summary>Pads before/after along each spatial dimension (convolutions, pooling, ZeroPad).</summary>
        public EquatableArray<int> PadsBegin { get; init; } = EquatableArray<int>.Empty;
        public EquatableArray<int> PadsEnd { get; init; } = EquatableArray<int>.Empty;
        public PaddingMode Padding { get; init; }
        public bool Bias { get; init; }
        public bool CountIncludePad { get; init; }
        /// <summary>LeakyReLU slope, ELU alpha or Dropout rate.</summary>
        public float Alpha { get; init; }
        public float Epsilon { get; init; }
        /// <summary>Convolution groups G: C/G input channels per filter (DepthwiseConv: G = C).</summary>
        public int Groups { get; init; } = 1;
        /// <summary>Upsample factors per spatial dimension.</summary>
        public EquatableArray<int> Scale { get; init; } = EquatableArray<int>.Empty;
        /// <summary>ZeroPad: zero channels appended after the existing ones.</summary>
        public int Channels { get; init; }
        /// <summary>Residual: ReLU on the sum.</summary>
        public bool ReLU { get; init; }

        /// <summary>The parameters of the layer; for a block use, of all the layers inside it.</summary>
        public long Parameters { get; init; }

        /// <summary>The multiply-accumulates of the layer; for a block use, of all the layers inside it.</summary>
        public long Macs { get; init; }

        /// <summary>Receptive field per spatial dimension of the input; empty once a layer sees the whole input.</summary>
        public EquatableArray<long> ReceptiveField { get; init; } = EquatableArray<long>.Empty;

        /// <summary>
        /// The jump of the layer's input per spatial dimension: the distance, in input cells, between neighbouring units
        /// (the product of the strides before the layer, divided by Upsample factors; J_(k-1) of the receptive field
        /// step R_k = R_(k-1) + (F_k - 1) * J_(k-1)). Empty once the input sees the whole input, and for block uses.
        /// </summary>
        public EquatableArray<double> InputJump { get; init; } = EquatableArray<double>.Empty;

        /// <summary>How deep in blocks the row is: 0 for the network's own layers.</summary>
        public int Depth { get; init; }

        /// <summary>The row of the block use this row is inside, or -1.</summary>
        public int Parent { get; init; } = -1;

        /// <summary>
        /// Which part of the parent the row belongs to: 0 the block (Concat: its first branch), 1 a Residual's shortcut
        /// (Concat: the second branch, ...), for Multiply 0 is the gate.
        /// </summary>
        public int Branch { get; init; }

        /// <summary>A block use: the display names of its blocks (Residual: block then shortcut, "Identity" when none; Concat: the branches; Multiply: the gate).</summary>
        public EquatableArray<string> BlockNames { get; init; } = EquatableArray<string>.Empty;

        /// <summary>A block use: the row after the last row inside it.</summary>
        public int End { get; init; }

        /// <summary>The tensors the row reads (<see cref="NetworkAnalysis.Tensors"/>): one, or for a merge, what it merges in order.</summary>
        public EquatableArray<int> Inputs { get; init; } = EquatableArray<int>.Empty;

        /// <summary>The tensor the row writes.</summary>
        public int Output { get; init; }

        public bool IsBlockUse => LayerKinds.IsBlockUse(Kind);

        public int InputLength => (int)ShapeMath.Product(InputShape);
        public int OutputLength => (int)ShapeMath.Product(OutputShape);
    }

    /// <summary>A value computed while one sample runs: tensor 0 is the input, every other one the output of a row.</summary>
    internal sealed record TensorInfo(int Id, EquatableArray<int> Shape, int Producer)
    {
        public long Length => ShapeMath.Product(Shape);
    }

    /// <summary>The result of checking a declaration: the rows (layers and block uses), the tensors and every finding.</summary>
    internal sealed record NetworkAnalysis(
        NetworkDeclaration Declaration,
        EquatableArray<LayerInfo> Layers,
        EquatableArray<Finding> Findings)
    {
        public EquatableArray<TensorInfo> Tensors { get; init; } = EquatableArray<TensorInfo>.Empty;

        /// <summary>The tensor the network returns.</summary>
        public int OutputTensor { get; init; }

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

        public EquatableArray<int> OutputShape => Tensors.Count == 0 ? InputShape : Tensors[OutputTensor].Shape;

        public long ParameterCount
        {
            get
            {
                long total = 0;
                foreach (LayerInfo l in Layers) if (!l.IsBlockUse) total = ShapeMath.SaturatingAdd(total, l.Parameters);
                return total;
            }
        }

        public long Macs
        {
            get
            {
                long total = 0;
                foreach (LayerInfo l in Layers) if (!l.IsBlockUse) total = ShapeMath.SaturatingAdd(total, l.Macs);
                return total;
            }
        }

        /// <summary>Whether the network has a block use (it branches or reuses blocks).</summary>
        public bool HasBlocks
        {
            get
            {
                foreach (LayerInfo l in Layers) if (l.IsBlockUse) return true;
                return false;
            }
        }

        /// <summary>
        /// The rows in the order they run: the layers as declared, a Residual, Concat or Multiply after the layers inside
        /// it (it is the merge), a Sequential not at all (it only groups its layers).
        /// </summary>
        public IReadOnlyList<LayerInfo> Steps
        {
            get
            {
                var steps = new List<LayerInfo>(Layers.Count);
                var open = new Stack<LayerInfo>();
                foreach (LayerInfo l in Layers)
                {
                    while (open.Count > 0 && l.Index >= open.Peek().End) Close(open.Pop());
                    if (l.IsBlockUse) open.Push(l);
                    else steps.Add(l);
                }
                while (open.Count > 0) Close(open.Pop());
                return steps;

                void Close(LayerInfo use)
                {
                    if (use.Kind != LayerKind.Sequential) steps.Add(use);
                }
            }
        }

        /// <summary>The rows that read <paramref name="tensor"/> (merges included), in the order they run.</summary>
        public List<LayerInfo> Readers(int tensor)
        {
            var readers = new List<LayerInfo>();
            foreach (LayerInfo l in Steps)
                if (l.Inputs.Contains(tensor)) readers.Add(l);
            return readers;
        }
    }
}

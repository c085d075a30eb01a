using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Shapes;

namespace CnnGen.Generators.Planning
{
    /// <summary>What a step of the generated forward pass does: one kernel call (or none, for a view).</summary>
    internal enum OpKind
    {
        Conv,
        Depthwise,
        Dense,
        Pool,
        GlobalPool,
        Activation,
        Affine,
        Softmax,
        Flatten,
        Upsample,
        ZeroPad,
        Add,
        Multiply,
        Concat,
        /// <summary>No code: the output is the input's buffer seen another way (Dropout, Flatten of [C, 1...]).</summary>
        View,
    }

    /// <summary>
    /// One step of the forward pass: the rows it runs (a convolution with the BatchNorm, activation and residual sum
    /// fused into its store counts as one step), the tensors it reads and the tensor it writes.
    /// </summary>
    internal sealed class Op
    {
        public Op(OpKind kind, LayerInfo main)
        {
            Kind = kind;
            Main = main;
            Rows.Add(main);
            Inputs = main.Inputs.ToList();
            Output = main.Output;
        }

        public OpKind Kind { get; set; }
        public LayerInfo Main { get; }
        /// <summary>Every row the step covers, in order (the main one, then what is fused into it).</summary>
        public List<LayerInfo> Rows { get; } = new();
        public List<int> Inputs { get; }
        public int Output { get; set; }

        /// <summary>A convolution run with Winograd F(2x2, 3x3).</summary>
        public bool Winograd { get; set; }
        /// <summary>A convolution that would run Winograd F(2x2, 3x3) but the project turned it off.</summary>
        public bool WinogradOff { get; set; }
        /// <summary>A BatchNorm folded into the weights.</summary>
        public LayerInfo? BatchNorm { get; set; }
        /// <summary>The activation applied as the step stores (fused, or the step's own).</summary>
        public LayerInfo? Activation { get; set; }
        /// <summary>A residual sum fused into the store: the tensor added.</summary>
        public int? Add { get; set; }
        /// <summary>The residual's own row (its ReLU, if any, after the sum).</summary>
        public LayerInfo? Residual { get; set; }
        /// <summary>An activation after the sum.</summary>
        public LayerInfo? AfterAdd { get; set; }

        /// <summary>The tensors the step reads: its inputs and a fused residual.</summary>
        public IEnumerable<int> Reads => Add is { } a ? Inputs.Append(a) : Inputs;

        /// <summary>Whether the step may write its output over its (first) input when nothing reads that input later.</summary>
        public bool CanRunInPlace => Kind is OpKind.Activation or OpKind.Affine or OpKind.Softmax or OpKind.Add or OpKind.Multiply;
    }

    /// <summary>Where a tensor lives: its place in the workspace and its layout.</summary>
    internal sealed record Placement(int Tensor, long Offset, long Length, int Stride, EquatableArray<int> Shape)
    {
        public bool IsVector => Shape.Count == 1;
        public int Channels => Shape[0];
        public int Positions => IsVector ? 1 : (int)ShapeMath.Product(Shape, 1);
        public long End => Offset + Length;
    }

    /// <summary>
    /// The forward pass of a network as the generator writes it: the steps in order with their fusions, and every tensor's
    /// place in one workspace, decided at compile time. A tensor lives from the step that writes it to the last step
    /// that reads it (a residual keeps x until its sum); its room is reused as soon as it dies; element-wise steps write
    /// over their input when nothing reads it later.
    /// </summary>
    internal sealed class ForwardPlan
    {
        /// <summary>Rows of a batch run through the dense tail at once.</summary>
        public const int ChunkRows = 16;

        /// <summary>The most samples a chunk of the batched pass holds.</summary>
        public const int MaxChunkSamples = 16;

        /// <summary>
        /// The workspace a chunk of samples may take (floats: 256 KiB, within a core's L2 cache on the machines measured),
        /// so each layer's outputs for the chunk are still in cache when the next layer reads them.
        /// </summary>
        public const long ChunkRoom = 1 << 16;

        private readonly NetworkAnalysis _a;
        private readonly Dictionary<int, Placement> _places = new();
        private readonly HashSet<int> _compact;

        private ForwardPlan(NetworkAnalysis analysis, bool winograd)
        {
            _a = analysis;
            Ops = BuildOps(analysis, winograd);
            Fuse();
            _compact = CompactMaps();
            InputStride = _compact.Contains(0) ? analysis.InputShape[0] : KernelLayout.Stride(analysis.InputShape[0]);
            PlaceTensors();
            SampleRoom = WorkspaceLength;
            ChunkSamples = (int)Math.Min(MaxChunkSamples, ChunkRoom / Math.Max(1, SampleRoom));
            if (ChunkSamples < 4) ChunkSamples = 0;
            if (ChunkSamples > 0) WorkspaceLength = SampleRoom * ChunkSamples; // the chunks run their dense layers as rows themselves
            else FindDenseTail();
        }

        public static ForwardPlan Of(NetworkAnalysis analysis, bool winograd) => new(analysis, winograd);

        public List<Op> Ops { get; }

        /// <summary>Floats per position of the network input in the workspace: C, or C padded to 8.</summary>
        public int InputStride { get; }

        /// <summary>Floats of workspace one thread needs: one sample's (and a dense tail's rows, after them), or a chunk's.</summary>
        public long WorkspaceLength { get; private set; }

        /// <summary>Floats of workspace the tensors of one sample take (every offset and length in the plan lies within).</summary>
        public long SampleRoom { get; }

        /// <summary>
        /// How many samples a batch runs at once, layer by layer (<c>Chunk</c>), or 0: a small network, whose tensors for
        /// 4 or more samples fit in <see cref="ChunkRoom"/>, runs each step once for a chunk of samples instead of once per
        /// sample, so the steps' set-up (checks, tables, a call per layer) is paid once per chunk, element-wise steps run
        /// over the whole chunk in one call, and dense layers read each weight panel once per 4 or 8 samples. The plan is
        /// the same, scaled: a tensor at [offset, offset + length) of one sample lies at [offset * n, (offset + length) * n)
        /// for a chunk of n, sample i of it at offset * n + i * length; tensors that do not overlap for one sample do not
        /// overlap for n, and a step that writes over its input (same offset, same length) still does so sample by sample.
        /// </summary>
        public int ChunkSamples { get; }

        /// <summary>Floats of scratch the largest step needs.</summary>
        public long ScratchLength { get; private set; }

        /// <summary>The first step of the dense tail (run on rows of samples in a batch), or -1.</summary>
        public int TailStart { get; private set; } = -1;

        /// <summary>The feature vector the dense tail starts from.</summary>
        public int TailInput { get; private set; }

        /// <summary>Floats per row of the dense tail.</summary>
        public int RowStride { get; private set; }

        /// <summary>Where the two row buffers of the dense tail start.</summary>
        public long RowsA { get; private set; }

        public long RowsB => RowsA + (long)ChunkRows * RowStride;

        public Placement Place(int tensor) => _places[tensor];

        /// <summary>
        /// The work of one sample, for deciding whether a batch is worth splitting over threads: its multiply-adds, plus
        /// one for each value a step writes (channels-last maps padded to 8 lanes, or compact) and for each value a pooling
        /// window reads, plus <see cref="RowWork"/> for each output row of a windowed step. Multiply-adds alone miss
        /// networks of pooling and element-wise layers, which cost microseconds per sample with few multiply-adds (a 3D
        /// max pooling clipped at every border), and values alone miss maps of many short rows.
        /// </summary>
        public long WorkPerSample
        {
            get
            {
                long work = ShapeMath.SaturatingAdd(_a.Macs, _places[0].Length); // the input, written channels-last
                foreach (Op op in Ops)
                {
                    if (op.Kind == OpKind.View) continue;
                    long written = _places[op.Output].Length;
                    work = ShapeMath.SaturatingAdd(work, written);
                    if (op.Kind == OpKind.Pool) work = ShapeMath.SaturatingAdd(work, ShapeMath.SaturatingMultiply(written, ShapeMath.Product(op.Main.Kernel, 0)));
                    if (op.Kind is OpKind.Conv or OpKind.Depthwise or OpKind.Pool)
                    {
                        EquatableArray<int> shape = _a.Tensors[op.Output].Shape;
                        work = ShapeMath.SaturatingAdd(work, RowWork * (ShapeMath.Product(shape, 1) / shape[shape.Count - 1]));
                    }
                    if (op.Kind == OpKind.GlobalPool) work = ShapeMath.SaturatingAdd(work, _places[op.Inputs[0]].Length);
                }
                return work;
            }
        }

        /// <summary>
        /// What an output row of a convolution, depthwise convolution or pooling costs besides its values, in the units
        /// of <see cref="WorkPerSample"/>: its set-up (the rows and taps it reads, its edges), measured at about 9 ns a
        /// row on a depthwise convolution of rows of 2 outputs (0.1-0.2 ns a unit elsewhere).
        /// </summary>
        public const int RowWork = 48;

        public int OutputTensor => _a.OutputTensor;

        // ---- steps and fusion ------------------------------------------------------------------------

        private static List<Op> BuildOps(NetworkAnalysis a, bool winograd)
        {
            var ops = new List<Op>();
            foreach (LayerInfo l in a.Steps)
            {
                OpKind kind = l.Kind switch
                {
                    LayerKind.Conv or LayerKind.DepthwiseConv when l.Groups > 1 && l.Groups == l.InputShape[0] && KernelLayout.RunsDepthwise(l.InputShape[0], (int)ShapeMath.Product(l.Kernel)) => OpKind.Depthwise,
                    LayerKind.Conv or LayerKind.DepthwiseConv => OpKind.Conv,
                    LayerKind.Dense => OpKind.Dense,
                    LayerKind.MaxPool or LayerKind.AvgPool => OpKind.Pool,
                    LayerKind.GlobalAvgPool or LayerKind.GlobalMaxPool => OpKind.GlobalPool,
                    LayerKind.BatchNorm => OpKind.Affine,
                    LayerKind.Softmax => OpKind.Softmax,
                    LayerKind.Flatten => l.InputShape.Count == 1 || ShapeMath.Product(l.InputShape, 1) == 1 ? OpKind.View : OpKind.Flatten,
                    LayerKind.Dropout => OpKind.View,
                    LayerKind.Upsample => OpKind.Upsample,
                    LayerKind.ZeroPad => OpKind.ZeroPad,
                    LayerKind.Residual => OpKind.Add,
                    LayerKind.Multiply => OpKind.Multiply,
                    LayerKind.Concat => OpKind.Concat,
                    _ => OpKind.Activation,
                };
                var op = new Op(kind, l);
                if (kind == OpKind.Activation) op.Activation = l;
                if (kind == OpKind.Add && l.ReLU) op.AfterAdd = l;
                if (kind == OpKind.Conv && KernelLayout.UsesWinograd(l.InputShape[0], l.OutputShape[0], l.Groups, l.Kernel, l.Strides, l.Dilations, l.OutputShape.Skip(1).ToArray()))
                {
                    op.Winograd = winograd;
                    op.WinogradOff = !winograd;
                }
                ops.Add(op);
            }
            return ops;
        }

        private int Readers(int tensor) => Ops.Count(o => o.Reads.Contains(tensor)) + (tensor == _a.OutputTensor ? 1 : 0);

        private Op? Producer(int tensor) => Ops.FirstOrDefault(o => o.Output == tensor);

        private static bool HasWeights(Op op) => op.Kind is OpKind.Conv or OpKind.Depthwise or OpKind.Dense;

        /// <summary>
        /// Folds a BatchNorm into the convolution or dense layer before it, moves a piecewise-linear activation into
        /// that layer's store, and adds a residual there (y = f(conv(x) + shortcut)) when nothing else reads the
        /// convolution's output.
        /// </summary>
        private void Fuse()
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (Op op in Ops.ToList())
                {
                    if (op.Inputs.Count != 1 && op.Kind != OpKind.Add) continue;
                    Op? p = op.Inputs.Count == 1 ? Producer(op.Inputs[0]) : null;
                    bool sole = op.Inputs.Count == 1 && Readers(op.Inputs[0]) == 1;
                    if (op.Kind == OpKind.Affine && p is not null && sole && HasWeights(p) && p.BatchNorm is null && p.Activation is null && p.Add is null
                        && p.Output != _a.OutputTensor)
                    {
                        p.BatchNorm = op.Main;
                        Absorb(p, op);
                    }
                    else if (op.Kind == OpKind.Activation && KernelLayout.Fusable(op.Main.Kind) && p is not null && sole && p.Output != _a.OutputTensor)
                    {
                        bool afterSum = KernelLayout.FusableAfterSum(op.Main.Kind);
                        if (HasWeights(p) && p.Activation is null && p.Add is null) p.Activation = op.Main;
                        else if ((HasWeights(p) || p.Kind == OpKind.Add) && p.Add is not null && p.AfterAdd is null && afterSum) p.AfterAdd = op.Main;
                        else if (p.Kind == OpKind.Add && p.AfterAdd is null && afterSum) p.AfterAdd = op.Main;
                        else continue;
                        Absorb(p, op);
                    }
                    else if (op.Kind == OpKind.Add && FuseResidual(op)) { }
                    else continue;
                    changed = true;
                }
            }
        }

        /// <summary>The sum of a residual moves into the store of the convolution that computes one side, the later of the two.</summary>
        private bool FuseResidual(Op add)
        {
            int index = Ops.IndexOf(add);
            Op? best = null;
            int other = -1;
            for (int side = 0; side < 2; side++)
            {
                Op? p = Producer(add.Inputs[side]);
                if (p is null || p.Kind is not (OpKind.Conv or OpKind.Depthwise) || p.Add is not null || Readers(add.Inputs[side]) != 1) continue;
                if (best is not null && Ops.IndexOf(p) < Ops.IndexOf(best)) continue;
                best = p;
                other = add.Inputs[1 - side];
            }
            if (best is null || Ops.IndexOf(best) > index) return false;
            Op? otherProducer = Producer(other);
            if (otherProducer is not null && Ops.IndexOf(otherProducer) > Ops.IndexOf(best)) return false; // not computed yet when the convolution stores
            best.Add = other;
            best.Residual = add.Main;
            best.AfterAdd = add.AfterAdd;
            Absorb(best, add);
            return true;
        }

        private void Absorb(Op into, Op fused)
        {
            into.Rows.AddRange(fused.Rows.Where(r => !into.Rows.Contains(r)));
            into.Output = fused.Output;
            Ops.Remove(fused);
        }

        /// <summary>
        /// The maps stored compact (C floats per position, not C padded to 8): the network input when only convolutions
        /// (direct, or depthwise with a multiplier) read it, and every map of fewer than 8 channels (and more than one
        /// position) whose steps all read and write it as it lies. Padded to 8 lanes, a map of one channel makes each step
        /// that moves it (the layout changes, a gate, global pooling) move 8 times its floats. The maps that must share a
        /// layout (an element-wise step's input and output, a sum's terms, a view and its source, an upsampling's input
        /// and output) are kept compact together or not at all: a group is compact when the network input, zero padding
        /// or such steps alone write its maps, and convolutions (as their input), flattening, zero padding and such steps
        /// alone read them; for one channel also a gate, a standalone BatchNorm and global pooling, whose kernels have a
        /// path for one compact channel.
        /// </summary>
        private HashSet<int> CompactMaps()
        {
            var compact = new HashSet<int>();
            int c = _a.InputShape[0];
            var inputReaders = Ops.Where(o => o.Reads.Contains(0)).ToList();
            if (c < 8 && inputReaders.Count > 0 && inputReaders.All(ConvInput(0))) compact.Add(0);

            // Groups of maps that share a layout (union-find over the steps that link them).
            var parent = new Dictionary<int, int>();
            int Find(int t)
            {
                while (parent.TryGetValue(t, out int p) && p != t) t = p;
                return t;
            }
            void Join(int a, int b)
            {
                int ra = Find(a), rb = Find(b);
                if (ra != rb) parent[ra] = rb;
            }
            foreach (Op op in Ops.Where(SharesLayout))
                foreach (int t in MapsOf(op)) Join(t, op.Output);

            int Channels(int t) => _a.Tensors[t].Shape[0];
            bool FewChannelMap(int t) => _a.Tensors[t].Shape.Count > 1 && Channels(t) < 8 && ShapeMath.Product(_a.Tensors[t].Shape, 1) > 1;
            // Element-wise steps over one compact channel, or those that do not look at the channels at all.
            bool Linked(Op o, int t) => SharesLayout(o) && MapsOf(o).Contains(t) && (Channels(t) == 1 || o.Kind is not (OpKind.Affine or OpKind.Multiply));
            bool Written(int t) => t == 0 || Producer(t) is { } p && (Linked(p, p.Inputs[0]) || p.Kind == OpKind.ZeroPad);
            bool Read(int t) => Ops.Where(o => o.Reads.Contains(t)).All(o =>
                Linked(o, t) || ConvInput(t)(o) || o.Kind is OpKind.Flatten or OpKind.ZeroPad || o.Kind == OpKind.GlobalPool && Channels(t) == 1);
            var tensors = Enumerable.Range(0, _a.Tensors.Count).ToList();
            foreach (var group in tensors.GroupBy(Find))
                if (group.All(t => FewChannelMap(t) && Written(t) && Read(t)))
                    compact.UnionWith(group);
            return compact;
        }

        /// <summary>
        /// A convolution that reads <paramref name="tensor"/> as its input, position by position and channel by channel: a
        /// direct one (Winograd's transforms read 8 lanes), or a depthwise one with a multiplier (which first copies its
        /// input's channels into the repeated layout); not as a residual.
        /// </summary>
        private static Func<Op, bool> ConvInput(int tensor) => o =>
            o.Inputs[0] == tensor && o.Add != tensor
            && (o.Kind == OpKind.Conv && !o.Winograd || o.Kind == OpKind.Depthwise && o.Main.OutputShape[0] != o.Main.InputShape[0]);

        /// <summary>A step whose maps all lie alike: it works on their floats as they lie (element-wise, a gate, a view, upsampling).</summary>
        private static bool SharesLayout(Op op) => op.Kind is OpKind.Activation or OpKind.Affine or OpKind.Add or OpKind.Multiply or OpKind.View or OpKind.Upsample;

        /// <summary>The maps of a <see cref="SharesLayout"/> step that share its output's layout (a gate's factors per channel do not).</summary>
        private IEnumerable<int> MapsOf(Op op) =>
            op.Kind == OpKind.Multiply && _a.Tensors[op.Inputs[1]].Shape.Count == 1 ? new[] { op.Inputs[0] } : op.Reads;

        // ---- memory ------------------------------------------------------------------------------------

        /// <summary>The tensor whose room <paramref name="tensor"/> shares (a view), or itself.</summary>
        private int Root(int tensor)
        {
            Op? p = Producer(tensor);
            return p is { Kind: OpKind.View } ? Root(p.Inputs[0]) : tensor;
        }

        private void PlaceTensors()
        {
            // The last step that reads each room (views extend their source's life); the output is read at the end.
            var lastRead = new Dictionary<int, int>();
            for (int i = 0; i < Ops.Count; i++)
                foreach (int t in Ops[i].Reads) lastRead[Root(t)] = i;
            lastRead[Root(_a.OutputTensor)] = Ops.Count;

            var free = new List<(long Offset, long Length)>();
            long high = 0;
            long Allocate(long length)
            {
                length = KernelLayout.Align(length);
                for (int i = 0; i < free.Count; i++)
                {
                    if (free[i].Length < length) continue;
                    long at = free[i].Offset;
                    free[i] = (at + length, free[i].Length - length);
                    if (free[i].Length == 0) free.RemoveAt(i);
                    return at;
                }
                // Grow: take a free block that ends at the top, or new room.
                if (free.Count > 0 && free[free.Count - 1].Offset + free[free.Count - 1].Length == high)
                {
                    long at = free[free.Count - 1].Offset;
                    free.RemoveAt(free.Count - 1);
                    high = at + length;
                    return at;
                }
                long start = high;
                high += length;
                return start;
            }
            void Release(Placement p)
            {
                free.Add((p.Offset, KernelLayout.Align(p.Length)));
                free.Sort((a, b) => a.Offset.CompareTo(b.Offset));
                for (int i = free.Count - 1; i > 0; i--)
                {
                    if (free[i - 1].Offset + free[i - 1].Length != free[i].Offset) continue;
                    free[i - 1] = (free[i - 1].Offset, free[i - 1].Length + free[i].Length);
                    free.RemoveAt(i);
                }
            }
            Placement New(int tensor, int stride)
            {
                EquatableArray<int> shape = _a.Tensors[tensor].Shape;
                long length = KernelLayout.Floats(shape, stride);
                return new Placement(tensor, Allocate(length), length, stride, shape);
            }

            _places[0] = New(0, InputStride);
            for (int i = 0; i < Ops.Count; i++)
            {
                Op op = Ops[i];
                EquatableArray<int> shape = _a.Tensors[op.Output].Shape;
                int stride = shape.Count == 1 ? KernelLayout.Pad8(shape[0]) : _compact.Contains(op.Output) ? shape[0] : KernelLayout.Stride(shape[0]);
                Placement input = _places[op.Inputs[0]];
                if (op.Kind == OpKind.View)
                {
                    _places[op.Output] = new Placement(op.Output, input.Offset, input.Length, input.IsVector || shape.Count == 1 ? stride : input.Stride, shape);
                }
                else if (op.CanRunInPlace && lastRead[Root(op.Inputs[0])] == i && input.Stride == stride && input.Length == KernelLayout.Floats(shape, stride)
                    && Root(op.Inputs[0]) == op.Inputs[0])
                {
                    _places[op.Output] = new Placement(op.Output, input.Offset, input.Length, stride, shape);
                    lastRead[op.Output] = lastRead.TryGetValue(op.Output, out int end) ? end : i;
                    lastRead[op.Inputs[0]] = -1; // its room now belongs to the output
                }
                else
                {
                    _places[op.Output] = New(op.Output, stride);
                }
                ScratchLength = Math.Max(ScratchLength, Scratch(op));
                foreach (int t in op.Reads.Select(Root).Distinct())
                    if (lastRead.TryGetValue(t, out int last) && last == i) Release(_places[t]);
            }
            WorkspaceLength = KernelLayout.Align(high);
        }

        private long Scratch(Op op)
        {
            if (op.Kind is not (OpKind.Conv or OpKind.Depthwise)) return 0;
            LayerInfo l = op.Main;
            bool expand = op.Kind == OpKind.Depthwise && l.OutputShape[0] != l.InputShape[0];
            return KernelLayout.ConvScratch(_places[op.Inputs[0]].Stride, Size3.Of(l.InputShape.Skip(1).ToArray(), 1), Size3.Of(l.OutputShape.Skip(1).ToArray(), 1),
                Size3.Of(l.Kernel, 1), Size3.Of(l.Strides, 1), Size3.Of(l.Dilations, 1), Size3.Of(l.PadsBegin, 0), op.Winograd, l.OutputShape[0],
                expand, expand ? KernelLayout.Pad8(l.OutputShape[0]) : 0);
        }

        /// <summary>
        /// A batch runs the layers from the first Dense on for many samples at once (each weight panel read once per 4
        /// samples) when they form a plain chain of vector steps to the output.
        /// </summary>
        private void FindDenseTail()
        {
            // The longest run of vector steps at the end, each reading the one before, then its first Dense.
            int start = Ops.Count, current = _a.OutputTensor;
            while (start > 0)
            {
                Op op = Ops[start - 1];
                bool vectorStep = op.Kind is OpKind.Dense or OpKind.Activation or OpKind.Softmax or OpKind.View || (op.Kind == OpKind.Affine && _places[op.Inputs[0]].IsVector);
                if (!vectorStep || op.Output != current || op.Inputs.Count != 1 || op.Add is not null || !_places[op.Inputs[0]].IsVector || Readers(op.Inputs[0]) != 1) break;
                current = op.Inputs[0];
                start--;
            }
            int first = Ops.FindIndex(start, o => o.Kind == OpKind.Dense);
            if (first < 0 || _a.OutputShape.Count != 1) return;
            int stride = KernelLayout.Pad8(_a.Tensors[Ops[first].Inputs[0]].Shape[0]);
            for (int i = first; i < Ops.Count; i++) stride = Math.Max(stride, KernelLayout.Pad8(_a.Tensors[Ops[i].Output].Shape[0]));
            TailStart = first;
            TailInput = Ops[first].Inputs[0];
            RowStride = stride;
            RowsA = WorkspaceLength;
            WorkspaceLength = RowsA + 2L * ChunkRows * stride;
        }
    }
}

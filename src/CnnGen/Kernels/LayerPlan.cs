using System;
using System.ComponentModel;

namespace CnnGen.Kernels
{
    /// <summary>
    /// One layer of a generated network, prepared at construction: sizes resolved, weights packed into the layout
    /// its kernel reads. Internally, feature maps are channels-last [D, H, W, Cp] with the channels padded to a
    /// multiple of 8 (Cp); vectors are plain. Generated code calls <see cref="Run"/> once per layer and sample.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public abstract unsafe class LayerPlan
    {
        /// <summary>Floats the layer writes (its output buffer must hold this many).</summary>
        public abstract int OutputLength { get; }

        /// <summary>Floats of scratch space the layer needs (0 for none).</summary>
        public virtual int ScratchLength => 0;

        /// <summary>Runs the layer on one sample.</summary>
        public abstract void Run(float* x, float* y, float* scratch);

        /// <summary>The largest output and scratch of a network's plans, to size its buffers once.</summary>
        public static (int Buffer, int Scratch) Lengths(int inputLength, params LayerPlan[] plans)
        {
            int buffer = inputLength, scratch = 1;
            foreach (LayerPlan p in plans)
            {
                buffer = Math.Max(buffer, p.OutputLength);
                scratch = Math.Max(scratch, p.ScratchLength);
            }
            return (buffer, scratch);
        }
    }

    /// <summary>Spatial sizes normalised to three dimensions (D, H, W): missing dimensions are 1.</summary>
    internal readonly struct Dims3
    {
        public readonly int D, H, W;

        public Dims3(int d, int h, int w) { D = d; H = h; W = w; }

        public static Dims3 From(ReadOnlySpan<int> spatial, int fill) => spatial.Length switch
        {
            1 => new Dims3(fill, fill, spatial[0]),
            2 => new Dims3(fill, spatial[0], spatial[1]),
            3 => new Dims3(spatial[0], spatial[1], spatial[2]),
            _ => throw new ArgumentException("1 to 3 spatial dimensions", nameof(spatial)),
        };

        public int Product => D * H * W;
    }
}

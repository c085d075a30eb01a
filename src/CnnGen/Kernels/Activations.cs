using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnGen.Kernels
{
    /// <summary>The element-wise functions the kernels apply (alone, or fused into the store of a convolution or dense layer).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public enum Activation
    {
        /// <summary>z.</summary>
        None,
        /// <summary>max(0, z).</summary>
        ReLU,
        /// <summary>min(max(0, z), 6).</summary>
        ReLU6,
        /// <summary>z, or alpha z below 0.</summary>
        LeakyReLU,
        /// <summary>max(0, min(1, z / 6 + 1/2)).</summary>
        HardSigmoid,
        /// <summary>z * hard_sigmoid(z).</summary>
        HardSwish,
        /// <summary>z, or alpha (e^z - 1) below 0.</summary>
        ELU,
        /// <summary>1 / (1 + e^-z).</summary>
        Sigmoid,
        /// <summary>tanh z.</summary>
        Tanh,
        /// <summary>z / (1 + e^-z).</summary>
        SiLU,
    }

    /// <summary>
    /// What a kernel does to each value as it stores it: an activation, then (a residual) the value at the same place of
    /// another tensor added, then a second activation.
    /// </summary>
    internal readonly unsafe struct Epilogue
    {
        public Epilogue(Activation activation, float alpha, float* add, float* y, Activation afterAdd)
        {
            Activation = activation;
            Alpha = alpha;
            Delta = add == null ? 0 : add - y;
            HasAdd = add != null;
            AfterAdd = afterAdd;
        }

        public Activation Activation { get; }
        public float Alpha { get; }
        /// <summary>From an output to the value added to it: add - y, in floats (the tensors have the same layout).</summary>
        public long Delta { get; }
        public bool HasAdd { get; }
        public Activation AfterAdd { get; }

        /// <summary>Whether the epilogue does anything.</summary>
        public bool Any => Activation != Activation.None || HasAdd;

        /// <summary>The epilogue over <paramref name="count"/> floats stored from <paramref name="y"/> on (a block just written, in L1).</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void Apply(float* y, int count)
        {
            int i = 0;
            if (Simd.Enabled && !Activations.NeedsExp(Activation) && !Activations.NeedsExp(AfterAdd))
                for (; i + 8 <= count; i += 8) Apply(Vector256.Load(y + i), y + i).Store(y + i);
            for (; i < count; i++) y[i] = Apply(y[i], y + i);
        }

        /// <summary>
        /// The epilogue over <paramref name="width"/> floats of each position in [<paramref name="from"/>, <paramref name="to"/>)
        /// (positions <paramref name="stride"/> floats apart, from <paramref name="y"/>): the columns one weight panel wrote.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void ApplyColumns(float* y, int from, int to, int width, int stride)
        {
            bool vector = Simd.Enabled && !Activations.NeedsExp(Activation) && !Activations.NeedsExp(AfterAdd);
            for (int p = from; p < to; p++)
            {
                float* row = y + (long)p * stride;
                int i = 0;
                if (vector)
                    for (; i + 8 <= width; i += 8) Apply(Vector256.Load(row + i), row + i).Store(row + i);
                for (; i < width; i++) row[i] = Apply(row[i], row + i);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Apply(Vector256<float> v, float* at)
        {
            v = Activations.Apply(v, Activation, Alpha);
            if (!HasAdd) return v;
            return Activations.Apply(v + Vector256.Load(at + Delta), AfterAdd, 0f);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float v, float* at)
        {
            v = Activations.Apply(v, Activation, Alpha);
            if (!HasAdd) return v;
            return Activations.Apply(v + at[Delta], AfterAdd, 0f);
        }
    }

    /// <summary>The activations, one value or eight at a time, and the element-wise kernel.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Activations
    {
        private const float Sixth = 1f / 6f;

        /// <summary>Whether the activation needs an exponential (it then goes value by value).</summary>
        internal static bool NeedsExp(Activation a) => a is Activation.ELU or Activation.Sigmoid or Activation.Tanh or Activation.SiLU;

        /// <summary>f(z) for one value.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static float Apply(float v, Activation a, float alpha) => a switch
        {
            Activation.None => v,
            Activation.ReLU => v > 0f ? v : 0f,
            Activation.ReLU6 => v > 0f ? (v < 6f ? v : 6f) : 0f,
            Activation.LeakyReLU => v >= 0f ? v : alpha * v,
            Activation.HardSigmoid => HardSigmoid(v),
            Activation.HardSwish => v * HardSigmoid(v),
            Activation.ELU => v > 0f ? v : alpha * (MathF.Exp(v) - 1f),
            Activation.Sigmoid => 1f / (1f + MathF.Exp(-v)),
            Activation.Tanh => MathF.Tanh(v),
            _ => v / (1f + MathF.Exp(-v)),
        };

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float HardSigmoid(float v)
        {
            float h = v * Sixth + 0.5f;
            return h > 0f ? (h < 1f ? h : 1f) : 0f;
        }

        /// <summary>f(z) for eight values; the activations with an exponential go value by value.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> Apply(Vector256<float> v, Activation a, float alpha)
        {
            switch (a)
            {
                case Activation.None: return v;
                case Activation.ReLU: return Vector256.Max(v, Vector256<float>.Zero);
                case Activation.ReLU6: return Vector256.Min(Vector256.Max(v, Vector256<float>.Zero), Vector256.Create(6f));
                case Activation.LeakyReLU: return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, Vector256<float>.Zero), v, v * Vector256.Create(alpha));
                case Activation.HardSigmoid: return HardSigmoid(v);
                case Activation.HardSwish: return v * HardSigmoid(v);
                default: return ByValue(v, a, alpha);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> HardSigmoid(Vector256<float> v) =>
            Vector256.Min(Vector256.Max(v * Vector256.Create(Sixth) + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256<float>.One);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Vector256<float> ByValue(Vector256<float> v, Activation a, float alpha)
        {
            float* values = stackalloc float[8];
            v.Store(values);
            for (int i = 0; i < 8; i++) values[i] = Apply(values[i], a, alpha);
            return Vector256.Load(values);
        }

        /// <summary>
        /// y = f(x) for every value of <paramref name="x"/> (the padding lanes of a map included: they are never read as
        /// data); <paramref name="y"/> may be <paramref name="x"/> itself.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run(ReadOnlySpan<float> x, Span<float> y, Activation activation, float alpha = 0f)
        {
            if (y.Length < x.Length) throw new ArgumentException($"Activations.Run: the output has {y.Length} floats, the input {x.Length}.");
            fixed (float* xp = x)
            fixed (float* yp = y)
            {
                int n = x.Length, i = 0;
                bool piecewise = activation is Activation.ReLU or Activation.ReLU6 or Activation.LeakyReLU or Activation.HardSigmoid or Activation.HardSwish;
                if (Simd.Enabled && piecewise)
                    for (; i + 8 <= n; i += 8) Apply(Vector256.Load(xp + i), activation, alpha).Store(yp + i);
                for (; i < n; i++) yp[i] = Apply(xp[i], activation, alpha);
            }
        }

        /// <summary>Softmax of a vector: e^(x_i - max) / sum_j e^(x_j - max); <paramref name="y"/> may be <paramref name="x"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int length)
        {
            if (x.Length < length || y.Length < length) throw new ArgumentException($"Activations.Softmax: buffers of {x.Length} and {y.Length} floats for a vector of {length}.");
            float max = float.NegativeInfinity;
            for (int i = 0; i < length; i++) if (x[i] > max) max = x[i];
            float sum = 0f;
            for (int i = 0; i < length; i++)
            {
                float e = MathF.Exp(x[i] - max);
                y[i] = e;
                sum += e;
            }
            for (int i = 0; i < length; i++) y[i] /= sum;
        }
    }
}

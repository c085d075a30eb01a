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
    /// another tensor added, then a second activation. The kernels store their blocks first and run the epilogue over
    /// them while they are in cache: one dispatch on the activations per call, then a loop specialised for them.
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

        /// <summary>
        /// Whether the epilogue is a clamp of each value alone (ReLU: [0, inf), ReLU6: [0, 6], no residual), which a
        /// kernel can apply as it stores; if so, its bounds in <paramref name="bounds"/>[0] and [1].
        /// </summary>
        public bool Clamps(float* bounds)
        {
            if (HasAdd || Activation is not (Activation.ReLU or Activation.ReLU6)) return false;
            bounds[0] = 0f;
            bounds[1] = Activation == Activation.ReLU6 ? 6f : float.PositiveInfinity;
            return true;
        }

        /// <summary>The epilogue over <paramref name="count"/> floats stored from <paramref name="y"/> on (a block just written, in cache).</summary>
        public void Apply(float* y, int count) => ApplyColumns(y, 0, 1, count, 0);

        /// <summary>
        /// The epilogue over <paramref name="width"/> floats of each position in [<paramref name="from"/>, <paramref name="to"/>)
        /// (positions <paramref name="stride"/> floats apart, from <paramref name="y"/>): the columns one weight panel wrote.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public void ApplyColumns(float* y, int from, int to, int width, int stride)
        {
            y += (long)from * stride;
            int rows = to - from;
            if (width == stride && (long)rows * width <= int.MaxValue)
            {
                // The panel holds every column: one run of floats, in whole vectors (a position of 8 floats would take
                // a 256-bit step each; an exponential over 512-bit vectors costs half as much per float).
                width *= rows;
                rows = 1;
            }
            if (!Simd.Enabled || Activations.Scalar(Activation) || (HasAdd && Activations.Scalar(AfterAdd)))
            {
                for (int r = 0; r < rows; r++)
                    for (int i = 0; i < width; i++)
                    {
                        float* at = y + (long)r * stride + i;
                        *at = Apply(*at, at);
                    }
                return;
            }
            switch (Activation)
            {
                case Activation.None: Second<Linear>(y, rows, width, stride); break;
                case Activation.ReLU: Second<Relu>(y, rows, width, stride); break;
                case Activation.ReLU6: Second<Relu6>(y, rows, width, stride); break;
                case Activation.LeakyReLU: Second<Leaky>(y, rows, width, stride); break;
                case Activation.HardSigmoid: Second<HardSigmoidOf>(y, rows, width, stride); break;
#if NET9_0_OR_GREATER
                case Activation.ELU: Second<EluOf>(y, rows, width, stride); break;
                case Activation.Sigmoid: Second<SigmoidOf>(y, rows, width, stride); break;
                case Activation.Tanh: Second<TanhOf>(y, rows, width, stride); break;
                case Activation.SiLU: Second<SiluOf>(y, rows, width, stride); break;
#endif
                default: Second<HardSwishOf>(y, rows, width, stride); break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Second<TFirst>(float* y, int rows, int width, int stride) where TFirst : struct, IActivation
        {
            if (!HasAdd)
            {
                Activations.Over<TFirst, Linear, NoSum>(y, rows, width, stride, Alpha, 0);
                return;
            }
            switch (AfterAdd)
            {
                case Activation.None: Activations.Over<TFirst, Linear, Sum>(y, rows, width, stride, Alpha, Delta); break;
                case Activation.ReLU: Activations.Over<TFirst, Relu, Sum>(y, rows, width, stride, Alpha, Delta); break;
                case Activation.ReLU6: Activations.Over<TFirst, Relu6, Sum>(y, rows, width, stride, Alpha, Delta); break;
                case Activation.LeakyReLU: Activations.Over<TFirst, Leaky, Sum>(y, rows, width, stride, Alpha, Delta); break;
                case Activation.HardSigmoid: Activations.Over<TFirst, HardSigmoidOf, Sum>(y, rows, width, stride, Alpha, Delta); break;
#if NET9_0_OR_GREATER
                case Activation.ELU: Activations.Over<TFirst, EluOf, Sum>(y, rows, width, stride, Alpha, Delta); break;
                case Activation.Sigmoid: Activations.Over<TFirst, SigmoidOf, Sum>(y, rows, width, stride, Alpha, Delta); break;
                case Activation.Tanh: Activations.Over<TFirst, TanhOf, Sum>(y, rows, width, stride, Alpha, Delta); break;
                case Activation.SiLU: Activations.Over<TFirst, SiluOf, Sum>(y, rows, width, stride, Alpha, Delta); break;
#endif
                default: Activations.Over<TFirst, HardSwishOf, Sum>(y, rows, width, stride, Alpha, Delta); break;
            }
        }

        /// <summary>One value (the scalar paths).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Apply(float v, float* at)
        {
            v = Activations.Apply(v, Activation, Alpha);
            if (!HasAdd) return v;
            return Activations.Apply(v + at[Delta], AfterAdd, 0f);
        }
    }

    /// <summary>A piecewise-linear activation as a type, so the loops over a block are specialised for it by the JIT.</summary>
    internal interface IActivation
    {
        static abstract float Apply(float v, float alpha);
        static abstract Vector256<float> Apply(Vector256<float> v, float alpha);
        static abstract Vector512<float> Apply(Vector512<float> v, float alpha);
    }

    /// <summary>Whether an epilogue adds a residual, as a type.</summary>
    internal interface ISum
    {
        static abstract bool Adds { get; }
    }

#pragma warning disable CS1591
    internal struct Sum : ISum { public static bool Adds => true; }
    internal struct NoSum : ISum { public static bool Adds => false; }

    internal struct Linear : IActivation
    {
        public static float Apply(float v, float alpha) => v;
        public static Vector256<float> Apply(Vector256<float> v, float alpha) => v;
        public static Vector512<float> Apply(Vector512<float> v, float alpha) => v;
    }

    internal struct Relu : IActivation
    {
        public static float Apply(float v, float alpha) => v < 0f ? 0f : v; // NaN stays NaN, as in the vector paths
        public static Vector256<float> Apply(Vector256<float> v, float alpha) => Vector256.Max(v, Vector256<float>.Zero);
        public static Vector512<float> Apply(Vector512<float> v, float alpha) => Vector512.Max(v, Vector512<float>.Zero);
    }

    internal struct Relu6 : IActivation
    {
        public static float Apply(float v, float alpha) => v < 0f ? 0f : v > 6f ? 6f : v;
        public static Vector256<float> Apply(Vector256<float> v, float alpha) => Vector256.Min(Vector256.Max(v, Vector256<float>.Zero), Vector256.Create(6f));
        public static Vector512<float> Apply(Vector512<float> v, float alpha) => Vector512.Min(Vector512.Max(v, Vector512<float>.Zero), Vector512.Create(6f));
    }

    internal struct Leaky : IActivation
    {
        public static float Apply(float v, float alpha) => v >= 0f ? v : alpha * v;
        public static Vector256<float> Apply(Vector256<float> v, float alpha) =>
            Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(v, Vector256<float>.Zero), v, v * Vector256.Create(alpha));
        public static Vector512<float> Apply(Vector512<float> v, float alpha) =>
            Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, Vector512<float>.Zero), v, v * Vector512.Create(alpha));
    }

    internal struct HardSigmoidOf : IActivation
    {
        private const float Sixth = 1f / 6f;
        public static float Apply(float v, float alpha)
        {
            float h = v * Sixth + 0.5f;
            return h < 0f ? 0f : h > 1f ? 1f : h;
        }
        public static Vector256<float> Apply(Vector256<float> v, float alpha) =>
            Vector256.Min(Vector256.Max(v * Vector256.Create(Sixth) + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256<float>.One);
        public static Vector512<float> Apply(Vector512<float> v, float alpha) =>
            Vector512.Min(Vector512.Max(v * Vector512.Create(Sixth) + Vector512.Create(0.5f), Vector512<float>.Zero), Vector512<float>.One);
    }

    internal struct HardSwishOf : IActivation
    {
        public static float Apply(float v, float alpha) => v * HardSigmoidOf.Apply(v, alpha);
        public static Vector256<float> Apply(Vector256<float> v, float alpha) => v * HardSigmoidOf.Apply(v, alpha);
        public static Vector512<float> Apply(Vector512<float> v, float alpha) => v * HardSigmoidOf.Apply(v, alpha);
    }
#if NET9_0_OR_GREATER
    // The activations with an exponential, vectorised with Simd.Exp (.NET 9 and later; on .NET 8 they go value by value
    // with MathF). Their errors are a few units in the last place, and below 1e-7 absolute where a difference from 1
    // cancels (tanh and ELU near 0). Their vector forms are inlined into the activation loops, which are optimised from
    // the first call (not inlined, tanh's ran at tier 0 for a network's first calls: 16x slower).
    internal struct SigmoidOf : IActivation
    {
        public static float Apply(float v, float alpha) => 1f / (1f + MathF.Exp(-v));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> v, float alpha) => Vector256<float>.One / (Vector256<float>.One + Simd.Exp(-v));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply(Vector512<float> v, float alpha) => Vector512<float>.One / (Vector512<float>.One + Simd.Exp(-v));
    }

    internal struct SiluOf : IActivation
    {
        public static float Apply(float v, float alpha) => v / (1f + MathF.Exp(-v));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> v, float alpha) => v / (Vector256<float>.One + Simd.Exp(-v));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply(Vector512<float> v, float alpha) => v / (Vector512<float>.One + Simd.Exp(-v));
    }

    internal struct EluOf : IActivation
    {
        public static float Apply(float v, float alpha) => v > 0f ? v : alpha * (MathF.Exp(v) - 1f);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> v, float alpha) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v,
                Vector256.Create(alpha) * (Simd.Exp(Vector256.Min(v, Vector256<float>.Zero)) - Vector256<float>.One));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply(Vector512<float> v, float alpha) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v,
                Vector512.Create(alpha) * (Simd.Exp(Vector512.Min(v, Vector512<float>.Zero)) - Vector512<float>.One));
    }

    /// <summary>tanh z = sign(z) (1 - e^-2|z|) / (1 + e^-2|z|); below |z| = 1/8 its odd series to z^7, where the difference from 1 would cancel.</summary>
    internal struct TanhOf : IActivation
    {
        private const float C3 = -1f / 3f, C5 = 2f / 15f, C7 = -17f / 315f;

        public static float Apply(float v, float alpha) => MathF.Tanh(v);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> v, float alpha)
        {
            Vector256<float> a = Vector256.Abs(v), t = Simd.Exp(a * Vector256.Create(-2f));
            Vector256<float> far = (Vector256<float>.One - t) / (Vector256<float>.One + t);
            Vector256<float> z2 = a * a;
            Vector256<float> near = a + a * z2 * (Vector256.Create(C3) + z2 * (Vector256.Create(C5) + z2 * Vector256.Create(C7)));
            Vector256<float> r = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(0.125f)), near, far);
            return r | (v & Vector256.Create(-0f)); // the sign of z
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply(Vector512<float> v, float alpha)
        {
            Vector512<float> a = Vector512.Abs(v), t = Simd.Exp(a * Vector512.Create(-2f));
            Vector512<float> far = (Vector512<float>.One - t) / (Vector512<float>.One + t);
            Vector512<float> z2 = a * a;
            Vector512<float> near = a + a * z2 * (Vector512.Create(C3) + z2 * (Vector512.Create(C5) + z2 * Vector512.Create(C7)));
            Vector512<float> r = Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(0.125f)), near, far);
            return r | (v & Vector512.Create(-0f));
        }
    }
#endif
#pragma warning restore CS1591

    /// <summary>The activations, one value at a time or specialised loops over many, and the element-wise kernel.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe class Activations
    {
        /// <summary>Whether the activation needs an exponential.</summary>
        internal static bool NeedsExp(Activation a) => a is Activation.ELU or Activation.Sigmoid or Activation.Tanh or Activation.SiLU;

        /// <summary>Whether the activation goes value by value: one with an exponential on .NET 8 (no Vector256.Exp there).</summary>
#if NET9_0_OR_GREATER
        internal static bool Scalar(Activation a) => false;
#else
        internal static bool Scalar(Activation a) => NeedsExp(a);
#endif

        /// <summary>f(z) for one value: the piecewise-linear ones from their loop types (one formula each); those with an exponential here, as their types exist from .NET 9 only.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static float Apply(float v, Activation a, float alpha) => a switch
        {
            Activation.None => v,
            Activation.ReLU => Relu.Apply(v, alpha),
            Activation.ReLU6 => Relu6.Apply(v, alpha),
            Activation.LeakyReLU => Leaky.Apply(v, alpha),
            Activation.HardSigmoid => HardSigmoidOf.Apply(v, alpha),
            Activation.HardSwish => HardSwishOf.Apply(v, alpha),
            Activation.ELU => v > 0f ? v : alpha * (MathF.Exp(v) - 1f),
            Activation.Sigmoid => 1f / (1f + MathF.Exp(-v)),
            Activation.Tanh => MathF.Tanh(v),
            _ => v / (1f + MathF.Exp(-v)),
        };

        /// <summary>
        /// The epilogue's loop: for <paramref name="rows"/> rows of <paramref name="width"/> floats (<paramref name="stride"/>
        /// apart), y = g(f(y) + y[delta]) (or f(y) without a sum); 16 floats at a time on the 512-bit path, else 8, then one by one.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void Over<TFirst, TAfter, TSum>(float* y, int rows, int width, int stride, float alpha, long delta)
            where TFirst : struct, IActivation where TAfter : struct, IActivation where TSum : struct, ISum
        {
            bool wide = Simd.Wide;
            for (int r = 0; r < rows; r++)
            {
                float* p = y + (long)r * stride;
                int i = 0;
                if (wide)
                    for (; i + 16 <= width; i += 16)
                    {
                        Vector512<float> v = TFirst.Apply(Vector512.Load(p + i), alpha);
                        if (TSum.Adds) v = TAfter.Apply(v + Vector512.Load(p + i + delta), 0f);
                        v.Store(p + i);
                    }
                for (; i + 8 <= width; i += 8)
                {
                    Vector256<float> v = TFirst.Apply(Vector256.Load(p + i), alpha);
                    if (TSum.Adds) v = TAfter.Apply(v + Vector256.Load(p + i + delta), 0f);
                    v.Store(p + i);
                }
                for (; i < width; i++)
                {
                    float v = TFirst.Apply(p[i], alpha);
                    if (TSum.Adds) v = TAfter.Apply(v + p[i + delta], 0f);
                    p[i] = v;
                }
            }
        }

        /// <summary>y = f(x) over n floats, the activation a type.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void MapOver<TAct>(float* x, float* y, int n, float alpha) where TAct : struct, IActivation
        {
            int i = 0;
            if (Simd.Wide) for (; i + 16 <= n; i += 16) TAct.Apply(Vector512.Load(x + i), alpha).Store(y + i);
            for (; i + 8 <= n; i += 8) TAct.Apply(Vector256.Load(x + i), alpha).Store(y + i);
            for (; i < n; i++) y[i] = TAct.Apply(x[i], alpha);
        }

        /// <summary>y = f(a + b) over n floats: the activation dispatched once (piecewise-linear ones only).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void Add(float* a, float* b, float* y, int n, Activation activation)
        {
            switch (activation)
            {
                case Activation.None: AddOver<Linear>(a, b, y, n); break;
                case Activation.ReLU: AddOver<Relu>(a, b, y, n); break;
                case Activation.ReLU6: AddOver<Relu6>(a, b, y, n); break;
                case Activation.LeakyReLU: AddOver<Leaky>(a, b, y, n); break;
                case Activation.HardSigmoid: AddOver<HardSigmoidOf>(a, b, y, n); break;
                default: AddOver<HardSwishOf>(a, b, y, n); break;
            }
        }

        /// <summary>y = f(a + b) over n floats, the activation a type (a residual sum done alone).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void AddOver<TAct>(float* a, float* b, float* y, int n) where TAct : struct, IActivation
        {
            int i = 0;
            if (Simd.Wide) for (; i + 16 <= n; i += 16) TAct.Apply(Vector512.Load(a + i) + Vector512.Load(b + i), 0f).Store(y + i);
            for (; i + 8 <= n; i += 8) TAct.Apply(Vector256.Load(a + i) + Vector256.Load(b + i), 0f).Store(y + i);
            for (; i < n; i++) y[i] = TAct.Apply(a[i] + b[i], 0f);
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
                int n = x.Length;
                if (!Simd.Enabled || Scalar(activation))
                {
                    for (int i = 0; i < n; i++) yp[i] = Apply(xp[i], activation, alpha);
                    return;
                }
                switch (activation)
                {
                    case Activation.None: MapOver<Linear>(xp, yp, n, alpha); break;
                    case Activation.ReLU: MapOver<Relu>(xp, yp, n, alpha); break;
                    case Activation.ReLU6: MapOver<Relu6>(xp, yp, n, alpha); break;
                    case Activation.LeakyReLU: MapOver<Leaky>(xp, yp, n, alpha); break;
                    case Activation.HardSigmoid: MapOver<HardSigmoidOf>(xp, yp, n, alpha); break;
#if NET9_0_OR_GREATER
                    case Activation.ELU: MapOver<EluOf>(xp, yp, n, alpha); break;
                    case Activation.Sigmoid: MapOver<SigmoidOf>(xp, yp, n, alpha); break;
                    case Activation.Tanh: MapOver<TanhOf>(xp, yp, n, alpha); break;
                    case Activation.SiLU: MapOver<SiluOf>(xp, yp, n, alpha); break;
#endif
                    default: MapOver<HardSwishOf>(xp, yp, n, alpha); break;
                }
            }
        }

        /// <summary>Softmax of a vector: e^(x_i - max) / sum_j e^(x_j - max); <paramref name="y"/> may be <paramref name="x"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int length) => Softmax(x, y, length, 1);

        /// <summary>The softmax of each of <paramref name="samples"/> vectors stored back to back (each x.Length / samples floats apart).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int length, int samples)
        {
            (int xs, int ys, _) = Samples.Steps("Activations.Softmax", x.Length, y.Length, 0, samples);
            if (xs < length || ys < length) throw new ArgumentException($"Activations.Softmax: buffers of {xs} and {ys} floats per sample for a vector of {length}.");
            fixed (float* xp = x)
            fixed (float* yp = y)
                for (int n = 0; n < samples; n++) Softmax(xp + (long)n * xs, yp + (long)n * ys, length);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Softmax(float* xp, float* yp, int length)
        {
            bool vectors = Simd.Enabled && length >= 8;
            // The maximum: 8 lanes at a time, then across them and the tail (a NaN never wins, as in the scalar loop).
            float max = float.NegativeInfinity;
            int i = 0;
            if (vectors)
            {
                Vector256<float> m = Vector256.Create(float.NegativeInfinity);
                for (; i + 8 <= length; i += 8) m = Simd.MaxOf(Vector256.Load(xp + i), m);
                // The tail as the last 8 values (the maximum does not mind lanes seen twice), then across the lanes by
                // halves: no branch per lane (with data-dependent branches a short vector's softmax was mispredictions).
                if (i < length) m = Simd.MaxOf(Vector256.Load(xp + length - 8), m);
                Vector128<float> h = Simd.MaxOf(m.GetLower(), m.GetUpper());
                h = Simd.MaxOf(Vector128.Shuffle(h, Vector128.Create(2, 3, 0, 1)), h);
                h = Simd.MaxOf(Vector128.Shuffle(h, Vector128.Create(1, 0, 3, 2)), h);
                max = h.ToScalar();
                i = length;
            }
            for (; i < length; i++) if (xp[i] > max) max = xp[i];

            float sum = 0f;
            int j = 0;
#if NET9_0_OR_GREATER
            if (vectors)
            {
                // e^(x - max) 8 at a time; the sum in a vector, then across it.
                Vector256<float> m = Vector256.Create(max), acc = Vector256<float>.Zero;
                if (Simd.Wide)
                {
                    // 16 at a time where the 512-bit path runs (its exponential does a vector in the time the 8-lane
                    // one does half of it).
                    Vector512<float> m16 = Vector512.Create(max), acc16 = Vector512<float>.Zero;
                    for (; j + 16 <= length; j += 16)
                    {
                        Vector512<float> e = Simd.Exp(Vector512.Load(xp + j) - m16);
                        e.Store(yp + j);
                        acc16 += e;
                    }
                    acc = acc16.GetLower() + acc16.GetUpper();
                }
                for (; j + 8 <= length; j += 8)
                {
                    Vector256<float> e = Simd.Exp(Vector256.Load(xp + j) - m);
                    e.Store(yp + j);
                    acc += e;
                }
                if (j < length)
                {
                    // The tail as the last 8 values, its new lanes selected: the lanes done before keep their results
                    // (in place they no longer hold x) and stay out of the sum. A scalar exponential per value of the
                    // tail cost more than the vectors before it.
                    float* last = yp + length - 8;
                    Vector256<float> fresh = Simd.LastLanes(length - j);
                    Vector256<float> e = fresh & Simd.Exp(Vector256.Load(xp + length - 8) - m);
                    Vector256.ConditionalSelect(fresh, e, Vector256.Load(last)).Store(last);
                    acc += e;
                    j = length;
                }
                sum = Vector256.Sum(acc);
            }
#endif
            for (; j < length; j++)
            {
                float e = MathF.Exp(xp[j] - max);
                yp[j] = e;
                sum += e;
            }

            // Divided by the sum (a division, as the scalar path rounds it; ONNX Runtime multiplies by 1 / sum, within an
            // ulp of it, and a multiply measured no faster here), 8 at a time.
            int k = 0;
            if (vectors)
            {
                Vector256<float> d = Vector256.Create(sum);
                for (; k + 8 <= length; k += 8) (Vector256.Load(yp + k) / d).Store(yp + k);
                if (k < length)
                {
                    // The tail as the last 8 values, only its new lanes divided.
                    float* last = yp + length - 8;
                    Vector256<float> fresh = Simd.LastLanes(length - k);
                    Vector256<float> v = Vector256.Load(last);
                    Vector256.ConditionalSelect(fresh, v / d, v).Store(last);
                    k = length;
                }
            }
            for (; k < length; k++) yp[k] /= sum;
        }
    }
}

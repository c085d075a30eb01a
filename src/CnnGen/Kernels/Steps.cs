namespace CnnGen.Kernels
{
    /// <summary>A compile-time constant as a type, so generic kernels are specialised by the JIT for it.</summary>
    internal interface IStep
    {
        static abstract int Value { get; }
    }

#pragma warning disable CS1591
    internal struct Step1 : IStep { public static int Value => 1; }
    internal struct Step2 : IStep { public static int Value => 2; }
    internal struct Step3 : IStep { public static int Value => 3; }
    internal struct Step4 : IStep { public static int Value => 4; }
    internal struct Step6 : IStep { public static int Value => 6; }
    internal struct Step8 : IStep { public static int Value => 8; }
    internal struct Step16 : IStep { public static int Value => 16; }
#pragma warning restore CS1591
}

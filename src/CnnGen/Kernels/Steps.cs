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
    internal struct Step24 : IStep { public static int Value => 24; }
    internal struct Step32 : IStep { public static int Value => 32; }
    internal struct Step48 : IStep { public static int Value => 48; }
    internal struct Step64 : IStep { public static int Value => 64; }
    internal struct Step96 : IStep { public static int Value => 96; }
    internal struct Step128 : IStep { public static int Value => 128; }
    internal struct Step144 : IStep { public static int Value => 144; }
    internal struct Step192 : IStep { public static int Value => 192; }
#pragma warning restore CS1591
}

using System;
using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>Which kernels this run uses: scripts/test.sh runs the forward tests on each path it can force (512-, 256-bit, scalar).</summary>
    public class KernelPathTests
    {
        [Fact]
        public void The_kernel_path_follows_the_hardware()
        {
            bool intrinsicsOff = Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0";
            Assert.Equal(!intrinsicsOff && System.Runtime.Intrinsics.X86.Fma.IsSupported && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated,
                CnnGenRuntime.IsVectorized);
            if (intrinsicsOff) Assert.False(CnnGenRuntime.IsVectorized);
            bool avx512Off = Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0";
            int expected = !CnnGenRuntime.IsVectorized ? 0 : !avx512Off && System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? 512 : 256;
            Assert.Equal(expected, CnnGenRuntime.VectorBits);
        }
    }
}

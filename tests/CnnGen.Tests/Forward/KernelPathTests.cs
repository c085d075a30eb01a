using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// Which kernels this run uses: scripts/test.sh runs the forward tests on each path it can force (512-, 256-, 128-bit,
    /// scalar), and this test proves each run is on the path it was started for.
    /// </summary>
    public class KernelPathTests
    {
        private static bool Off(string knob) => Environment.GetEnvironmentVariable(knob) == "0";

        [Fact]
        public void The_kernel_path_follows_the_hardware()
        {
            int expected;
            if (Off("DOTNET_EnableHWIntrinsic")) expected = 0;
            else if (RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64) expected = 128; // AdvSimd: Vector128 only
            else if (Off("DOTNET_EnableAVX") || Off("DOTNET_EnableAVX2")) expected = 128;
            else if (!Fma.IsSupported || !Vector256.IsHardwareAccelerated) expected = Vector128.IsHardwareAccelerated ? 128 : 0;
            else expected = !Off("DOTNET_EnableAVX512") && Avx512F.IsSupported ? 512 : 256;
            Assert.Equal(expected, CnnGenRuntime.VectorBits);
            Assert.Equal(expected != 0, CnnGenRuntime.IsVectorized);
        }
    }
}

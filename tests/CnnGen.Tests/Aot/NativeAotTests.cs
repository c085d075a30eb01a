using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Aot
{
    /// <summary>
    /// The main sample (samples/Mnist8) as a user ships it: published with NativeAOT and default settings for this machine,
    /// and published for linux-arm64 and run under qemu. Each run checks mnist-8's three reference outputs and which
    /// kernel path ran.
    /// </summary>
    [Collection(RepositoryBuilds.Name)]
    public class NativeAotTests
    {
        private static string Sample => Path.Combine(Repo.Root, "samples", "Mnist8");

        private static string MnistData => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "testdata", "mnist-8"));

        /// <summary>The mnist-8 samples' report: three "match" lines, the kernel line, exit code 0 (the WebAssembly test's too).</summary>
        internal static void AssertReferenceOutputs(int exitCode, string output, string kernels)
        {
            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
            Assert.Equal(3, Regex.Matches(output, @"test_data_set_\d: predicted digit \d; .*\(match\)").Count);
            Assert.DoesNotContain("MISMATCH", output);
            Assert.Contains(kernels, output);
        }

        private static void AssertClang() =>
            Assert.True(Repo.OnPath("clang"), "NativeAOT links with clang, which is not on PATH: scripts/test.sh installs it (apt-get install clang).");

        /// <summary>Runs <paramref name="body"/> with a new folder under the temporary folder for a publish's output, deleted afterwards.</summary>
        private static void InOutputFolder(string prefix, Action<string> body)
        {
            string output = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
            try
            {
                body(output);
            }
            finally
            {
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
            }
        }

        /// <summary>Runs the sample's native executable in <paramref name="output"/> on mnist-8's reference digits.</summary>
        private static (int ExitCode, string Output) RunNative(string output) =>
            Repo.Run(Path.Combine(output, "Mnist8"), $"\"{MnistData}\" --no-timing", output, timeoutSeconds: 120);

        [Fact]
        public void The_sample_published_with_NativeAOT_and_default_settings_gives_the_reference_outputs_without_warnings()
        {
            AssertClang();
            InOutputFolder("cnngen-aot-", output =>
            {
                // The sample sets PublishAot; nothing else (no IlcInstructionSet): NativeAOT's default target for x64 is
                // x86-64-v2, without AVX, so the 128-bit kernels run. The sample's x64 intermediates are deleted first, so
                // NativeAOT's compiler analyses the whole program (the library included) again and prints its trimming and
                // AOT warnings: there must be none.
                string intermediates = Path.Combine(Sample, "obj", "Release", "net10.0", "linux-x64");
                if (Directory.Exists(intermediates)) Directory.Delete(intermediates, recursive: true);
                (int code, string log) = Repo.Dotnet(Sample, $"publish -c Release -r linux-x64 -o \"{output}\"", timeoutSeconds: 600);
                Assert.True(code == 0, log);
                Assert.Contains("Generating native code", log);
                string[] warnings = log.Split('\n').Where(l => Regex.IsMatch(l, @"warning (IL\d{4}|CS\d{4}|CNN\d{4})")).ToArray();
                Assert.True(warnings.Length == 0, "publish warnings:\n" + string.Join("\n", warnings));
                // CnnGen's build targets name the property that gives the JIT's speed (a message, not a warning).
                Assert.Contains(InstructionSetHint, log);
                string binary = Path.Combine(output, "Mnist8");
                Assert.True(File.Exists(binary), $"no native executable at {binary}:\n{log}");
                Assert.False(File.Exists(Path.Combine(output, "Mnist8.dll")), "the publish left a managed Mnist8.dll: it is not a NativeAOT executable");

                (int runCode, string runOutput) = RunNative(output);
                AssertReferenceOutputs(runCode, runOutput, System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated
                    ? "Kernels: 128-bit vectors (X64)" // this machine has AVX2, which the default target does not use
                    : "Kernels: 128-bit vectors");
            });
        }

        [Fact]
        public void The_sample_published_with_NativeAOT_for_x86_64_v3_runs_the_256_bit_kernels_and_prints_no_hint()
        {
            AssertClang();
            InOutputFolder("cnngen-aot-v3-", output =>
            {
                // What the README and the publish hint tell AOT users to set on machines they know.
                (int code, string log) = Repo.Dotnet(Sample, $"publish -c Release -r linux-x64 -p:IlcInstructionSet=x86-64-v3 -o \"{output}\"", timeoutSeconds: 600);
                Assert.True(code == 0, log);
                Assert.DoesNotContain(InstructionSetHint, log);
                (int runCode, string runOutput) = RunNative(output);
                if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported)
                    AssertReferenceOutputs(runCode, runOutput, "Kernels: 256-bit vectors (X64)");
                else
                    Assert.True(runCode != 0, "an x86-64-v3 binary started on a CPU without AVX2 and FMA:\n" + runOutput); // as the README warns
            });
        }

        /// <summary>The start of the message build/CnnGen.targets prints for an x64 NativeAOT publish without IlcInstructionSet.</summary>
        private const string InstructionSetHint = "CnnGen: NativeAOT's default x64 target (x86-64-v2) has no AVX2 or FMA";

        [Fact]
        public void The_sample_published_for_linux_arm64_gives_the_reference_outputs_under_qemu_on_the_AdvSimd_path()
        {
            string cache = Path.Combine(Repo.Root, ".cache", "arm64");
            string qemu = FirstExisting(Path.Combine(cache, "usr", "bin", "qemu-aarch64-static"), "/usr/bin/qemu-aarch64-static");
            string sysroot = FirstExisting(Path.Combine(cache, "usr", "aarch64-linux-gnu"), "/usr/aarch64-linux-gnu");
            Assert.True(qemu.Length > 0 && sysroot.Length > 0 && File.Exists(Path.Combine(sysroot, "lib", "libstdc++.so.6")),
                "qemu-aarch64-static and the arm64 C and C++ libraries are needed: scripts/test.sh fetches them into .cache/arm64 " +
                "(apt-get download qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross; dpkg -x).");
            InOutputFolder("cnngen-arm64-", output =>
            {
                try
                {
                    // Self-contained with the JIT (NativeAOT cannot cross-compile from x64 without an arm64 linker). The library and
                    // the build tasks are built as usual first; only the sample is restored and published for linux-arm64 (its
                    // references' runtime packs for arm64 would be net8.0's too, which this machine does not have).
                    (int buildCode, string buildLog) = Repo.Dotnet(Sample, "build -c Release", timeoutSeconds: 600);
                    Assert.True(buildCode == 0, buildLog);
                    (int restoreCode, string restoreLog) = Repo.Dotnet(Sample, "restore -r linux-arm64 -p:RestoreRecursive=false -p:PublishAot=false");
                    Assert.True(restoreCode == 0, restoreLog);
                    (int code, string log) = Repo.Dotnet(Sample,
                        $"publish -c Release -r linux-arm64 --self-contained -p:PublishAot=false --no-restore --no-dependencies -o \"{output}\"", timeoutSeconds: 600);
                    Assert.True(code == 0, log);
                    (int runCode, string runOutput) = Repo.Run(qemu, $"-L \"{sysroot}\" \"{Path.Combine(output, "Mnist8")}\" \"{MnistData}\" --no-timing", output,
                        timeoutSeconds: 300, new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" });
                    AssertReferenceOutputs(runCode, runOutput, "Kernels: 128-bit vectors (Arm64)");
                }
                finally
                {
                    // The sample was restored for linux-arm64 alone: restore it as it was.
                    Repo.Dotnet(Sample, "restore");
                }
            });
        }

        private static string FirstExisting(params string[] paths) => paths.FirstOrDefault(p => File.Exists(p) || Directory.Exists(p)) ?? "";
    }
}

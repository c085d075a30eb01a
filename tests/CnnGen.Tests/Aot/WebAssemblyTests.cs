using System.IO;
using System.Text.RegularExpressions;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Aot
{
    /// <summary>
    /// samples/Mnist8.Wasm: the mnist-8 declaration built for WebAssembly (browser-wasm, no workload: the runtime's
    /// interpreter with WebAssembly SIMD) and run under Node.js, as a browser page or a Node.js program would run it.
    /// </summary>
    [Collection(RepositoryBuilds.Name)]
    public class WebAssemblyTests
    {
        [Fact]
        public void The_WebAssembly_sample_gives_the_reference_outputs_under_Node_on_the_128_bit_path_one_by_one_and_as_a_batch()
        {
            Assert.True(Repo.OnPath("node"), "Node.js runs the WebAssembly sample and is not on PATH: scripts/test.sh installs it (apt-get install nodejs).");
            string project = Path.Combine(Repo.Root, "samples", "Mnist8.Wasm");
            (int code, string log) = Repo.Dotnet(project, "build -c Release", timeoutSeconds: 600);
            Assert.True(code == 0, log);
            string entry = Path.Combine(project, "bin", "Release", "net10.0", "wwwroot", "main.mjs");
            Assert.True(File.Exists(entry), $"no {entry} after the build:\n{log}");

            // The program sets CnnGenRuntime.MaxThreads = 4 for its batch: WebAssembly without threads cannot start a
            // worker, and the batch must then run on the calling thread (it threw PlatformNotSupportedException before).
            (int runCode, string output) = Repo.Run("node", $"\"{entry}\" --no-timing", Path.GetDirectoryName(entry)!, timeoutSeconds: 300);
            NativeAotTests.AssertReferenceOutputs(runCode, output, "Kernels: 128-bit vectors (Wasm)");
            Assert.Equal(3, Regex.Matches(output, @"batch sample \d: predicted digit \d; .*\(match\)").Count);
        }
    }
}

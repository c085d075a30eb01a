using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace CnnGen.Tests.Infrastructure
{
    /// <summary>The repository root, and running the dotnet CLI from tests.</summary>
    internal static class Repo
    {
        public static string Root { get; } = FindRoot();

        private static string FindRoot()
        {
            for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
                if (File.Exists(Path.Combine(dir, "CnnGen.sln"))) return dir;
            throw new InvalidOperationException("CnnGen.sln not found above " + AppContext.BaseDirectory);
        }

        /// <summary>Whether <paramref name="program"/> is on PATH (clang for NativeAOT, node for WebAssembly).</summary>
        public static bool OnPath(string program) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));

        /// <param name="packages">A NuGet packages folder of its own (NUGET_PACKAGES), so a freshly packed 0.1.0 is never taken from a stale cache.</param>
        public static (int ExitCode, string Output) Dotnet(string workingDirectory, string arguments, int timeoutSeconds = 300, string? packages = null) =>
            Run("dotnet", arguments, workingDirectory, timeoutSeconds, packages is null ? null : new() { ["NUGET_PACKAGES"] = packages });

        /// <summary>Runs a program (the dotnet CLI, a published executable, an emulator) and returns its exit code and everything it printed.</summary>
        public static (int ExitCode, string Output) Run(string program, string arguments, string workingDirectory, int timeoutSeconds = 300,
            System.Collections.Generic.Dictionary<string, string>? environment = null)
        {
            var psi = new ProcessStartInfo(program, arguments)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // A child build must not inherit the test host's MSBuild state.
            foreach (string key in new System.Collections.Generic.List<string>(psi.Environment.Keys))
                if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
                    psi.Environment.Remove(key);
            psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            if (environment is not null) foreach (var (key, value) in environment) psi.Environment[key] = value;
            var output = new StringBuilder();
            using var process = new Process { StartInfo = psi };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeoutSeconds * 1000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {arguments} did not finish in {timeoutSeconds} s:\n{output}");
            }
            process.WaitForExit();
            return (process.ExitCode, output.ToString());
        }
    }
}

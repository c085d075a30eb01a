using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnGen.Tests.Infrastructure;

namespace CnnGen.Benchmarks
{
    /// <summary>
    /// NativeAOT beside the JIT (--aot): benchmarks/CnnGen.AotSpeed published with the JIT, with NativeAOT's default settings,
    /// and with IlcInstructionSet=x86-64-v3 (and x86-64-v4 where the machine has AVX-512), each run in turn several times; the median per network and build.
    /// BenchmarkDotNet cannot measure inside a NativeAOT executable, so the app times itself (medians of 31 rounds).
    /// </summary>
    public static class AotRun
    {
        private sealed record Build(string Name, string PublishArguments, string Executable);

        public static void Run(int runs)
        {
            string root = Repo.Root;
            string project = Path.Combine(root, "benchmarks", "CnnGen.AotSpeed");
            string mnist = Model.Mnist8Folder();
            string output = Directory.CreateTempSubdirectory("cnngen-aot-").FullName;
            var builds = new List<Build>
            {
                new("JIT (dotnet, framework-dependent)", "-p:PublishAot=false", "CnnGen.AotSpeed"),
                new("NativeAOT, default settings", "", "CnnGen.AotSpeed"),
                // IlcInstructionSet=native stops ILC 10.0.12 on this machine (NotSupportedException: Vector256): the levels instead.
                new("NativeAOT, IlcInstructionSet=x86-64-v3", "-p:IlcInstructionSet=x86-64-v3", "CnnGen.AotSpeed"),
            };
            if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
                builds.Add(new("NativeAOT, IlcInstructionSet=x86-64-v4", "-p:IlcInstructionSet=x86-64-v4", "CnnGen.AotSpeed"));
            var dirs = new Dictionary<Build, string>();
            foreach (Build b in builds)
            {
                string dir = Path.Combine(output, dirs.Count.ToString(CultureInfo.InvariantCulture));
                Console.WriteLine($"Publishing {b.Name} ...");
                (int code, string log) = Repo.Dotnet(root, $"publish \"{project}\" -c Release -r linux-x64 {b.PublishArguments} -o \"{dir}\"", timeoutSeconds: 900);
                if (code != 0) throw new InvalidOperationException($"publish failed ({b.Name}):\n{log}");
                dirs[b] = dir;
            }

            var times = builds.ToDictionary(b => b, _ => new Dictionary<string, List<double>>());
            var kernels = new Dictionary<Build, string>();
            for (int run = 0; run < runs; run++)
                foreach (Build b in builds)
                {
                    (int code, string text) = Repo.Run(Path.Combine(dirs[b], b.Executable), $"\"{mnist}\"", dirs[b]);
                    if (code != 0) throw new InvalidOperationException($"{b.Name} failed:\n{text}");
                    foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        string[] parts = line.Split(": ");
                        if (parts[0] == "kernels") kernels[b] = parts[1];
                        else (times[b].TryGetValue(parts[0], out var list) ? list : times[b][parts[0]] = new List<double>()).Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                    }
                }
            Directory.Delete(output, recursive: true);

            static double Median(List<double> v) { var s = v.OrderBy(x => x).ToArray(); return s[s.Length / 2]; }
            string[] nets = times[builds[0]].Keys.ToArray();
            var lines = new List<string>
            {
                $"Each build run {runs} times in turn; medians of the app's own medians (31 rounds of about 10 ms), one thread, batch 1.",
                "",
                "| build | kernels | " + string.Join(" | ", nets.Select(n => n + " us/image")) + " | " + string.Join(" | ", nets.Select(n => n + " vs JIT")) + " |",
                "|---|---|" + string.Concat(Enumerable.Repeat("---|", 2 * nets.Length)),
            };
            foreach (Build b in builds)
                lines.Add($"| {b.Name} | {kernels[b]}-bit | " + string.Join(" | ", nets.Select(n => Median(times[b][n]).ToString("F1", CultureInfo.InvariantCulture))) + " | " +
                    string.Join(" | ", nets.Select(n => (Median(times[builds[0]][n]) / Median(times[b][n])).ToString("F2", CultureInfo.InvariantCulture) + "x")) + " |");
            Report.Save("cnngen-aot.md", lines);
        }
    }
}

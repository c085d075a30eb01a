using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CnnGen;
using CnnGen.Benchmarks;

// CnnGen's generated code vs ONNX Runtime vs a plain implementation, side by side in one run.
//   dotnet run -c Release --project benchmarks/CnnGen.Benchmarks            (full: a few minutes per case)
//   dotnet run -c Release --project benchmarks/CnnGen.Benchmarks -- --quick (under two minutes)
//   dotnet run -c Release --project benchmarks/CnnGen.Benchmarks -- --winograd (one layer: Winograd vs CnnGen_Winograd=false)
//   dotnet run -c Release --project benchmarks/CnnGen.Benchmarks -- --exp      (CnnGen's exponential vs .NET's Vector256/512.Exp)
//   dotnet run -c Release --project benchmarks/CnnGen.Benchmarks -- --random   (40 random architectures vs ONNX Runtime)
//   dotnet run -c Release --project benchmarks/CnnGen.Benchmarks -- --aot      (NativeAOT beside the JIT: mnist-8, LeNet-5)
//   dotnet run -c Release --project benchmarks/CnnGen.Benchmarks -- --interleaved (the cases above in alternating rounds, medians)
bool quick = args.Contains("--quick");
if (args.Length >= 1 && args[0] == "--aot")
{
    // NativeAOT (default settings and IlcInstructionSet=native) beside the JIT on mnist-8 and LeNet-5 (see AotRun).
    AotRun.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5);
    return;
}
if (args.Length >= 1 && args[0] == "--interleaved")
{
    // Every case of the BenchmarkDotNet run (or those of the networks named), CnnGen and ONNX Runtime in alternating rounds
    // (see RandomArchitecturesRun.Interleaved). --interleaved [rounds] [network names...]
    RandomArchitecturesRun.Interleaved(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 11, args.Skip(2).ToArray());
    return;
}
if (args.Length >= 2 && args[0] == "--random-probe")
{
    // --random-probe NAME [batch threads]: one random network at batch sizes 1-64 on 1 and 2 threads, or at the one case given.
    RandomArchitecturesRun.Probe(args[1], args.Length == 4 ? (int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)) : null);
    return;
}
if (args.Length >= 1 && args[0] == "--random")
{
    // The random-architecture benchmark: every network of RandomNetworks.cs against ONNX Runtime (see RandomArchitecturesRun).
    // --random [rounds] [network names...]
    RandomArchitecturesRun.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 21, args.Skip(2).ToArray());
    return;
}
if (args.Length == 2 && args[0] == "--probe")
{
    // A fast look at one case outside BenchmarkDotNet: the best of many timed rounds, CnnGen and ONNX Runtime.
    var probe = new Inference { Case = args[1] };
    probe.Setup();
    double Best(Action run)
    {
        for (int i = 0; i < 20; i++) run();
        double best = double.MaxValue;
        for (int round = 0; round < 40; round++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 5; i++) run();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds * 1000 / 5);
        }
        return best;
    }
    int batch = Inference.Parse(args[1]).Batch;
    Console.WriteLine($"{args[1]}: CnnGen {Best(probe.CnnGen) / batch:F1} us/image, ONNX Runtime {Best(probe.OnnxRuntime) / batch:F1} us/image");
    probe.Cleanup();
    return;
}
IConfig config = DefaultConfig.Instance
    .AddJob((quick
        ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1).WithInvocationCount(8).WithUnrollFactor(1)
        : Job.Default.WithLaunchCount(1).WithIterationCount(12).WithWarmupCount(4)).WithToolchain(InProcessEmitToolchain.Instance))
    .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
if (args.Contains("--winograd"))
{
    BenchmarkRunner.Run<WinogradLayer>(config);
    return;
}
if (args.Contains("--exp"))
{
    BenchmarkRunner.Run<Exponential>(config);
    return;
}
Summary summary = BenchmarkRunner.Run(new[] { typeof(PeakFma), typeof(Inference), typeof(PlainInference) }, config).Single();
Report.Write(summary, quick);

/// <summary>
/// The machine's single-thread FMA peak at the width of CnnGen's kernels here (<see cref="CnnGenRuntime.VectorBits"/>):
/// 12 independent FMA chains of Vector512 or Vector256.
/// </summary>
public class PeakFma
{
    public const int Iterations = 1_000_000;

    [Benchmark]
    public float Peak() => Chains();

    /// <summary>
    /// The same loop on two threads at once, <see cref="Rounds"/> times each (so starting the thread costs under 1%):
    /// what two threads can reach together.
    /// </summary>
    [Benchmark]
    public float PeakTwoThreads()
    {
        static float Many() { float sum = 0; for (int i = 0; i < Rounds; i++) sum += Chains(); return sum; }
        float other = 0;
        var thread = new System.Threading.Thread(() => other = Many());
        thread.Start();
        float own = Many();
        thread.Join();
        return own + other;
    }

    public const int Rounds = 20;

    private static bool Wide => CnnGenRuntime.VectorBits == 512;

    private static float Chains() => Wide ? Chains512() : Chains256();

    private static float Chains256()
    {
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        Vector256<float> m = Vector256.Create(0.9999f), c = Vector256.Create(0.0001f);
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c); a2 = Fma.MultiplyAdd(a2, m, c); a3 = Fma.MultiplyAdd(a3, m, c);
            a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c); a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c);
            a8 = Fma.MultiplyAdd(a8, m, c); a9 = Fma.MultiplyAdd(a9, m, c); a10 = Fma.MultiplyAdd(a10, m, c); a11 = Fma.MultiplyAdd(a11, m, c);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    private static float Chains512()
    {
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        Vector512<float> m = Vector512.Create(0.9999f), c = Vector512.Create(0.0001f);
        for (int i = 0; i < Iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c); a2 = Avx512F.FusedMultiplyAdd(a2, m, c); a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c); a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, c); a9 = Avx512F.FusedMultiplyAdd(a9, m, c); a10 = Avx512F.FusedMultiplyAdd(a10, m, c); a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    /// <summary>Floating-point operations of one <see cref="Chains"/> call.</summary>
    public static double Flops => 2.0 * (Wide ? 16 : 8) * 12 * Iterations;
}

/// <summary>One network, batch size and thread count: CnnGen, ONNX Runtime (pre-bound OrtValues) and the plain implementation.</summary>
public class Inference
{
    public static IEnumerable<string> Cases()
    {
        yield return "mnist-8 b1 t1";
        foreach (string net in new[] { "LeNet-5", "VGG-CIFAR", "Audio-1D", "Volume-3D" })
        {
            yield return net + " b1 t1";
            if (net != "LeNet-5") yield return net + " b1 t2"; // LeNet-5's layers are all too small to split
            yield return net + " b64 t1";
            yield return net + " b64 t2";
        }
        foreach (string net in new[] { "CIFAR-ResNet-20", "ResNet-18", "MobileNetV2" })
            foreach (string c in new[] { " b1 t1", " b1 t2", " b8 t1", " b8 t2" })
                yield return net + c;
    }

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    private Model _model = null!;
    private int _batch, _threads;
    private float[] _input = null!, _output = null!, _ortOutput = null!;
    private BoundSession _ort = null!;

    public static (string Net, int Batch, int Threads) Parse(string c)
    {
        string[] parts = c.Split(' ');
        return (parts[0], int.Parse(parts[1][1..], CultureInfo.InvariantCulture), int.Parse(parts[2][1..], CultureInfo.InvariantCulture));
    }

    [GlobalSetup]
    public void Setup()
    {
        (string net, _batch, _threads) = Parse(Case);
        _model = Model.Create(net);
        CnnGenRuntime.MaxThreads = _threads;
        var random = new Random(7);
        _input = Enumerable.Range(0, _model.Spec.InputLength * _batch).Select(_ => (float)random.NextDouble()).ToArray();
        _output = new float[_model.Spec.OutputLength * _batch];
        _ortOutput = new float[_output.Length];

        long[] inShape = new long[] { _batch }.Concat(_model.Spec.InputShape.Select(v => (long)v)).ToArray();
        long[] outShape = _model.FixedBatch ? new long[] { 1, _model.Spec.OutputLength } : new long[] { _batch }.Concat(_model.Spec.OutputShape.Select(v => (long)v)).ToArray();
        _ort = new BoundSession(_model.OnnxPath, _threads, _input, inShape, _ortOutput, outShape);

        // The two agree before anything is timed.
        CnnGen();
        OnnxRuntime();
        BoundSession.CheckAgree(_output, _ortOutput, Case);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ort.Dispose();
        CnnGenRuntime.MaxThreads = Environment.ProcessorCount;
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _ort.Run();

    [Benchmark]
    public void CnnGen() => _model.Network.Forward(_input, _output, _batch);
}

/// <summary>The plain channels-first loops, one sample at a time (batch 1 only: it scales linearly).</summary>
public class PlainInference
{
    /// <summary>The sequential networks (the plain loops have no branches; a torchvision network would take seconds per image).</summary>
    public static IEnumerable<string> Cases() => Inference.Cases().Where(c => c.EndsWith(" b1 t1", StringComparison.Ordinal) && !Torchvision(c));

    public static bool Torchvision(string c) => c.StartsWith("ResNet", StringComparison.Ordinal) || c.StartsWith("MobileNet", StringComparison.Ordinal) || c.StartsWith("CIFAR-ResNet", StringComparison.Ordinal);

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    private PlainReference _plain = null!;
    private float[] _input = null!, _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        Model model = Model.Create(Inference.Parse(Case).Net);
        _plain = new PlainReference(model.Spec, WeightLoader.Load(model.OnnxPath, model.Spec));
        _input = new float[model.Spec.InputLength];
        _output = new float[model.Spec.OutputLength];
    }

    [Benchmark]
    public void Plain() => _plain.Forward(_input, _output, 1);
}

/// <summary>Turns the summary into the table of docs/performance.md: time per image, ratio, GFLOP/s, share of peak, bytes.</summary>
public static class Report
{
    public static void Write(Summary summary, bool quick)
    {
        double Peak(string method) => summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics is { } ps
            ? PeakFma.Flops / ps.Mean : double.NaN;
        double peak1 = Peak("Peak"), peak2 = 2 * PeakFma.Rounds * Peak("PeakTwoThreads");
        var lines = new List<string>
        {
            $"Peak (Vector{(CnnGenRuntime.VectorBits == 512 ? 512 : 256)} FMA, 12 chains per thread): one thread {peak1:F1} GFLOP/s, two threads together {peak2:F1} GFLOP/s ({peak2 / peak1:F2}x one); CnnGen's kernels: {CnnGenRuntime.VectorBits}-bit",
            "",
            "| network | batch | threads | CnnGen us/image | ONNX Runtime us/image | plain us/image (batch 1) | CnnGen vs ORT | CnnGen GFLOP/s | % of peak | ORT % of peak | CnnGen bytes/call |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        };
        var macsOf = new Dictionary<string, long>();
        foreach (string c in Inference.Cases())
        {
            (string net, int batch, int threads) = Inference.Parse(c);
            BenchmarkReport? R(string method) => summary.Reports.FirstOrDefault(r =>
                r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method && r.BenchmarkCase.Parameters["Case"] as string == c);
            BenchmarkReport? cg = R("CnnGen"), ort = R("OnnxRuntime");
            BenchmarkReport? plain = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == "Plain" && r.BenchmarkCase.Parameters["Case"] as string == net + " b1 t1");
            if (cg?.ResultStatistics is null || ort?.ResultStatistics is null) continue;
            if (!macsOf.TryGetValue(net, out long macs)) macsOf[net] = macs = Model.Create(net).Macs;
            // Medians: on a shared VM a few slow iterations (another tenant) move the mean more than the median.
            double cgUs = cg.ResultStatistics.Median / 1000 / batch, ortUs = ort.ResultStatistics.Median / 1000 / batch;
            double plainUs = plain?.ResultStatistics is { } pst ? pst.Median / 1000 : double.NaN;
            double gflops = 2.0 * macs / (cgUs * 1000), ortGflops = 2.0 * macs / (ortUs * 1000);
            long bytes = cg.GcStats.GetBytesAllocatedPerOperation(cg.BenchmarkCase) ?? -1;
            lines.Add($"| {net} | {batch} | {threads} | {cgUs:F1} | {ortUs:F1} | {(double.IsNaN(plainUs) ? "-" : plainUs.ToString("F0", CultureInfo.InvariantCulture))} | " +
                $"{ortUs / cgUs:F2}x | {gflops:F1} | {100 * gflops / (threads == 1 ? peak1 : peak2):F0}% | {100 * ortGflops / (threads == 1 ? peak1 : peak2):F0}% | {bytes} |");
        }
        Save(quick ? "cnngen-quick.md" : "cnngen.md", lines);
    }

    /// <summary>Prints a table and writes it to BenchmarkDotNet.Artifacts/<paramref name="fileName"/>.</summary>
    public static void Save(string fileName, List<string> lines)
    {
        string text = string.Join("\n", lines) + "\n";
        Console.WriteLine();
        Console.WriteLine(text);
        string path = Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        Console.WriteLine("Written to " + path);
    }
}

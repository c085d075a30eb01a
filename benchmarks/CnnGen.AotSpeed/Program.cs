using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CnnGen;
using CnnGen.Benchmarks;

// Prints one line per network, "<name>: <microseconds per image>", after checking mnist-8 against its reference outputs.
// Usage: CnnGen.AotSpeed <folder of mnist-8>
if (args.Length != 1 || !File.Exists(Path.Combine(args[0], "model.onnx")))
{
    Console.Error.WriteLine("Usage: CnnGen.AotSpeed <folder of mnist-8 (model.onnx and test_data_set_*)>");
    return 2;
}
CnnGenRuntime.MaxThreads = 1;
Console.WriteLine($"kernels: {CnnGenRuntime.VectorBits}");

Mnist8 mnist = Mnist8.Load(Path.Combine(args[0], "model.onnx"));
var logits = new float[Mnist8.OutputLength];
for (int set = 0; set < 3; set++)
{
    string dir = Path.Combine(args[0], $"test_data_set_{set}");
    mnist.Forward(OnnxData.ReadTensor(Path.Combine(dir, "input_0.pb"), out _), logits);
    float[] expected = OnnxData.ReadTensor(Path.Combine(dir, "output_0.pb"), out _);
    float scale = expected.Max(MathF.Abs);
    if (logits.Zip(expected, (a, b) => MathF.Abs(a - b)).Max() > 1e-4f * scale)
    {
        Console.Error.WriteLine($"mnist-8 differs from test_data_set_{set}'s reference outputs");
        return 1;
    }
}

var random = new Random(42);
LeNet5 lenet = LeNet5.Create(Enumerable.Range(0, (int)LeNet5.ParameterCount).Select(_ => (float)((random.NextDouble() - 0.5) * 0.2)).ToArray());
float[] digit = OnnxData.ReadTensor(Path.Combine(args[0], "test_data_set_0", "input_0.pb"), out _);
var output = new float[10];
Console.WriteLine($"mnist-8: {Median(() => mnist.Forward(digit, output)):F2}");
Console.WriteLine($"LeNet-5: {Median(() => lenet.Forward(digit, output)):F2}");
return 0;

// Microseconds per call: the median of 31 rounds of about 10 ms, after a warm-up (the JIT's tiers settle in it).
static double Median(Action run)
{
    var watch = Stopwatch.StartNew();
    while (watch.ElapsedMilliseconds < 500) run();
    int calls = 0;
    watch.Restart();
    while (watch.ElapsedMilliseconds < 10) { run(); calls++; }
    var rounds = new double[31];
    for (int r = 0; r < rounds.Length; r++)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) run();
        rounds[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000 / calls;
    }
    Array.Sort(rounds);
    return rounds[rounds.Length / 2];
}

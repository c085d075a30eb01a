using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CnnGen;

// A real trained model: the ONNX model zoo's mnist-8 (CNTK export), declared with attributes, its weights embedded in
// the assembly at build time from ../shared/testdata/mnist-8/model.onnx, run on its three reference digits.
// Arguments: [folder of mnist-8's reference digits] [--no-timing] (the check alone, e.g. under an emulator).
string[] folders = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
string data = folders.Length > 0 ? folders[0] : FindTestData();
bool timing = !args.Contains("--no-timing");
Console.WriteLine(Mnist8.Summary);

// Default: the weights the build checked and embedded; no model file is read at run time (Mnist8.Load(path) reads one).
Mnist8 net = Mnist8.Default;
Console.WriteLine($"{Mnist8.ParameterCount:N0} weights embedded in {typeof(Mnist8).Assembly.GetName().Name} at build time (Mnist8.Default)");
Console.WriteLine($"Kernels: {(CnnGenRuntime.VectorBits == 0 ? "scalar" : $"{CnnGenRuntime.VectorBits}-bit vectors")} ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture})");

var logits = new float[Mnist8.OutputLength];
bool allMatch = true;
for (int set = 0; set < 3; set++)
{
    string dir = Path.Combine(data, $"test_data_set_{set}");
    float[] input = OnnxData.ReadTensor(Path.Combine(dir, "input_0.pb"), out _);
    float[] expected = OnnxData.ReadTensor(Path.Combine(dir, "output_0.pb"), out _);
    net.Forward(input, logits);
    allMatch &= ReferenceCheck.Report($"test_data_set_{set}", logits, expected);
}

if (!timing) return allMatch ? 0 : 1;

// Time per image: single thread, one sample per call.
CnnGenRuntime.MaxThreads = 1;
float[] image = OnnxData.ReadTensor(Path.Combine(data, "test_data_set_0", "input_0.pb"), out _);
for (int i = 0; i < 200; i++) net.Forward(image, logits);
const int runs = 2000;
var watch = Stopwatch.StartNew();
for (int i = 0; i < runs; i++) net.Forward(image, logits);
watch.Stop();
Console.WriteLine($"Time per image: {watch.Elapsed.TotalMilliseconds * 1000 / runs:F1} us (batch 1, one thread, {runs} runs)");
#if DEBUG
Console.WriteLine("(a Debug build: the kernels run unoptimised; use -c Release for real timings)");
#endif
return allMatch ? 0 : 1;

static string FindTestData()
{
    for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
    {
        string candidate = Path.Combine(dir, "..", "shared", "testdata", "mnist-8");
        if (File.Exists(Path.Combine(candidate, "model.onnx"))) return Path.GetFullPath(candidate);
    }
    throw new DirectoryNotFoundException("../shared/testdata/mnist-8 not found above the program; pass its folder as the first argument.");
}

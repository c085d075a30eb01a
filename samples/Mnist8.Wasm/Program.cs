using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CnnGen;

// mnist-8 in WebAssembly (browser-wasm, run here under Node.js): the same declaration and embedded weights as
// samples/Mnist8, checked against the model's three reference digits (embedded in this assembly at build time from
// ../shared/testdata, since a WebAssembly program sees no host files), one by one and as one batch.
// Usage (after dotnet build): node bin/<configuration>/net10.0/wwwroot/main.mjs [--no-timing]
bool timing = !args.Contains("--no-timing");
Console.WriteLine($"Kernels: {(CnnGenRuntime.VectorBits == 0 ? "scalar" : $"{CnnGenRuntime.VectorBits}-bit vectors")} ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture})");
Mnist8 net = Mnist8.Default;
var inputs = new float[3][];
var expected = new float[3][];
for (int set = 0; set < 3; set++)
{
    inputs[set] = Tensor($"test_data_set_{set}/input_0.pb");
    expected[set] = Tensor($"test_data_set_{set}/output_0.pb");
}

bool allMatch = true;
var logits = new float[Mnist8.OutputLength];
for (int set = 0; set < 3; set++)
{
    net.Forward(inputs[set], logits);
    allMatch &= ReferenceCheck.Report($"test_data_set_{set}", logits, expected[set]);
}

// The three digits as one batch, on as many threads as the user asks for (a WebAssembly program without threads runs
// them on the calling one).
CnnGenRuntime.MaxThreads = 4;
float[] batch = inputs.SelectMany(x => x).ToArray();
var batchLogits = new float[3 * Mnist8.OutputLength];
net.Forward(batch, batchLogits, 3);
for (int set = 0; set < 3; set++)
    allMatch &= ReferenceCheck.Report($"batch sample {set}", batchLogits.AsSpan(set * Mnist8.OutputLength, Mnist8.OutputLength).ToArray(), expected[set]);

if (timing)
{
    CnnGenRuntime.MaxThreads = 1;
    for (int i = 0; i < 50; i++) net.Forward(inputs[0], logits);
    const int runs = 500;
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < runs; i++) net.Forward(inputs[0], logits);
    Console.WriteLine($"Time per image: {watch.Elapsed.TotalMilliseconds * 1000 / runs:F1} us (batch 1, {runs} runs)");
}
return allMatch ? 0 : 1;

// A reference tensor embedded in this assembly, read through a file of the WebAssembly program's own (in-memory) file system.
static float[] Tensor(string name)
{
    using Stream resource = typeof(Mnist8).Assembly.GetManifestResourceStream(name)
        ?? throw new FileNotFoundException($"{name} is not embedded: build with ../shared/testdata/mnist-8 beside the repository.");
    string path = Path.Combine(Path.GetTempPath(), name.Replace('/', '_'));
    using (FileStream file = File.Create(path)) resource.CopyTo(file);
    return OnnxData.ReadTensor(path, out _);
}

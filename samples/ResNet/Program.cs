using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using CnnGen;
using ResNetSample;

// A branching network end to end: the CIFAR ResNet-20 of CifarResNet20.cs, its layer tree, a PyTorch state_dict
// loaded by module names, a batch run, and the time per image. There is no trained ResNet in ../shared/testdata, so
// the state_dict is written here with seeded random weights, in the file format PyTorch's
// safetensors.torch.save_file(model.state_dict(), path) writes (num_batches_tracked included); with a trained model,
// point CifarResNet20.Load at its file.
Console.WriteLine(CifarResNet20.Summary);

string path = Path.Combine(Path.GetTempPath(), "cifar-resnet20.safetensors");
float[] flat = StateDict.Write(path, CifarResNet20.Spec, seed: 2016);
Console.WriteLine($"Wrote a state_dict of {CifarResNet20.Spec.ParameterNames.Count} tensors to {path}; first: {string.Join(", ", CifarResNet20.Spec.ParameterNames.Take(4))}, ...");

CifarResNet20 net = CifarResNet20.Load(path);           // every tensor found by name, its shape checked
var fromArray = new CifarResNet20(flat);                // the same weights as one flat array, layer by layer

const int batch = 8;
var random = new Random(7);
float[] images = new float[CifarResNet20.InputLength * batch];
for (int i = 0; i < images.Length; i++) images[i] = (float)(random.NextDouble() * 2 - 1);
float[] scores = new float[CifarResNet20.OutputLength * batch], again = new float[scores.Length];
net.Forward(images, scores, batch);
fromArray.Forward(images, again, batch);
bool same = scores.SequenceEqual(again);
for (int n = 0; n < batch; n++)
{
    ReadOnlySpan<float> s = scores.AsSpan(n * 10, 10);
    int best = 0;
    for (int k = 1; k < 10; k++) if (s[k] > s[best]) best = k;
    Console.WriteLine($"image {n}: class {best} (score {s[best]:F3})");
}
Console.WriteLine(same ? "The state_dict and the flat array give the same outputs." : "MISMATCH between the state_dict and the flat array");

// Time per image: batch 1 on one thread, then a batch of 8 on every core.
CnnGenRuntime.MaxThreads = 1;
float[] one = images.AsSpan(0, CifarResNet20.InputLength).ToArray();
for (int i = 0; i < 50; i++) net.Forward(one, scores.AsSpan(0, 10));
var watch = Stopwatch.StartNew();
const int runs = 300;
for (int i = 0; i < runs; i++) net.Forward(one, scores.AsSpan(0, 10));
Console.WriteLine($"Time per image: {watch.Elapsed.TotalMilliseconds * 1000 / runs:F0} us (batch 1, one thread, {CnnGenRuntime.VectorBits}-bit kernels)");
CnnGenRuntime.MaxThreads = Environment.ProcessorCount;
watch.Restart();
for (int i = 0; i < runs / batch; i++) net.Forward(images, scores, batch);
Console.WriteLine($"Time per image: {watch.Elapsed.TotalMilliseconds * 1000 / (runs / batch * batch):F0} us (batch {batch}, {Environment.ProcessorCount} threads)");
#if DEBUG
Console.WriteLine("(a Debug build: the kernels run unoptimised; use -c Release for real timings)");
#endif
return same ? 0 : 1;

/// <summary>Writes a state_dict as a .safetensors file: an 8-byte header length, a JSON header, the raw tensors.</summary>
internal static class StateDict
{
    /// <summary>
    /// Seeded weights for every tensor of <paramref name="spec"/> (Kaiming-like scales; BatchNorm variances positive),
    /// saved under their module names with PyTorch's num_batches_tracked beside each BatchNorm. Returns the same
    /// weights as the flat array the constructor takes.
    /// </summary>
    public static float[] Write(string path, NetworkSpec spec, int seed)
    {
        var random = new Random(seed);
        var tensors = new List<(string Name, string DType, int[] Shape, byte[] Data)>();
        var flat = new List<float>();
        for (int t = 0; t < spec.ParameterNames.Count; t++)
        {
            string name = spec.ParameterNames[t];
            int[] shape = spec.ParameterShapes[t];
            int count = shape.Aggregate(1, (a, b) => a * b);
            int fanIn = shape.Length > 1 ? count / shape[0] : 1;
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                double u = random.NextDouble();
                values[i] = (float)(name.EndsWith("running_var", StringComparison.Ordinal) ? 0.5 + u
                    : name.EndsWith(".weight", StringComparison.Ordinal) && shape.Length == 1 ? 0.8 + 0.4 * u   // BatchNorm gamma
                    : (u * 2 - 1) * Math.Sqrt(3.0 / fanIn));
            }
            flat.AddRange(values);
            var bytes = new byte[count * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            tensors.Add((name, "F32", shape, bytes));
            if (name.EndsWith("running_var", StringComparison.Ordinal))
                tensors.Add((name[..^"running_var".Length] + "num_batches_tracked", "I64", Array.Empty<int>(), BitConverter.GetBytes(64000L)));
        }
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            if (header.Length > 1) header.Append(',');
            header.Append($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}}");
            offset += data.Length;
        }
        header.Append('}');
        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((long)json.Length));
        file.Write(json);
        foreach (var tensor in tensors) file.Write(tensor.Data);
        return flat.ToArray();
    }
}

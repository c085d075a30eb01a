using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CnnGen.Tests.Forward;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Loading
{
    public class SafetensorsLoaderTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("cnngen-st-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        /// <summary>SmallNet's state_dict as PyTorch names it (features.0, features.1 with BatchNorm buffers, classifier).</summary>
        private static List<(string Name, long[] Shape, float[] Values)> StateDict(int seed)
        {
            var r = new Random(seed);
            float[] V(int n, float offset = 0) => Enumerable.Range(0, n).Select(_ => (float)Math.Round(r.NextDouble() - 0.5 + offset, 3)).ToArray();
            return new List<(string, long[], float[])>
            {
                ("features.0.weight", new long[] { 3, 2, 3, 3 }, V(54)),
                ("features.0.bias", new long[] { 3 }, V(3)),
                ("features.1.weight", new long[] { 3 }, V(3)),
                ("features.1.bias", new long[] { 3 }, V(3)),
                ("features.1.running_mean", new long[] { 3 }, V(3)),
                ("features.1.running_var", new long[] { 3 }, V(3, 1.5f)),
                ("features.1.num_batches_tracked", new long[] { 1 }, new float[] { 7 }),
                ("classifier.weight", new long[] { 4, 3 }, V(12)),
                ("classifier.bias", new long[] { 4 }, V(4)),
            };
        }

        private string Save(byte[] bytes, string name = "model.safetensors")
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        [Theory]
        [InlineData("F32")]
        [InlineData("F16")]
        [InlineData("BF16")]
        [InlineData("F64")]
        public void State_dict_loads_in_declaration_order(string dtype)
        {
            var dict = StateDict(1);
            // Order in the file is not the declaration's order: shuffle it.
            var shuffled = dict.OrderBy(t => t.Name.GetHashCode(StringComparison.Ordinal)).ToList();
            float[] flat = SmallNet.Spec.ParameterNames.SelectMany(n => dict.Single(t => t.Name == n).Values).ToArray();
            float[] loaded = WeightLoader.Load(Save(SafetensorsWriter.Write(shuffled, dtype)), SmallNet.Spec);
            float tolerance = dtype == "BF16" ? 1e-2f : dtype == "F16" ? 1e-3f : 0f;
            Assert.Equal(flat.Length, loaded.Length);
            for (int i = 0; i < flat.Length; i++) Assert.InRange(loaded[i], flat[i] - tolerance * Math.Max(1, Math.Abs(flat[i])), flat[i] + tolerance * Math.Max(1, Math.Abs(flat[i])));

            var x = Enumerable.Range(0, 72).Select(i => (float)Math.Sin(i)).ToArray();
            float[] a = new float[4], b = new float[4];
            SmallNet.Load(Path.Combine(_dir, "model.safetensors")).Forward(x, a);
            new SmallNet(loaded).Forward(x, b);
            Assert.Equal(b, a);
        }

        [Fact]
        public void Missing_extra_and_misshapen_tensors_are_named()
        {
            var dict = StateDict(2);
            dict.RemoveAll(t => t.Name == "classifier.bias");
            dict.Add(("head.weight", new long[] { 2 }, new float[2]));
            var e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(Save(SafetensorsWriter.Write(dict)), SmallNet.Spec));
            Assert.Contains("Missing: classifier.bias [4]", e.Message);
            Assert.Contains("Not in the declaration: head.weight", e.Message);

            dict = StateDict(2);
            dict[7] = ("classifier.weight", new long[] { 3, 4 }, dict[7].Values);
            e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(Save(SafetensorsWriter.Write(dict), "shape.safetensors"), SmallNet.Spec));
            Assert.Contains("tensor 'classifier.weight'", e.Message);
            Assert.Contains("[3, 4], but the declaration needs [4, 3]", e.Message);
        }

        [Fact]
        public void Corrupt_and_hostile_files_give_InvalidDataException()
        {
            byte[] good = SafetensorsWriter.Write(StateDict(3));
            int headerLength = (int)BitConverter.ToUInt64(good, 0);
            string header = Encoding.UTF8.GetString(good, 8, headerLength);
            byte[] WithHeader(string h, int dataBytes = 0)
            {
                byte[] hb = Encoding.UTF8.GetBytes(h);
                return BitConverter.GetBytes((ulong)hb.Length).Concat(hb).Concat(new byte[dataBytes]).ToArray();
            }
            var cases = new (byte[] Bytes, string Message)[]
            {
                (good.Take(5).ToArray(), "8-byte header length"),
                (BitConverter.GetBytes(ulong.MaxValue).Concat(new byte[16]).ToArray(), "the header claims"),
                (good.Take(8 + headerLength + 10).ToArray(), "outside the"),
                (WithHeader("{not json"), "not valid JSON"),
                (WithHeader("[1,2]"), "not a JSON object"),
                (WithHeader("{\"features.0.weight\":{\"dtype\":\"I32\",\"shape\":[3,2,3,3],\"data_offsets\":[0,216]}}", 216), "dtype I32"),
                (WithHeader("{\"features.0.weight\":{\"dtype\":\"F32\",\"shape\":[3000000000,3000000000],\"data_offsets\":[0,8]}}", 8), "impossible shape"),
                (WithHeader("{\"features.0.weight\":{\"dtype\":\"F32\",\"shape\":[3,2,3,3],\"data_offsets\":[0,8]}}", 8), "data_offsets span 8"),
                (WithHeader("{\"features.0.weight\":{\"shape\":[1]}}"), "lacks dtype"),
                (WithHeader("{\"features.0.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8), "outside the"),
            };
            foreach (var (bytes, message) in cases)
            {
                var e = Assert.Throws<InvalidDataException>(() => WeightLoader.Load(Save(bytes, "bad.safetensors"), SmallNet.Spec));
                Assert.Contains(message, e.Message);
            }
            Assert.Contains("features.0.weight", header);
        }
    }
}

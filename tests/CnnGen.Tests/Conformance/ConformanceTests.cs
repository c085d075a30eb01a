using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using CnnGen.Loading;
using CnnGen.Tests.Infrastructure;
using Xunit;

namespace CnnGen.Tests.Conformance
{
    /// <summary>
    /// ONNX's own conformance tests (Debian's libonnx-testdata): the declared network, its weights read from the test's
    /// model and inputs, the generated code against the expected output (absolute 1e-5 plus relative 1e-4).
    /// </summary>
    public class ConformanceTests
    {
        public static string DataRoot
        {
            get
            {
                string? env = Environment.GetEnvironmentVariable("CNNGEN_ONNX_TESTDATA");
                string[] candidates =
                {
                    env ?? "",
                    Path.Combine(Repo.Root, ".cache", "libonnx-testdata", "usr", "share", "libonnx-testdata", "data"),
                    "/usr/share/libonnx-testdata/data",
                };
                return candidates.FirstOrDefault(c => c.Length > 0 && Directory.Exists(Path.Combine(c, "node")))
                    ?? throw new DirectoryNotFoundException(
                        "ONNX conformance data not found. Run 'bash scripts/test.sh' (it fetches Debian's libonnx-testdata into .cache/), " +
                        "install the package (apt-get install libonnx-testdata), or set CNNGEN_ONNX_TESTDATA to its data/ folder.");
            }
        }

        public static IEnumerable<object[]> Cases() =>
            typeof(ConformanceTests).Assembly.GetTypes()
                .SelectMany(t => t.GetCustomAttributes<OnnxTestAttribute>().Select(a => (Test: a, Type: t)))
                .OrderBy(c => c.Test.Path, StringComparer.Ordinal)
                .Select(c => new object[] { c.Test.Path, c.Type.FullName!, c.Test.CheckInput });

        [Theory]
        [MemberData(nameof(Cases))]
        public void Matches_the_ONNX_reference(string test, string networkType, bool checkInput)
        {
            Type type = typeof(ConformanceTests).Assembly.GetType(networkType, throwOnError: true)!;
            string dir = Path.Combine(DataRoot, test);
            string modelPath = Path.Combine(dir, "model.onnx");
            Assert.True(File.Exists(modelPath), $"{modelPath} is missing");
            OnnxModel model = OnnxModel.ReadFile(modelPath);
            NetworkSpec spec = InMemoryNetworks.Spec(type);

            foreach (string set in Directory.GetDirectories(dir, "test_data_set_*").OrderBy(s => s, StringComparer.Ordinal))
            {
                var inputs = model.Inputs.Where(i => !model.Initializers.ContainsKey(i.Name)).ToList();
                var tensors = Enumerable.Range(0, inputs.Count).Select(i => OnnxTensor.ReadFile(Path.Combine(set, $"input_{i}.pb"))).ToList();
                var extra = new Dictionary<string, OnnxTensor>();
                for (int i = 1; i < inputs.Count; i++) extra[inputs[i].Name] = tensors[i];

                float[] parameters = extra.Count == 0 && checkInput
                    ? WeightLoader.Load(modelPath, spec) // the public path: the generated Load uses it
                    : OnnxWeightMatcher.Match(model, spec, extra, checkInput);
                IConvNet net = InMemoryNetworks.Create(type, parameters);

                float[] x = tensors[0].RequireFloats("input");
                Assert.True(x.Length % spec.InputLength == 0, $"the test input has {x.Length} values, not a whole number of {spec.InputLength}-value samples");
                int batch = x.Length / spec.InputLength;
                float[] expected = OnnxTensor.ReadFile(Path.Combine(set, "output_0.pb")).RequireFloats("output");
                Assert.Equal(expected.Length, spec.OutputLength * batch);
                var y = new float[expected.Length];
                net.Forward(x, y, batch);
                for (int i = 0; i < y.Length; i++)
                {
                    float tolerance = 1e-5f + 1e-4f * Math.Abs(expected[i]);
                    if (!(Math.Abs(y[i] - expected[i]) <= tolerance))
                        Assert.Fail($"{test} {Path.GetFileName(set)}: output {i} is {y[i]}, expected {expected[i]} (tolerance {tolerance})");
                }
            }
        }

        [Fact]
        public void Every_listed_test_exists_and_no_case_is_listed_twice()
        {
            var cases = Cases().Select(c => (string)c[0] + "|" + (string)c[1]).ToList();
            Assert.Equal(cases.Count, cases.Distinct().Count());
            foreach (object[] c in Cases()) Assert.True(Directory.Exists(Path.Combine(DataRoot, (string)c[0])), (string)c[0]);
            Assert.True(Cases().Count() >= 100, $"only {Cases().Count()} conformance cases");
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.Loading;
using Xunit;

namespace CnnGen.Tests.Conformance
{
    /// <summary>
    /// The conformance tests of the supported operators that CnnGen does not run (see docs/conformance.md): each is
    /// refused at load time with an exception that says what CnnGen cannot express, never a wrong result.
    /// </summary>
    public class OutOfScopeTests
    {
        private static int[] P(params int[] v) => v;

        private static NetworkSpec Net(int[] input, params LayerSpec[] layers) => new("OutOfScope", input, layers);

        public static IEnumerable<object[]> Cases() => new (string Test, Func<NetworkSpec> Spec, string Reason)[]
        {
            ("node/test_averagepool_2d_ceil", () => Net(P(1, 4, 4), LayerSpec.AvgPool("p", P(3, 3), P(2, 2), P(0, 0, 0, 0), false)), "ceil_mode = 1"),
            ("node/test_maxpool_2d_ceil", () => Net(P(1, 4, 4), LayerSpec.MaxPool("p", P(3, 3), P(2, 2), P(0, 0, 0, 0))), "ceil_mode = 1"),
            ("node/test_maxpool_2d_dilations", () => Net(P(1, 4, 4), LayerSpec.MaxPool("p", P(2, 2), P(1, 1), P(0, 0, 0, 0))), "dilations [2, 2]"),
            ("pytorch-converted/test_MaxPool1d_stride_padding_dilation", () => Net(P(1, 220000), LayerSpec.MaxPool("p", P(200), P(10), P(100, 100))), "dilations [10]"),
            ("pytorch-converted/test_MaxPool2d_stride_padding_dilation", () => Net(P(1, 1000, 1000), LayerSpec.MaxPool("p", P(60, 80), P(10, 10), P(10, 20, 10, 20))), "dilations [10, 10]"),
            ("node/test_maxpool_with_argmax_2d_precomputed_pads", () => Net(P(1, 5, 5), LayerSpec.MaxPool("p", P(5, 5), P(1, 1), P(2, 2, 2, 2))), "2 outputs"),
            ("node/test_maxpool_with_argmax_2d_precomputed_strides", () => Net(P(1, 5, 5), LayerSpec.MaxPool("p", P(2, 2), P(2, 2), P(0, 0, 0, 0))), "2 outputs"),
            ("node/test_gemm_transposeA", () => Net(P(1, 6), LayerSpec.Flatten("f"), LayerSpec.Dense("fc", 4, true)), "transA = 1"),
            ("node/test_gemm_all_attributes", () => Net(P(1, 4), LayerSpec.Flatten("f"), LayerSpec.Dense("fc", 5, true)), "transA = 1"),
            ("node/test_gemm_default_matrix_bias", () => Net(P(1, 6), LayerSpec.Flatten("f"), LayerSpec.Dense("fc", 4, true)), "expected 4 values"),
            ("node/test_batchnorm_example_training_mode", () => Net(P(3, 4, 5), LayerSpec.BatchNorm("bn", 1e-5f)), "training mode"),
            ("node/test_batchnorm_epsilon_training_mode", () => Net(P(3, 4, 5), LayerSpec.BatchNorm("bn", 0.01f)), "training mode"),
            ("node/test_softmax_axis_0", () => Net(P(1, 5), LayerSpec.Flatten("f"), LayerSpec.Softmax("s")), "normalises axis 0"),
            ("node/test_softmax_axis_1", () => Net(P(1, 5), LayerSpec.Flatten("f"), LayerSpec.Softmax("s")), "normalises axis 1"),
            ("node/test_flatten_axis0", () => Net(P(3, 4, 5), LayerSpec.Flatten("f")), "flattens from axis 0"),
            ("node/test_flatten_axis2", () => Net(P(3, 4, 5), LayerSpec.Flatten("f")), "flattens from axis 2"),
            ("node/test_flatten_axis3", () => Net(P(3, 4, 5), LayerSpec.Flatten("f")), "flattens from axis 3"),
            ("node/test_flatten_negative_axis1", () => Net(P(3, 4, 5), LayerSpec.Flatten("f")), "flattens from axis -1"),
            ("node/test_flatten_negative_axis2", () => Net(P(3, 4, 5), LayerSpec.Flatten("f")), "flattens from axis -2"),
            ("node/test_flatten_negative_axis4", () => Net(P(3, 4, 5), LayerSpec.Flatten("f")), "flattens from axis -4"),
            ("pytorch-converted/test_Conv1d_groups", () => Net(P(4, 6), LayerSpec.Conv("c", 6, P(3), P(1), P(0, 0), P(1), true)), "group = 2"),
            ("pytorch-converted/test_Conv2d_depthwise", () => Net(P(4, 6, 6), LayerSpec.Conv("c", 4, P(3, 3), P(1, 1), P(0, 0, 0, 0), P(1, 1), true)), "group = 4"),
            ("pytorch-converted/test_Conv2d_depthwise_padded", () => Net(P(4, 6, 6), LayerSpec.Conv("c", 4, P(3, 3), P(1, 1), P(1, 1, 1, 1), P(1, 1), true)), "group = 4"),
            ("pytorch-converted/test_Conv2d_depthwise_strided", () => Net(P(4, 6, 6), LayerSpec.Conv("c", 4, P(3, 3), P(2, 2), P(0, 0, 0, 0), P(1, 1), true)), "group = 4"),
            ("pytorch-converted/test_Conv2d_depthwise_with_multiplier", () => Net(P(4, 6, 6), LayerSpec.Conv("c", 8, P(3, 3), P(1, 1), P(0, 0, 0, 0), P(1, 1), true)), "group = 4"),
            ("pytorch-converted/test_Conv2d_groups", () => Net(P(4, 6, 5), LayerSpec.Conv("c", 6, P(3, 2), P(1, 1), P(0, 0, 0, 0), P(1, 1), true)), "group = 2"),
            ("pytorch-converted/test_Conv2d_groups_thnn", () => Net(P(4, 6, 5), LayerSpec.Conv("c", 6, P(3, 2), P(1, 1), P(0, 0, 0, 0), P(1, 1), true)), "group = 2"),
            ("pytorch-converted/test_Conv3d_groups", () => Net(P(4, 4, 5, 4), LayerSpec.Conv("c", 6, P(3, 3, 3), P(1, 1, 1), P(0, 0, 0, 0, 0, 0), P(1, 1, 1), true)), "group = 2"),
            ("pytorch-converted/test_AvgPool1d", () => Net(P(3, 6), LayerSpec.AvgPool("p", P(2), P(2), P(0, 0), false)), "Unsqueeze"),
            ("pytorch-converted/test_AvgPool1d_stride", () => Net(P(3, 6), LayerSpec.AvgPool("p", P(2), P(2), P(0, 0), false)), "Unsqueeze"),
        }.Select(c => new object[] { c.Test, c.Spec, c.Reason });

        [Theory]
        [MemberData(nameof(Cases))]
        public void Is_refused_with_a_reason(string test, Func<NetworkSpec> spec, string reason)
        {
            string dir = Path.Combine(ConformanceTests.DataRoot, test);
            OnnxModel model = OnnxModel.ReadFile(Path.Combine(dir, "model.onnx"));
            var inputs = model.Inputs.Where(i => !model.Initializers.ContainsKey(i.Name)).ToList();
            var extra = new Dictionary<string, OnnxTensor>();
            for (int i = 1; i < inputs.Count; i++) extra[inputs[i].Name] = OnnxTensor.ReadFile(Path.Combine(dir, "test_data_set_0", $"input_{i}.pb"));
            var e = Assert.Throws<InvalidDataException>(() => OnnxWeightMatcher.Match(model, spec(), extra, checkInput: false));
            Assert.Contains(reason, e.Message);
        }
    }
}

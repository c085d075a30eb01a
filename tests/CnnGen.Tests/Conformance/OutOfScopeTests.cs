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

        private static BlockSpec Block(string name, params LayerSpec[] layers) => new(name, layers);

        private static LayerSpec Add() => LayerSpec.Residual("add", BlockSpec.Identity, null, false);

        private static LayerSpec Mul() => LayerSpec.Multiply("mul", Block("Gate", LayerSpec.Sigmoid("sigmoid")));

        private static LayerSpec Cat() => LayerSpec.Concat("cat", BlockSpec.Identity, BlockSpec.Identity);

        public static IEnumerable<object[]> Cases() =>
            Refused.Select(c => new object[] { c.Test, c.Spec, c.Reason, false })
                .Concat(TwoDataInputs.Select(c => new object[] { c.Test, c.Spec, "inputs that are not weights", true }));

        /// <summary>
        /// Add, Sum, Mul and Concat of independent graph inputs: a CnnGen network has one input, and its merges combine
        /// branches computed from it. The further inputs are passed as data, as a user's model would have them.
        /// </summary>
        private static readonly (string Test, Func<NetworkSpec> Spec)[] TwoDataInputs =
        {
            ("node/test_add", () => Net(P(3, 4, 5), Add())),
            ("node/test_add_bcast", () => Net(P(3, 4, 5), Add())),
            ("node/test_add_uint8", () => Net(P(3, 4, 5), Add())),
            ("node/test_sum_two_inputs", () => Net(P(1, 3), Add())),
            ("node/test_sum_example", () => Net(P(1, 3), Add())),
            ("node/test_mul", () => Net(P(3, 4, 5), Mul())),
            ("node/test_mul_bcast", () => Net(P(3, 4, 5), Mul())),
            ("node/test_mul_example", () => Net(P(1, 3), Mul())),
            ("node/test_mul_uint8", () => Net(P(3, 4, 5), Mul())),
            ("node/test_concat_1d_axis_0", () => Net(P(1, 2), Cat())),
            ("node/test_concat_1d_axis_negative_1", () => Net(P(1, 2), Cat())),
            ("node/test_concat_2d_axis_0", () => Net(P(2, 2), Cat())),
            ("node/test_concat_2d_axis_1", () => Net(P(2, 2), Cat())),
            ("node/test_concat_2d_axis_negative_1", () => Net(P(2, 2), Cat())),
            ("node/test_concat_2d_axis_negative_2", () => Net(P(2, 2), Cat())),
            ("node/test_concat_3d_axis_0", () => Net(P(2, 2, 2), Cat())),
            ("node/test_concat_3d_axis_1", () => Net(P(2, 2, 2), Cat())),
            ("node/test_concat_3d_axis_2", () => Net(P(2, 2, 2), Cat())),
            ("node/test_concat_3d_axis_negative_1", () => Net(P(2, 2, 2), Cat())),
            ("node/test_concat_3d_axis_negative_2", () => Net(P(2, 2, 2), Cat())),
            ("node/test_concat_3d_axis_negative_3", () => Net(P(2, 2, 2), Cat())),
            ("pytorch-operator/test_operator_add_broadcast", () => Net(P(1, 3), Add())),
            ("pytorch-operator/test_operator_add_size1_broadcast", () => Net(P(1, 3), Add())),
            ("pytorch-operator/test_operator_add_size1_right_broadcast", () => Net(P(1, 3), Add())),
            ("pytorch-operator/test_operator_add_size1_singleton_broadcast", () => Net(P(1, 3), Add())),
            ("pytorch-operator/test_operator_basic", () => Net(P(1, 1), Add())),
            ("pytorch-operator/test_operator_concat2", () => Net(P(1, 3), Cat())),
        };

        /// <summary>The declaration a user would write, and what the loader's message says about the model.</summary>
        private static readonly (string Test, Func<NetworkSpec> Spec, string Reason)[] Refused =
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
            ("pytorch-converted/test_AvgPool1d", () => Net(P(3, 6), LayerSpec.AvgPool("p", P(2), P(2), P(0, 0), false)), "Unsqueeze"),
            ("pytorch-converted/test_AvgPool1d_stride", () => Net(P(3, 6), LayerSpec.AvgPool("p", P(2), P(2), P(0, 0), false)), "Unsqueeze"),
            // Sum of one input (the identity): no layer for it.
            ("node/test_sum_one_input", () => Net(P(1, 3), LayerSpec.Dropout("drop", 0.5f)), "the model goes on with Sum node"),
            // Clip is ReLU6 only with bounds 0 and 6 (Clip(0) with no max is a ReLU, but declared [ReLU] matches Relu nodes only).
            ("node/test_clip", () => Net(P(3, 4, 5), LayerSpec.ReLU6("relu6")), "ReLU6 is Clip(0, 6), but the model's Clip node clips to [-1, 1]"),
            ("node/test_clip_example", () => Net(P(1, 3), LayerSpec.ReLU6("relu6")), "clips to [-1, 1]"),
            ("node/test_clip_inbounds", () => Net(P(1, 3), LayerSpec.ReLU6("relu6")), "clips to [-5, 5]"),
            ("node/test_clip_outbounds", () => Net(P(1, 3), LayerSpec.ReLU6("relu6")), "clips to [-5, 5]"),
            ("node/test_clip_splitbounds", () => Net(P(1, 3), LayerSpec.ReLU6("relu6")), "clips to [-5, 5]"),
            ("node/test_clip_default_min", () => Net(P(3, 4, 5), LayerSpec.ReLU("relu")), "declared as ReLU, but the model has Clip node"),
            ("node/test_clip_default_max", () => Net(P(3, 4, 5), LayerSpec.ReLU6("relu6")), "clips to [-inf, 0]"),
            ("node/test_clip_default_inbounds", () => Net(P(1, 3), LayerSpec.ReLU6("relu6")), "clips to [-inf, inf]"),
            ("node/test_clip_default_int8_inbounds", () => Net(P(1, 3), LayerSpec.ReLU6("relu6")), "clips to [-inf, inf]"),
            ("node/test_clip_default_int8_max", () => Net(P(3, 4, 5), LayerSpec.ReLU6("relu6")), "'max' (max) has data type INT8"),
            ("node/test_clip_default_int8_min", () => Net(P(3, 4, 5), LayerSpec.ReLU6("relu6")), "'min' (min) has data type INT8"),
            ("pytorch-operator/test_operator_clip", () => Net(P(1, 4), LayerSpec.ReLU6("relu6")), "clips to [-0.5, 0.5]"),
            // HardSigmoid is PyTorch's (alpha 1/6, beta 1/2) only.
            ("node/test_hardsigmoid", () => Net(P(3, 4, 5), LayerSpec.HardSigmoid("hs")), "(alpha = 1/6, beta = 1/2), the model's HardSigmoid node has alpha 0.5 and beta 0.6"),
            ("node/test_hardsigmoid_example", () => Net(P(1, 3), LayerSpec.HardSigmoid("hs")), "has alpha 0.5 and beta 0.6"),
            ("node/test_hardsigmoid_default", () => Net(P(3, 4, 5), LayerSpec.HardSigmoid("hs")), "has alpha 0.2 and beta 0.5"),
            // Resize: nearest only, by whole factors, in a mode that reads floor(p / s).
            ("node/test_resize_upsample_sizes_nearest", () => Net(P(1, 2, 2), LayerSpec.Upsample("up", P(4, 4))), "sizes [1, 1, 7, 8]; CnnGen's Upsample scales by whole factors"),
            ("node/test_resize_upsample_sizes_nearest_ceil_half_pixel", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(2))), "'half_pixel' with nearest_mode 'ceil'"),
            ("node/test_resize_upsample_sizes_nearest_floor_align_corners", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(2))), "'align_corners' with nearest_mode 'floor'"),
            ("node/test_resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(2))), "'asymmetric' with nearest_mode 'round_prefer_ceil'"),
            ("node/test_resize_downsample_scales_nearest", () => Net(P(1, 2, 4), LayerSpec.Upsample("up", P(1))), "0.6, 0.6] (N, C, then the spatial dimensions); CnnGen's Upsample scales by whole factors of at least 1 (no downsampling"),
            ("node/test_resize_downsample_sizes_nearest", () => Net(P(1, 2, 4), LayerSpec.Upsample("up", P(1))), "sizes [1, 1, 1, 3]; CnnGen's Upsample scales by whole factors"),
            ("node/test_resize_downsample_sizes_nearest_tf_half_pixel_for_nn", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(1))), "sizes [1, 1, 3, 2]; CnnGen's Upsample scales by whole factors"),
            ("node/test_resize_upsample_scales_linear", () => Net(P(1, 2, 2), LayerSpec.Upsample("up", P(2))), "has mode 'linear'"),
            ("node/test_resize_upsample_scales_linear_align_corners", () => Net(P(1, 2, 2), LayerSpec.Upsample("up", P(2))), "has mode 'linear'"),
            ("node/test_resize_downsample_scales_linear", () => Net(P(1, 2, 4), LayerSpec.Upsample("up", P(1))), "has mode 'linear'"),
            ("node/test_resize_downsample_scales_linear_align_corners", () => Net(P(1, 2, 4), LayerSpec.Upsample("up", P(1))), "has mode 'linear'"),
            ("node/test_resize_downsample_sizes_linear_pytorch_half_pixel", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(1))), "has mode 'linear'"),
            ("node/test_resize_tf_crop_and_resize", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(1))), "has mode 'linear'"),
            ("node/test_resize_upsample_scales_cubic", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(2))), "has mode 'cubic'"),
            ("node/test_resize_upsample_scales_cubic_A_n0p5_exclude_outside", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(2))), "has mode 'cubic'"),
            ("node/test_resize_upsample_scales_cubic_align_corners", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(2))), "has mode 'cubic'"),
            ("node/test_resize_upsample_scales_cubic_asymmetric", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(2))), "has mode 'cubic'"),
            ("node/test_resize_upsample_sizes_cubic", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(2))), "has mode 'cubic'"),
            ("node/test_resize_downsample_scales_cubic", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(1))), "has mode 'cubic'"),
            ("node/test_resize_downsample_scales_cubic_A_n0p5_exclude_outside", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(1))), "has mode 'cubic'"),
            ("node/test_resize_downsample_scales_cubic_align_corners", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(1))), "has mode 'cubic'"),
            ("node/test_resize_downsample_sizes_cubic", () => Net(P(1, 4, 4), LayerSpec.Upsample("up", P(1))), "has mode 'cubic'"),
            // Pad: zeros only (constant mode, value 0).
            ("node/test_constant_pad", () => Net(P(3, 4, 5), LayerSpec.ZeroPad("pad", P(1, 3, 2, 4), 0)), "pads with 1.2;"),
            ("node/test_edge_pad", () => Net(P(3, 4, 5), LayerSpec.ZeroPad("pad", P(1), 0)), "pads in mode 'edge'"),
            ("node/test_reflect_pad", () => Net(P(3, 4, 5), LayerSpec.ZeroPad("pad", P(1), 0)), "pads in mode 'reflect'"),
            ("pytorch-converted/test_ConstantPad2d", () => Net(P(3, 4, 4), LayerSpec.ZeroPad("pad", P(3, 1, 4, 2), 0)), "pads with 2;"),
            ("pytorch-converted/test_ReflectionPad2d", () => Net(P(3, 8, 8), LayerSpec.ZeroPad("pad", P(3, 1, 4, 2), 0)), "pads in mode 'reflect'"),
            ("pytorch-converted/test_ReplicationPad2d", () => Net(P(3, 4, 4), LayerSpec.ZeroPad("pad", P(3, 1, 4, 2), 0)), "pads in mode 'edge'"),
            ("pytorch-operator/test_operator_pad", () => Net(P(1, 2, 4), LayerSpec.ZeroPad("pad", P(0, 2, 1, 3), 0)), "pads in mode 'reflect'"),
            // Dropout: inference only, without its mask output.
            ("node/test_dropout_default_mask", () => Net(P(3, 4, 5), LayerSpec.Dropout("drop", 0.5f)), "the model has 2 outputs ('y', 'z')"),
            ("node/test_dropout_default_mask_ratio", () => Net(P(3, 4, 5), LayerSpec.Dropout("drop", 0.1f)), "the model has 2 outputs ('y', 'z')"),
            ("node/test_training_dropout", () => Net(P(3, 4, 5), LayerSpec.Dropout("drop", 0.75f)), "Dropout node is in training mode"),
            ("node/test_training_dropout_default", () => Net(P(3, 4, 5), LayerSpec.Dropout("drop", 0.5f)), "Dropout node is in training mode"),
            ("node/test_training_dropout_zero_ratio", () => Net(P(3, 4, 5), LayerSpec.Dropout("drop", 0f)), "Dropout node is in training mode"),
            ("node/test_training_dropout_mask", () => Net(P(3, 4, 5), LayerSpec.Dropout("drop", 0.75f)), "Dropout node is in training mode"),
            ("node/test_training_dropout_default_mask", () => Net(P(3, 4, 5), LayerSpec.Dropout("drop", 0.5f)), "Dropout node is in training mode"),
            ("node/test_training_dropout_zero_ratio_mask", () => Net(P(3, 4, 5), LayerSpec.Dropout("drop", 0f)), "Dropout node is in training mode"),
            // Adds of a constant tensor (no layer for them outside a bias after Conv or Gemm), and addmm's sum hidden in Gemm's C.
            ("pytorch-operator/test_operator_addconstant", () => Net(P(1, 3), Add()), "the model has Add node with the constant '1' []"),
            ("pytorch-operator/test_operator_addmm", () => Net(P(1, 3), LayerSpec.Flatten("flatten"), LayerSpec.Dense("fc", 4, true)), "the model goes on with Gemm node"),
            ("pytorch-operator/test_operator_params", () => Net(P(1, 2), Add(), Mul()), "the model has Add node with the constant '1' [2, 2]"),
            ("pytorch-operator/test_operator_non_float_params", () => Net(P(1, 2), Add(), Mul()), "the model has Add node with the constant '1' [2, 2]"),
        };

        [Fact]
        public void No_refused_test_also_runs_and_none_is_listed_twice()
        {
            var refused = Cases().Select(c => (string)c[0]).ToList();
            Assert.Equal(refused.Count, refused.Distinct().Count());
            Assert.Empty(refused.Intersect(ConformanceTests.Cases().Select(c => (string)c[0])));
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Is_refused_with_a_reason(string test, Func<NetworkSpec> spec, string reason, bool inputsAreData)
        {
            string dir = Path.Combine(ConformanceTests.DataRoot, test);
            OnnxModel model = OnnxModel.ReadFile(Path.Combine(dir, "model.onnx"));
            var inputs = model.Inputs.Where(i => !model.Initializers.ContainsKey(i.Name)).ToList();
            var extra = new Dictionary<string, OnnxTensor>();
            for (int i = 1; i < inputs.Count; i++) extra[inputs[i].Name] = OnnxTensor.ReadFile(Path.Combine(dir, "test_data_set_0", $"input_{i}.pb"));
            var e = Assert.Throws<InvalidDataException>(() => OnnxWeightMatcher.Match(model, spec(), inputsAreData ? null : extra, checkInput: false));
            Assert.Contains(reason, e.Message);
            // Given as weights instead, as the conformance runner passes input_1.pb, ..., the further inputs still match no declared merge.
            if (inputsAreData) Assert.Throws<InvalidDataException>(() => OnnxWeightMatcher.Match(model, spec(), extra, checkInput: false));
        }
    }
}

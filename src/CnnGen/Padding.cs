namespace CnnGen
{
    /// <summary>How a convolution or pooling layer pads its input (see SPEC: padding modes).</summary>
    public enum Padding
    {
        /// <summary>No padding: O = (I - F) / S + 1.</summary>
        Valid = 0,

        /// <summary>
        /// "Half" padding so that O = ceil(I / S): total S*ceil(I/S) - I + F - S (at least 0), the extra cell at the
        /// end, as TensorFlow SAME and ONNX SAME_UPPER.
        /// </summary>
        Same = 1,

        /// <summary>F - 1 on both sides: the filter sees the input end to end, O = (I + F - 2) / S + 1.</summary>
        Full = 2,
    }
}

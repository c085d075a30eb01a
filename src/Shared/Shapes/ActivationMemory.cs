using System.Collections.Generic;

namespace CnnGen.Shapes
{
    /// <summary>
    /// The peak activation memory of one sample, in floats: the largest total size of the tensors that must be held at
    /// once while the network runs. A tensor lives from the layer that computes it to the last layer that reads it (a
    /// residual keeps x until its sum); layers that change values one by one (activations, Dropout) and Flatten work in
    /// place when nothing else reads their input; the input counts, the weights do not.
    /// </summary>
    internal static class ActivationMemory
    {
        public static long Peak(NetworkAnalysis analysis)
        {
            if (analysis.Tensors.Count == 0) return 0;
            IReadOnlyList<LayerInfo> steps = analysis.Steps;
            var lastRead = new Dictionary<int, int>();
            for (int s = 0; s < steps.Count; s++)
                foreach (int t in steps[s].Inputs) lastRead[t] = s;
            lastRead[analysis.OutputTensor] = steps.Count; // the output is kept to the end

            var live = new Dictionary<int, long> { [0] = analysis.Tensors[0].Length };
            long current = live[0], peak = current;
            for (int s = 0; s < steps.Count; s++)
            {
                LayerInfo step = steps[s];
                int input = step.Inputs[0];
                bool inPlace = (LayerKinds.IsElementWise(step.Kind) || step.Kind == LayerKind.Flatten)
                    && step.Inputs.Count == 1 && lastRead.TryGetValue(input, out int last) && last == s && live.ContainsKey(input);
                long size = analysis.Tensors[step.Output].Length;
                if (inPlace)
                {
                    current -= live[input];
                    live.Remove(input);
                }
                live[step.Output] = size;
                current += size;
                if (current > peak) peak = current;
                foreach (int t in step.Inputs)
                {
                    if (live.TryGetValue(t, out long length) && lastRead.TryGetValue(t, out int end) && end == s)
                    {
                        current -= length;
                        live.Remove(t);
                    }
                }
            }
            return peak;
        }
    }
}

using System.Collections.Generic;
using CnnGen.Shapes;

namespace CnnGen
{
    /// <summary>
    /// The analyzer's stand-in for the runtime's <c>CnnGen.NetworkSpec</c>: the members the weight loaders (linked from
    /// src/CnnGen/Loading) read, made from the declaration the analyzer has just checked. The runtime type also carries
    /// the public API (and static abstract interfaces netstandard2.0 cannot compile).
    /// </summary>
    internal sealed class NetworkSpec
    {
        public NetworkSpec(string name, NetworkAnalysis analysis)
        {
            Name = name;
            Analysis = analysis;
            Parameters = ParameterLayout.Of(analysis);
        }

        public string Name { get; }

        public NetworkAnalysis Analysis { get; }

        public IReadOnlyList<ParameterTensor> Parameters { get; }

        public long ParameterCount => Analysis.ParameterCount;
    }
}

using Xunit;

namespace CnnGen.Tests.Forward
{
    /// <summary>
    /// Tests that change process-wide runtime settings (<see cref="CnnGenRuntime.MaxThreads"/>, the layer-split
    /// threshold) run in this collection, alone: a zero-allocation measurement must not see another test make workers.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class RuntimeSettings
    {
        public const string Name = "Process-wide runtime settings";
    }
}

// Language-feature polyfills for the netstandard2.0 build of the generator and analyzers.
#if !NET5_0_OR_GREATER
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
#endif

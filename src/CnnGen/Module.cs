// The kernels write their stackalloc'd lists (a depthwise row's taps, a pooling's cell offsets, a concatenation's
// lane masks) before they read them, so the runtime need not zero them first: a depthwise row of two outputs spent
// more on zeroing its tap lists than on its multiply-adds.
[module: System.Runtime.CompilerServices.SkipLocalsInit]

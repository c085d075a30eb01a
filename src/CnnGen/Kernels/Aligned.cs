using System;

namespace CnnGen.Kernels
{
    /// <summary>
    /// Pinned arrays with a 64-byte aligned start, so 256-bit loads never split a cache line. They live on the pinned
    /// object heap, so the pointer stays valid as long as the owner holds the array.
    /// </summary>
    internal sealed unsafe class Aligned<T> where T : unmanaged
    {
        private readonly T[] _array;

        public Aligned(int length)
        {
            Length = length;
            int pad = 64 / sizeof(T);
            _array = GC.AllocateArray<T>(length + pad, pinned: true);
            fixed (T* p = _array)
            {
                long address = (long)p;
                long aligned = (address + 63) & ~63L;
                Pointer = (T*)aligned;
            }
        }

        public int Length { get; }

        public T* Pointer { get; }

        public Span<T> Span => new(Pointer, Length);
    }

    /// <summary>
    /// A thread's own room for a kernel's intermediate data (pooling's passes, the zero-bordered input of samples a
    /// convolution runs as one map), made on the thread's first need and kept, grown when a larger one comes. One kernel
    /// uses it at a time.
    /// </summary>
    internal static unsafe class ThreadRoom
    {
        [ThreadStatic] private static Aligned<float>? t_room;

        /// <summary>At least <paramref name="floats"/> floats, 64-byte aligned, valid until the next call on this thread.</summary>
        public static float* Get(long floats)
        {
            if (t_room is null || t_room.Length < floats) t_room = new Aligned<float>((int)Math.Max(floats, 4096));
            return t_room.Pointer;
        }
    }
}

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
}

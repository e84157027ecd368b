using System.Buffers;
using System.Runtime.InteropServices;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// A window of a float array seen as bytes without copying, so a data chunk can wrap a tensor's memory directly
/// (<c>UnsafeByteOperations.UnsafeWrap</c>). Windows are addressed in elements, so tensors larger than 2 GB (whose
/// byte length does not fit an <see cref="int"/>) still work: each window stays under 2 GB.
/// </summary>
public sealed class FloatBytes(float[] array, int start, int length) : MemoryManager<byte>
{
    private GCHandle _pin;

    /// <inheritdoc/>
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(array.AsSpan(start, length));

    /// <inheritdoc/>
    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        if (!_pin.IsAllocated) _pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        var first = (byte*)_pin.AddrOfPinnedObject() + (long)start * sizeof(float);
        return new MemoryHandle(first + elementIndex, default, this);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
        if (_pin.IsAllocated) _pin.Free();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => Unpin();
}

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// A buffer of one update size (one float32 array per layout tensor) leased from an <see cref="UploadBufferPool"/>: an
/// upload is decoded into it, validated, then folded. Dispose to give it back; its contents are overwritten by the
/// next upload, so nothing of a rejected update survives.
/// </summary>
public sealed class UploadBuffer : IDisposable
{
    private readonly Action<UploadBuffer> _return;
    private bool _returned;

    internal UploadBuffer(float[][] arrays, Action<UploadBuffer> giveBack) => (Arrays, _return) = (arrays, giveBack);

    /// <summary>One array per tensor of the update layout.</summary>
    public float[][] Arrays { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_returned) return;
        _returned = true;
        _return(this);
    }
}

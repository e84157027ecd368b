using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// Reads an update's model stream (a manifest, then data chunks) into float32 arrays: the manifest is checked against
/// the round's layout and the size limit before anything is allocated or leased; each chunk is decoded
/// (float16/bfloat16 widened), hashed and checked for finite values as it arrives; size and hash (SHA-256 or
/// XXH3-128) are checked at the end.
/// </summary>
public static class UpdateDecoder
{
    /// <summary>Reads the update into the arrays <paramref name="destinations"/> provides once the manifest passed.</summary>
    /// <param name="chunks">The update's model chunks as they come off the wire.</param>
    /// <param name="checkManifest">The round's check of the manifest (throws <see cref="InvalidUpdateException"/>).</param>
    /// <param name="maxModelBytes">Largest update accepted (float32 bytes).</param>
    /// <param name="destinations">Gives the arrays to decode into (fresh ones, or a leased upload buffer).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="InvalidUpdateException">Anything malformed: the message names what.</exception>
    public static async Task<ModelManifest> ReadAsync(IAsyncEnumerable<ModelChunk> chunks, Action<ModelManifest> checkManifest,
        long maxModelBytes, Func<ManifestLayout, CancellationToken, ValueTask<float[][]>> destinations, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        TensorPayloadWriter? writer = null;
        ModelManifest? manifest = null;
        try
        {
            await foreach (var chunk in chunks.WithCancellation(ct).ConfigureAwait(false))
            {
                if (writer is null)
                {
                    if (chunk.PayloadCase != ModelChunk.PayloadOneofCase.Manifest)
                        throw new InvalidUpdateException("The model stream must start with its manifest.");
                    manifest = chunk.Manifest;
                    checkManifest(manifest);
                    var layout = ManifestLayout.Check(manifest, maxModelBytes);
                    var arrays = await destinations(layout, ct).ConfigureAwait(false);
                    writer = new TensorPayloadWriter(manifest, layout, arrays, checkFinite: true);
                }
                else
                {
                    if (chunk.PayloadCase != ModelChunk.PayloadOneofCase.Data)
                        throw new InvalidUpdateException("Only data chunks may follow the manifest.");
                    writer.Append(chunk.Data.Span);
                }
            }
            if (writer is null || manifest is null) throw new InvalidUpdateException("The update carries no model.");
            writer.Complete();
            return manifest;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidUpdateException(e.Message);
        }
        finally
        {
            writer?.Dispose();
        }
    }
}

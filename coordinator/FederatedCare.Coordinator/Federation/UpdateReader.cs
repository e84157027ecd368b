using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// Reads the model part of an UploadUpdate stream (manifest, then data chunks) into float32 arrays: the manifest is
/// checked against the round (<see cref="UpdateValidator.CheckManifest"/>) and the size limit before anything is
/// allocated or rented; each chunk is decoded (float16/bfloat16 widened), hashed and checked for finite values as it
/// arrives; size and hash (SHA-256 or XXH3-128) are checked at the end. Every failure is an InvalidArgument <see cref="RpcException"/>.
/// </summary>
internal static class UpdateReader
{
    /// <summary>Reads the update into arrays that <paramref name="destinations"/> provides once the manifest passed.</summary>
    /// <param name="requestStream">The call's stream, positioned after the header.</param>
    /// <param name="round">The round the header names.</param>
    /// <param name="maxModelBytes">Largest update accepted (float32 bytes).</param>
    /// <param name="destinations">Gives the arrays to decode into (fresh ones, or a rented upload buffer).</param>
    /// <param name="ct">The call's cancellation.</param>
    /// <returns>The manifest (its SHA-256 names the wire payload).</returns>
    public static async Task<ModelManifest> ReadAsync(IAsyncStreamReader<UpdateChunk> requestStream, OpenRound round, long maxModelBytes,
        Func<ManifestLayout, CancellationToken, ValueTask<float[][]>> destinations, CancellationToken ct)
    {
        TensorPayloadWriter? writer = null;
        ModelManifest? manifest = null;
        try
        {
            while (await requestStream.MoveNext(ct).ConfigureAwait(false))
            {
                var chunk = requestStream.Current;
                if (chunk.PayloadCase != UpdateChunk.PayloadOneofCase.Model)
                    throw UpdateValidator.Invalid("Only model chunks may follow the header.");
                if (writer is null)
                {
                    if (chunk.Model.PayloadCase != ModelChunk.PayloadOneofCase.Manifest)
                        throw UpdateValidator.Invalid("The model stream must start with its manifest.");
                    manifest = chunk.Model.Manifest;
                    UpdateValidator.CheckManifest(round, manifest);
                    var layout = ManifestLayout.Check(manifest, maxModelBytes);
                    var arrays = await destinations(layout, ct).ConfigureAwait(false);
                    writer = new TensorPayloadWriter(manifest, layout, arrays, checkFinite: true);
                }
                else
                {
                    if (chunk.Model.PayloadCase != ModelChunk.PayloadOneofCase.Data)
                        throw UpdateValidator.Invalid("Only data chunks may follow the manifest.");
                    writer.Append(chunk.Model.Data.Span);
                }
            }
            if (writer is null || manifest is null) throw UpdateValidator.Invalid("The update carries no model.");
            writer.Complete();
            return manifest;
        }
        catch (InvalidDataException e)
        {
            throw UpdateValidator.Invalid(e.Message);
        }
        finally
        {
            writer?.Dispose();
        }
    }
}

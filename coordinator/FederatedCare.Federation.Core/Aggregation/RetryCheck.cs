using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// An update sent again for a round that already took one from the node. It counts as a retry (the node lost the
/// first response) only when it is byte-identical to the accepted one: same manifest (layout, size, payload hash), same
/// num_examples and metrics, and a payload that really hashes to what its manifest says. Anything else is a different
/// update for an answered round, refused with <see cref="UploadStatus.Conflict"/>. Read in constant memory: the
/// payload is hashed as it streams, never decoded.
/// </summary>
internal static class RetryCheck
{
    /// <summary>Reads the retry's stream to the end: its manifest, with size and hash checked.</summary>
    /// <exception cref="InvalidUpdateException">Malformed, larger than <paramref name="maxModelBytes"/>, truncated or a hash mismatch.</exception>
    public static async Task<ModelManifest> ReadAsync(IAsyncEnumerable<ModelChunk> chunks, long maxModelBytes, CancellationToken ct)
    {
        ModelManifest? manifest = null;
        PayloadHasher? hash = null;
        long total = 0, received = 0;
        try
        {
            await foreach (var chunk in chunks.WithCancellation(ct).ConfigureAwait(false))
            {
                if (manifest is null)
                {
                    if (chunk.PayloadCase != ModelChunk.PayloadOneofCase.Manifest)
                        throw new InvalidUpdateException("The model stream must start with its manifest.");
                    manifest = chunk.Manifest;
                    total = ManifestLayout.Check(manifest, maxModelBytes).TotalBytes;
                    hash = new PayloadHasher(manifest);
                    continue;
                }
                if (chunk.PayloadCase != ModelChunk.PayloadOneofCase.Data)
                    throw new InvalidUpdateException("Only data chunks may follow the manifest.");
                received += chunk.Data.Length;
                if (received > total) throw new InvalidUpdateException($"The stream carries more than the {total} bytes announced.");
                hash!.Append(chunk.Data.Span);
            }
            if (manifest is null) throw new InvalidUpdateException("The update carries no model.");
            if (received != total) throw new InvalidUpdateException($"The stream ended after {received} of {total} bytes.");
            hash!.Check();
            return manifest;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidUpdateException(e.Message);
        }
        finally
        {
            hash?.Dispose();
        }
    }

    /// <summary>
    /// Duplicate when the upload is the accepted one again (or the node's update came in process, with no manifest to
    /// compare: that caller's repeat is its own idempotent retry), else Conflict with what differs.
    /// </summary>
    public static UploadOutcome Judge(AcceptedUpload? accepted, ModelManifest manifest, UpdateSender sender)
    {
        if (accepted is null) return new UploadOutcome(UploadStatus.Duplicate, Manifest: manifest);
        return Difference(accepted, manifest, sender) is { } difference
            ? new UploadOutcome(UploadStatus.Conflict, $"This round already has an update from {sender.Region}, and this one is not a retry of it: {difference}.", manifest)
            : new UploadOutcome(UploadStatus.Duplicate, Manifest: manifest);
    }

    /// <summary>Why <paramref name="manifest"/> and <paramref name="sender"/> differ from the accepted update; null when identical.</summary>
    public static string? Difference(AcceptedUpload accepted, ModelManifest manifest, UpdateSender sender)
    {
        if (!accepted.Manifest.Equals(manifest))
            return $"its payload ({Describe(manifest)}) differs from the accepted one ({Describe(accepted.Manifest)})";
        if (accepted.NumExamples != sender.NumExamples)
            return $"its num_examples ({sender.NumExamples}) differs from the accepted update's ({accepted.NumExamples})";
        if (accepted.Metrics.Count != sender.Metrics.Count
            || accepted.Metrics.Any(kv => !sender.Metrics.TryGetValue(kv.Key, out var v) || !v.Equals(kv.Value)))
            return "its local metrics differ from the accepted update's";
        return null;
    }

    private static string Describe(ModelManifest m) =>
        $"{m.TotalBytes} bytes, " + (m.Sha256.Length > 0 ? $"sha256 {Short(m.Sha256)}" : $"xxh3-128 {Short(m.Xxh3128)}");

    private static string Short(string hash) => hash.Length > 16 ? hash[..16] + "…" : hash;
}

/// <summary>What the round took from a node over the wire, to judge a later upload of the same round.</summary>
/// <param name="Manifest">The accepted update's manifest (layout, size, payload hash).</param>
/// <param name="NumExamples">Its num_examples.</param>
/// <param name="Metrics">Its local training metrics.</param>
internal sealed record AcceptedUpload(ModelManifest Manifest, long NumExamples, IReadOnlyDictionary<string, double> Metrics);

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>How the coordinator receives and aggregates fit updates (configuration section <c>Coordinator:Aggregation</c>).</summary>
public sealed class AggregationOptions
{
    /// <summary>
    /// Updates of at least this many bytes (float32, the whole update layout) are folded into a running sum as they
    /// arrive, when the strategy supports it (<see cref="IStreamingStrategy"/>) and the job keeps no per-region local
    /// models (cross-site validation, local mode). Smaller updates are kept until the round closes and aggregated in
    /// ordinal region order, which makes the result bit-identical whatever order they arrived in. Default 16 MiB
    /// (4 M parameters). Set it very high to always aggregate in region order (memory then grows with the clients).
    /// </summary>
    public long StreamingMinBytes { get; set; } = 16L << 20;

    /// <summary>
    /// Streaming rounds: how many uploads are decoded at once, each into its own buffer of one update size, before they
    /// are validated and folded. Further uploads wait (HTTP/2 flow control holds their senders back), so the
    /// coordinator's memory is the global model, the running sum and this many buffers. Default 1.
    /// </summary>
    public int UploadBuffers { get; set; } = 1;

    /// <summary>Largest model or update accepted, in float32 bytes, checked before anything is allocated. Default 8 GiB.</summary>
    public long MaxModelBytes { get; set; } = 8L << 30;
}

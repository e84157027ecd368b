namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>How the coordinator receives and aggregates fit updates (configuration section <c>Coordinator:Aggregation</c>).</summary>
public sealed class AggregationOptions
{
    /// <summary>
    /// Most bytes (float32, whole updates) a fit round of a mean strategy holds. Below it every update is kept until
    /// the round closes and aggregated in ordinal region order, so the result is bit-identical whatever order the
    /// updates arrived in. An update that would take the round past it switches the round to streaming: the updates
    /// held so far are folded into a running sum in region order, and every later one is folded as it arrives and
    /// dropped, so memory is the model size times a constant, not the number of clients. A round that streamed is the
    /// same mean up to float32 rounding (a few units in the last place: later updates are summed in arrival order), so
    /// two runs need not be bit-identical. 0 streams every round from its first update. Default 128 MiB. Replaces the
    /// former <c>StreamingMinBytes</c> (an update larger than the budget streams from the start, as a large one did).
    /// Rounds that keep every update whatever their size are not limited: robust strategies (median, trimmed mean,
    /// Krum) need all updates at once, and cross-site validation and local mode keep each region's model.
    /// </summary>
    public long BufferedBytesBudget { get; set; } = 128L << 20;

    /// <summary>
    /// Streaming rounds: float32 bytes of the upload buffers leased at once, one buffer of one update size per upload
    /// being decoded. An upload that finds the bound reached waits at most <see cref="UploadBufferWaitSeconds"/> and is
    /// then refused with ResourceExhausted (the agent sends it again after its backoff), so an upload held open and idle
    /// holds only its own buffer and delays the others at most that long. One buffer is always granted when none is leased, so an update larger than the bound
    /// still goes in, one at a time. With <see cref="BufferedBytesBudget"/> this bounds the memory of uploads in flight.
    /// Default 512 MiB: one buffer for a 100 M-parameter (400 MB) model, as the former <c>UploadBuffers</c> = 1 (a count
    /// of buffers, further uploads waiting for one) gave, so the coordinator's peak memory bound (4 × model + 300 MB at
    /// 64 clients, scripts/bench.sh) still holds; many buffers for small models.
    /// </summary>
    public long UploadBufferBytes { get; set; } = 1L << 29;

    /// <summary>
    /// Streaming rounds: seconds an upload waits for an upload buffer when every one the bound allows is leased, before
    /// it is refused with ResourceExhausted. Uploads of a large model then take turns instead of being refused and sent
    /// again in full, while an upload held open and idle is dropped after <c>Coordinator:Limits:UploadIdleSeconds</c>
    /// (30) and frees its buffer, so the uploads waiting behind it go on. 0: refuse at once. Default 30.
    /// </summary>
    public double UploadBufferWaitSeconds { get; set; } = 30;

    /// <summary>Largest model or update accepted, in float32 bytes, checked before anything is allocated. Default 8 GiB.</summary>
    public long MaxModelBytes { get; set; } = 8L << 30;
}

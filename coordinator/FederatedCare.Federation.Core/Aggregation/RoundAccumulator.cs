using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// The one way into a fit round's aggregate (one per round attempt): every update goes through decode → validate
/// (layout, size before allocation, finite values, hash) → measure its L2 norm (differential privacy) → check
/// client-side clipping → admit (once per node, while the round is open: <see cref="IRoundAdmission"/>) → keep or fold.
/// A rejected, duplicate or late update never touches the aggregate. A second wire upload of a node for the round is
/// read and counts as a retry only when byte-identical to the accepted one (<see cref="RetryCheck"/>), else it is a
/// <see cref="UploadStatus.Conflict"/>.
/// <para>
/// Two ways to hold a round. Buffered: accepted updates are kept and, at <see cref="Finish"/>, averaged in ordinal
/// region order, so the result is bit-identical whatever order they arrived in. Streaming: each update is folded into
/// a <see cref="RunningSum"/> on arrival and dropped, decoded into a buffer leased within
/// <see cref="AggregationOptions.UploadBufferBytes"/> (an upload finding none is refused at once, <see cref="UploadStatus.Busy"/>:
/// nothing waits for another upload's buffer), so memory is bounded by configuration, not the number of clients; the float32 sum then
/// depends on the arrival order in its last bits. A round of a mean strategy starts buffered and switches to streaming
/// for good when the bytes held and being decoded would exceed <see cref="AggregationOptions.BufferedBytesBudget"/>:
/// the updates held so far are folded in region order, later ones as they arrive (<see cref="DecodeBuffers"/>). Rounds of
/// robust strategies, rounds that keep every update (cross-site validation, local mode) and initial-model rounds are always buffered.
/// </para>
/// Thread-safe: uploads of one round are received concurrently.
/// </summary>
public sealed class RoundAccumulator : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IStrategy? _strategy;
    private readonly IMeanStrategy? _mean;
    private readonly FitContext? _round;
    private readonly PrivacySettings? _clipping;
    private readonly AggregationOptions _options;
    private readonly bool _canStream;
    private readonly DecodeBuffers _buffers;
    private readonly List<HeldUpdate> _held = [];
    private readonly Dictionary<string, AcceptedUpload> _accepted = new(StringComparer.Ordinal);
    private RunningSum? _sum;

    private RoundAccumulator(IStrategy? strategy, FitContext? round, IReadOnlyList<TensorSpec>? layout, bool keepsUpdates,
        AggregationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_strategy, _round, Layout, _options) = (strategy, round, layout, options);
        _mean = strategy as IMeanStrategy;
        _clipping = _mean?.Clipping;
        _canStream = _mean is not null && !keepsUpdates && layout is not null;
        _buffers = new DecodeBuffers(layout, _canStream, options);
    }

    /// <summary>The accumulator of a fit round (attempt) of <paramref name="strategy"/>.</summary>
    /// <param name="strategy">The job's strategy (for local mode, a plain <see cref="FedAvg"/>).</param>
    /// <param name="round">The round as configured: number, spec, available clients and the global model it starts from.</param>
    /// <param name="keepsUpdates">The job needs every update whole afterwards (cross-site validation, local mode): never streams.</param>
    /// <param name="options">Budget, upload buffers and the size limit.</param>
    public static RoundAccumulator Create(IStrategy strategy, FitContext round, bool keepsUpdates, AggregationOptions options)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(round);
        return new RoundAccumulator(strategy, round, strategy.ExpectedUpdate(round.Global), keepsUpdates, options);
    }

    /// <summary>The accumulator of round 0, whose one update is the initial model itself: any layout, kept whole, no aggregate.</summary>
    public static RoundAccumulator ForInitialModel(AggregationOptions options) => new(null, null, null, keepsUpdates: true, options);

    /// <summary>
    /// Aggregates a complete set of decoded updates in region order (buffered, whatever their size) and returns the
    /// next global model: the batch entry point for in-process callers that hold every update anyway.
    /// </summary>
    /// <exception cref="ArgumentException">An update is invalid or a region appears twice; the message says why.</exception>
    /// <exception cref="AggregationException">The strategy cannot aggregate them (e.g. too few for Krum).</exception>
    public static ModelParameters Aggregate(IStrategy strategy, FitContext round, IEnumerable<ClientUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        using var accumulator = Create(strategy, round, keepsUpdates: false, new AggregationOptions { BufferedBytesBudget = long.MaxValue });
        var ledger = new RoundLedger();
        foreach (var update in updates)
        {
            var outcome = accumulator.Receive(ledger, update.Region, update);
            if (outcome.Status != UploadStatus.Accepted)
                throw new ArgumentException($"The update of region '{update.Region}' was not accepted ({outcome.Status}): {outcome.Reason}", nameof(updates));
        }
        ledger.Close();
        return accumulator.Finish(round.Global);
    }

    /// <summary>The tensors every update must carry, in order; null for the initial-model round (any layout).</summary>
    public IReadOnlyList<TensorSpec>? Layout { get; }

    /// <summary>Whether the round folds updates on arrival (it switched past the budget, or started so).</summary>
    public bool IsStreaming => _buffers.IsStreaming;

    /// <summary>Float32 bytes the round holds for updates now, kept or being decoded (<see cref="DecodeBuffers.BytesHeld"/>).</summary>
    public long BytesHeld => _buffers.BytesHeld;

    /// <summary>
    /// Receives one update from the wire: its model chunks as they come (a manifest, then data), read to the end.
    /// </summary>
    /// <param name="round">The round's record of answers; admits the update once, while open.</param>
    /// <param name="sender">Node, region, num_examples and metrics from the update's header (checked by the caller).</param>
    /// <param name="chunks">The model chunks; enumerating may throw <see cref="InvalidUpdateException"/> for a protocol error.</param>
    /// <param name="ct">The call's cancellation.</param>
    /// <returns>Accepted, duplicate (an identical retry, read and dropped), conflict (a different update for an answered
    /// round), closed, busy (no upload buffer free: refused at once), or invalid with the reason; the manifest when one was read.</returns>
    public async Task<UploadOutcome> ReceiveAsync(IRoundAdmission round, UpdateSender sender, IAsyncEnumerable<ModelChunk> chunks,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(chunks);
        DecodeLease? lease = null;
        try
        {
            if (round.HasUpdateFrom(sender.NodeId))
                return Retry(sender, await RetryCheck.ReadAsync(chunks, _options.MaxModelBytes, ct).ConfigureAwait(false));
            var manifest = await UpdateDecoder.ReadAsync(chunks, CheckManifest, _options.MaxModelBytes, async (layout, _) =>
            {
                lease = await _buffers.LeaseAsync(layout.TotalElements * sizeof(float), layout.Allocate, ct).ConfigureAwait(false);
                return lease.Values;
            }, ct).ConfigureAwait(false);
            var whole = new ModelParameters(manifest.Tensors.Select((t, i) => new NamedTensor(t.Name, t.Shape.ToArray(), lease!.Values[i])).ToList());
            var outcome = Admit(round, sender, lease!, whole, new AcceptedUpload(manifest, sender.NumExamples, sender.Metrics));
            // Another upload of the node was admitted while this one was read: the same rule as a later retry.
            return outcome.Status == UploadStatus.Duplicate ? Retry(sender, manifest) : outcome with { Manifest = manifest };
        }
        catch (InvalidUpdateException e)
        {
            return UploadOutcome.Invalid(e.Message);
        }
        catch (UploadBuffersExhaustedException e)
        {
            return new UploadOutcome(UploadStatus.Busy, e.Message);
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>
    /// Receives one decoded update from an in-process caller (the simulator): checked against the layout and for finite
    /// values like a wire update. Streaming rounds fold the caller's arrays and keep no reference to them;
    /// <see cref="UploadOutcome.KeepsCallerArrays"/> says whether this round kept them.
    /// </summary>
    /// <param name="round">The round's record of answers.</param>
    /// <param name="nodeId">The sender; one update per node counts.</param>
    /// <param name="update">The update: region, num_examples, delta (and SCAFFOLD's control delta), metrics.</param>
    public UploadOutcome Receive(IRoundAdmission round, string nodeId, ClientUpdate update)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(update);
        if (round.HasUpdateFrom(nodeId)) return new UploadOutcome(UploadStatus.Duplicate);
        DecodeLease? lease = null;
        try
        {
            var values = UpdateChecks.Decoded(Layout, update);
            lease = _buffers.Lease(values.Sum(v => (long)v.Length) * sizeof(float), () => values, pooled: false);
            var whole = new ModelParameters([.. update.Delta.Tensors,
                .. update.ControlDelta?.Tensors.Select(t => t with { Name = UpdateLayout.ControlDeltaPrefix + t.Name }) ?? []]);
            var outcome = Admit(round, new UpdateSender(nodeId, update.Region, update.NumExamples, update.Metrics), lease, whole);
            return outcome with { KeepsCallerArrays = lease.Kept };
        }
        catch (InvalidUpdateException e)
        {
            return UploadOutcome.Invalid(e.Message);
        }
        finally
        {
            lease?.Dispose();
        }
    }

    /// <summary>
    /// The next global model from the accepted updates; call after the round closed (nothing is admitted any more).
    /// A mean strategy steps on the weighted mean (<see cref="IMeanStrategy.Step"/>), a robust one aggregates the updates
    /// in region order (<see cref="IRobustStrategy.Aggregate"/>). Must not modify <paramref name="global"/>.
    /// </summary>
    /// <exception cref="AggregationException">The strategy cannot aggregate these updates (e.g. too few for Krum).</exception>
    /// <exception cref="InvalidOperationException">No update was accepted, or this is the initial-model round.</exception>
    public ModelParameters Finish(ModelParameters global)
    {
        ArgumentNullException.ThrowIfNull(global);
        lock (_gate)
        {
            if (_strategy is null || _round is null) throw new InvalidOperationException("The initial-model round has no aggregate.");
            if (_sum is null && _held.Count == 0) throw new InvalidOperationException("No update was accepted.");
            var ordered = _held.OrderBy(h => h.Update.Region, StringComparer.Ordinal).ToList();
            if (_strategy is IRobustStrategy robust) return robust.Aggregate(_round, global, ordered.Select(h => h.Update).ToList());
            var mean = _mean ?? throw new InvalidOperationException($"Strategy '{_strategy.Name}' is neither a mean nor a robust strategy.");
            return mean.Step(_round, global, _sum is not null ? _sum.TakeMean() : BufferedMean(ordered));
        }
    }

    /// <summary>Drops the upload buffers; buffers still leased are dropped when given back.</summary>
    public void Dispose() => _buffers.Dispose();

    private void CheckManifest(ModelManifest manifest)
    {
        if (Layout is not null) UpdateChecks.Manifest(_round!.Round, Layout, manifest);
    }

    private UploadOutcome Retry(UpdateSender sender, ModelManifest manifest)
    {
        AcceptedUpload? accepted;
        lock (_gate) _accepted.TryGetValue(sender.NodeId, out accepted);
        return RetryCheck.Judge(accepted, manifest, sender);
    }

    private UploadOutcome Admit(IRoundAdmission round, UpdateSender sender, DecodeLease lease, ModelParameters whole, AcceptedUpload? wire = null)
    {
        double? norm = null;
        double scale = 1;
        if (_clipping is { } clipping)
        {
            norm = UpdateNorm.L2(lease.Values);
            UpdateChecks.ClippedNorm(clipping, sender.Region, norm.Value);
            scale = clipping.ClipFactor(norm.Value);
        }
        var (delta, control) = UpdateLayout.Split(whole);
        var update = new ClientUpdate(sender.Region, sender.NumExamples, delta, sender.Metrics, control, norm);
        // The round's record keeps the values only where the job needs them afterwards; else the accumulator owns them.
        var record = _canStream ? update with { Delta = ClientUpdate.Folded, ControlDelta = null } : update;
        var result = round.Submit(sender.NodeId, record, () => Take(sender.NodeId, update, lease, scale, wire));
        return new UploadOutcome(result switch
        {
            SubmitResult.Accepted => UploadStatus.Accepted,
            SubmitResult.Duplicate => UploadStatus.Duplicate,
            SubmitResult.Refused => UploadStatus.Refused,
            _ => UploadStatus.Closed,
        });
    }

    // Runs once per accepted update, under the round's lock (so a retry that finds the node answered finds this too).
    private void Take(string nodeId, ClientUpdate update, DecodeLease lease, double scale, AcceptedUpload? wire)
    {
        lock (_gate)
        {
            if (wire is not null) _accepted[nodeId] = wire;
            if (lease.Keep && !IsStreaming)
            {
                _held.Add(new HeldUpdate(update, lease.Values, scale));
                lease.Kept = true;
                return;
            }
            if (_sum is null)
            {
                // The switch: what was held so far goes into the sum in region order, then is dropped.
                var round = _round!;
                _sum = new RunningSum((t, n) => _mean!.Weight(round, t, n), Layout!);
                foreach (var held in _held.OrderBy(h => h.Update.Region, StringComparer.Ordinal))
                    _sum.Fold(held.Values, held.Update.NumExamples, held.Scale);
                _held.Clear();
            }
            _sum.Fold(lease.Values, update.NumExamples, scale);
        }
    }

    // Ūᵗ = Σᵢ (wᵢᵗ·sᵢ / Wᵗ)·Uᵢᵗ in region order.
    private RoundMean BufferedMean(IReadOnlyList<HeldUpdate> ordered)
    {
        var round = _round!;
        var mean = new float[Layout!.Count][];
        for (int t = 0; t < mean.Length; t++)
        {
            var weights = ordered.Select(h => _mean!.Weight(round, t, h.Update.NumExamples)).ToList();
            double total = weights.Sum();
            mean[t] = DeltaMath.Combine(ordered.Select(h => h.Values[t]).ToList(),
                ordered.Select((h, i) => (float)(weights[i] * h.Scale / total)).ToList());
        }
        return new RoundMean(mean, ordered.Count, ordered.Sum(h => h.Update.NumExamples));
    }

    private sealed record HeldUpdate(ClientUpdate Update, float[][] Values, double Scale);
}

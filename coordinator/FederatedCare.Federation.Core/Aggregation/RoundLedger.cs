using FederatedCare.Federation.Core.Strategies;

namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// A plain <see cref="IRoundAdmission"/> for in-process callers (tests, batch aggregation): one update per node until
/// <see cref="Close"/>. Thread-safe.
/// </summary>
public sealed class RoundLedger : IRoundAdmission
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ClientUpdate> _updates = new(StringComparer.Ordinal);
    private bool _closed;

    /// <inheritdoc/>
    public bool HasUpdateFrom(string nodeId)
    {
        lock (_gate) return _updates.ContainsKey(nodeId);
    }

    /// <inheritdoc/>
    public SubmitResult Submit(string nodeId, ClientUpdate update, Action? fold = null)
    {
        lock (_gate)
        {
            if (_closed) return SubmitResult.Closed;
            if (_updates.ContainsKey(nodeId)) return SubmitResult.Duplicate;
            fold?.Invoke();
            _updates[nodeId] = update;
            return SubmitResult.Accepted;
        }
    }

    /// <summary>Stops admitting; returns the admitted records by node id.</summary>
    public IReadOnlyDictionary<string, ClientUpdate> Close()
    {
        lock (_gate)
        {
            _closed = true;
            return new Dictionary<string, ClientUpdate>(_updates, StringComparer.Ordinal);
        }
    }
}

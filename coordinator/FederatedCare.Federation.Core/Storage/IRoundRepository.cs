using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// Rounds of each job, keyed by (job, round). A round row names its global model by SHA-256; the model itself is
/// saved first with <see cref="IModelStore.SaveAsync"/> under <see cref="ModelNames.Round"/>, so a row never points
/// at a model that is not stored.
/// </summary>
public interface IRoundRepository
{
    /// <summary>
    /// Inserts or replaces the round row and, when <c>round.Privacy</c> is set, its privacy spend, in one transaction
    /// (a stored round always has its privacy row, so a resumed job's accountant counts it). Metrics are not stored here.
    /// </summary>
    Task SaveAsync(string jobId, RoundSummary round, CancellationToken ct = default);

    /// <summary>Marks a round as complete (its summary was published) at the given time, after the given duration.</summary>
    Task CompleteAsync(string jobId, int round, DateTimeOffset completedAt, double durationSeconds, CancellationToken ct = default);

    /// <summary>
    /// One round without its metrics (<paramref name="round"/> null or negative, as the Research API's -1: the latest
    /// stored), or null when there is none.
    /// </summary>
    Task<RoundSummary?> GetAsync(string jobId, int? round, CancellationToken ct = default);

    /// <summary>The rounds of a job in round order, each with its federated metrics; completed_at is unset until complete.</summary>
    Task<IReadOnlyList<RoundSummary>> ListAsync(string jobId, CancellationToken ct = default);
}

using System.Collections.Concurrent;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// The audit log's door for refused calls, in front of the store's audit repository: each entry's job id and detail
/// are cut to bounds (<see cref="CallerLimitOptions.AuditDetailChars"/>) with control characters escaped, and each
/// caller (its audit actor: node region, certificate identity or operator address) has a token bucket of
/// <see cref="CallerLimitOptions.RefusalAuditBurst"/> entries refilled at <see cref="CallerLimitOptions.RefusalAuditPerMinute"/>.
/// Refusals beyond it are counted, not written; the next entry the bucket allows is preceded by one
/// <c>audit.suppressed</c> entry "N further refusals from ACTOR suppressed". So a hostile caller cannot fill the disk
/// with refusals (issue 14: twenty refused uploads with a 1 MB job id once wrote 42 MiB), and the log still says that
/// it tried. The same bucket gates the refusal's log line: callers log it only when <see cref="AppendAsync"/> wrote the
/// entry, and the suppressed count is logged with the <c>audit.suppressed</c> entry, so the log cannot be flooded
/// either. Accepted calls are audited in full by their services: they are bounded by the wire limits.
/// </summary>
internal sealed class RefusalAudit(ICoordinatorStore store, TimeProvider time, IOptions<CoordinatorOptions> options, ILogger<RefusalAudit> logger)
{
    /// <summary>Callers tracked at once; beyond it, buckets that are full again are forgotten (they would allow a burst anyway).</summary>
    private const int TrackedCallers = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Audits one refusal of <paramref name="actor"/>, unless its bucket is empty (then it is only counted).</summary>
    /// <returns>True when the entry was written (and the caller may log the refusal).</returns>
    public async Task<bool> AppendAsync(string actor, string action, string? jobId, int? round, string detail, CancellationToken ct = default)
    {
        var limits = options.Value.Limits;
        var now = time.GetUtcNow();
        actor = LogText.Safe(actor, Protos.V1.WireLimits.ModelLabelChars);
        if (_buckets.Count >= TrackedCallers) ForgetFullBuckets(now, limits);
        var bucket = _buckets.GetOrAdd(actor, _ => new Bucket(limits.RefusalAuditBurst, now));
        long suppressed;
        lock (bucket)
        {
            bucket.Refill(now, limits);
            if (bucket.Tokens < 1)
            {
                bucket.Suppressed++;
                return false;
            }
            bucket.Tokens--;
            suppressed = bucket.Suppressed;
            bucket.Suppressed = 0;
        }
        if (suppressed > 0)
        {
            FederationLog.RefusalsSuppressed(logger, suppressed, actor, limits.RefusalAuditBurst, limits.RefusalAuditPerMinute);
            await store.Audit.AppendAsync(new AuditEntry(now, actor, "audit.suppressed", null, null,
                $"{suppressed} further refusals from {actor} suppressed (more than {limits.RefusalAuditBurst} at once, " +
                $"{limits.RefusalAuditPerMinute} a minute after)"), ct).ConfigureAwait(false);
        }
        await store.Audit.AppendAsync(new AuditEntry(now, actor, action,
            jobId is null ? null : LogText.Safe(jobId, Protos.V1.WireLimits.JobIdChars), round,
            LogText.Safe(detail, limits.AuditDetailChars)), ct).ConfigureAwait(false);
        return true;
    }

    private void ForgetFullBuckets(DateTimeOffset now, CallerLimitOptions limits)
    {
        foreach (var (actor, bucket) in _buckets)
            lock (bucket)
            {
                bucket.Refill(now, limits);
                if (bucket.Suppressed == 0 && bucket.Tokens >= limits.RefusalAuditBurst) _buckets.TryRemove(actor, out _);
            }
    }

    private sealed class Bucket(double tokens, DateTimeOffset at)
    {
        public double Tokens = tokens;
        public long Suppressed;
        private DateTimeOffset _at = at;

        public void Refill(DateTimeOffset now, CallerLimitOptions limits)
        {
            var elapsed = now - _at;
            if (elapsed <= TimeSpan.Zero) return;
            Tokens = Math.Min(limits.RefusalAuditBurst, Tokens + elapsed.TotalMinutes * limits.RefusalAuditPerMinute);
            _at = now;
        }
    }
}

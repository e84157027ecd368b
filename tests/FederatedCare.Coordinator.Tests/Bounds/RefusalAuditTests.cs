using FederatedCare.Coordinator.Federation;
using FederatedCare.Federation.Core.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests.Bounds;

/// <summary>The audit of refusals: a burst per caller, then a refill rate, a summary of what was left out, details cut.</summary>
public class RefusalAuditTests
{
    [Fact]
    public async Task Refusals_beyond_the_burst_are_counted_and_summarised_and_each_caller_has_its_own_bucket()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new InMemoryCoordinatorStore();
        var audit = new RefusalAudit(store, time, Microsoft.Extensions.Options.Options.Create(new CoordinatorOptions
        {
            Limits = { RefusalAuditBurst = 3, RefusalAuditPerMinute = 2, AuditDetailChars = 80 },
        }), Microsoft.Extensions.Logging.Abstractions.NullLogger<RefusalAudit>.Instance);

        for (int i = 0; i < 10; i++) await audit.AppendAsync("Halland", "update.rejected", "job", 1, $"refusal {i}");
        await audit.AppendAsync("Örebro", "update.rejected", "job", 1, "its own bucket");
        time.Advance(TimeSpan.FromSeconds(30)); // one token back
        await audit.AppendAsync("Halland", "update.rejected", new string('j', 5000), 1, "x\r\ny" + new string('d', 500));

        var entries = await store.Audit.ListAsync();
        Assert.Equal(
            ["refusal 0", "refusal 1", "refusal 2", "its own bucket",
             "7 further refusals from Halland suppressed (more than 3 at once, 2 a minute after)"],
            entries.Take(5).Select(e => e.Detail));
        var last = entries[^1];
        Assert.Equal(6, entries.Count);
        Assert.StartsWith(@"x\u000D\u000Ay", last.Detail, StringComparison.Ordinal);
        Assert.EndsWith("(424 more characters)", last.Detail, StringComparison.Ordinal);
        Assert.StartsWith(new string('j', 64) + "…", last.JobId, StringComparison.Ordinal);
    }
}

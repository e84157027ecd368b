using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests;

public class OpenRoundTests
{
    private static readonly AvailableClient A = new("node-a", "Cleveland");
    private static readonly AvailableClient B = new("node-b", "Switzerland");

    private static ClientUpdate Update(string region) => new(region, 10, TestModels.LogReg([0f, 0f], 0f), new Dictionary<string, double>());

    [Fact]
    public async Task The_deadline_closes_a_round_that_misses_a_client()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var round = new OpenRound("job", 1, RoundPhase.Fit, "sha", null, [A, B], time.GetUtcNow().AddSeconds(60));
        Assert.Equal(SubmitResult.Accepted, round.Submit(A.NodeId, Update(A.Region)));
        var waiting = round.WaitAsync(time, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(59)); // fires, synchronously, every timer due by then: the deadline's is not
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        var (updates, _, _) = round.Close();
        Assert.Single(updates);
        Assert.Equal(SubmitResult.Closed, round.Submit(B.NodeId, Update(B.Region))); // late: stale
    }

    [Fact]
    public async Task A_round_ends_early_when_every_client_answered_and_counts_duplicates_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var round = new OpenRound("job", 1, RoundPhase.Fit, "sha", null, [A, B], time.GetUtcNow().AddSeconds(60));
        var waiting = round.WaitAsync(time, CancellationToken.None);
        round.Submit(A.NodeId, Update(A.Region));
        Assert.Equal(SubmitResult.Duplicate, round.Submit(A.NodeId, Update(A.Region)));
        Assert.False(waiting.IsCompleted);
        round.Submit(B.NodeId, Update(B.Region));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, round.Close().Updates.Count);
    }

    [Fact]
    public void An_update_from_a_node_counted_as_refusing_the_round_is_refused_and_not_folded()
    {
        // A revoked certificate's eviction counts the node as refusing while its upload may still be streaming.
        var round = new OpenRound("job", 1, RoundPhase.Fit, "sha", null, [A, B], DateTimeOffset.UnixEpoch.AddSeconds(60));
        Assert.Equal(SubmitResult.Accepted, round.SubmitRefusal(A.NodeId, "", "its certificate was revoked"));
        bool folded = false;

        Assert.Equal(SubmitResult.Refused, round.Submit(A.NodeId, Update(A.Region), () => folded = true));

        Assert.False(folded);
        Assert.Empty(round.Close().Updates);
    }
}

using FederatedCare.Coordinator.Federation;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Uploads in flight: a bound refused at once (never queued), one open upload per node and round, a whole-upload deadline.</summary>
public class UploadSlotsTests
{
    private static UploadSlots Slots(FakeTimeProvider time, int max = 64, double deadlineSeconds = 600) =>
        new(Microsoft.Extensions.Options.Options.Create(new CoordinatorOptions
        {
            Limits = new CallerLimitOptions { MaxConcurrentUploads = max, UploadDeadlineSeconds = deadlineSeconds },
        }), time);

    // An upload that reads until its token ends.
    private static Task<int> Reading(UploadTicket ticket) => ticket.RunAsync(async token =>
    {
        await Task.Delay(Timeout.Infinite, token);
        return 0;
    });

    [Fact]
    public async Task Beyond_the_limit_an_upload_is_refused_at_once_and_the_refusal_holds_no_slot()
    {
        var slots = Slots(new FakeTimeProvider(), max: 2);
        using var a = await slots.EnterAsync("a", "job", 1, CancellationToken.None);
        var b = await slots.EnterAsync("b", "job", 1, CancellationToken.None);
        var full = await Assert.ThrowsAsync<RpcException>(() => slots.EnterAsync("c", "job", 1, CancellationToken.None));
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);
        Assert.Contains("MaxConcurrentUploads", full.Status.Detail);
        b.Dispose();
        b.Dispose(); // idempotent
        using var c = await slots.EnterAsync("c", "job", 1, CancellationToken.None); // the refusal took no slot, and B's is free again
        await Assert.ThrowsAsync<RpcException>(() => slots.EnterAsync("d", "job", 1, CancellationToken.None));
        Assert.Equal(2, slots.Open);
    }

    [Fact]
    public async Task A_second_upload_of_a_node_for_the_same_round_replaces_the_first_which_ends_aborted()
    {
        var slots = Slots(new FakeTimeProvider(), max: 1);
        var first = await slots.EnterAsync("a", "job", 3, CancellationToken.None);
        var reading = Reading(first);
        // At the limit, yet the same node and round: the first hands over its slot, and the second goes on once it ended.
        var second = slots.EnterAsync("a", "job", 3, CancellationToken.None);
        var aborted = await Assert.ThrowsAsync<RpcException>(() => reading);
        Assert.Equal(StatusCode.Aborted, aborted.StatusCode);
        Assert.Contains("replaced", aborted.Status.Detail);
        Assert.False(second.IsCompleted); // waits until the first is disposed (its buffer given back)
        first.Dispose();
        using var replacing = await second;
        Assert.Equal(1, slots.Open);
        Assert.False(replacing.Token.IsCancellationRequested);
        // Another round of the same node is another upload: the limit applies.
        await Assert.ThrowsAsync<RpcException>(() => slots.EnterAsync("a", "job", 4, CancellationToken.None));
    }

    [Fact]
    public async Task An_upload_still_open_at_its_deadline_ends_with_deadline_exceeded()
    {
        var time = new FakeTimeProvider();
        var slots = Slots(time, deadlineSeconds: 60);
        using var ticket = await slots.EnterAsync("a", "job", 1, CancellationToken.None);
        var reading = Reading(ticket);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(reading.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await Assert.ThrowsAsync<RpcException>(() => reading);
        Assert.Equal(StatusCode.DeadlineExceeded, expired.StatusCode);
        Assert.Contains("UploadDeadlineSeconds", expired.Status.Detail);
    }
}

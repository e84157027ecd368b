using FederatedCare.Coordinator.Federation;
using Grpc.Core;

namespace FederatedCare.Coordinator.Tests;

/// <summary>A bound on uploads in flight, refused at once (never queued).</summary>
public class UploadSlotsTests
{
    [Fact]
    public void Beyond_the_limit_an_upload_is_refused_at_once_and_the_refusal_holds_no_slot()
    {
        var slots = new UploadSlots(Microsoft.Extensions.Options.Options.Create(
            new CoordinatorOptions { Limits = new CallerLimitOptions { MaxConcurrentUploads = 2 } }));
        using var a = slots.Enter();
        var b = slots.Enter();
        var full = Assert.Throws<RpcException>(() => slots.Enter());
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);
        Assert.Contains("MaxConcurrentUploads", full.Status.Detail);
        b.Dispose();
        b.Dispose(); // idempotent
        using var c = slots.Enter(); // the refusal took no slot, and B's is free again
        Assert.Throws<RpcException>(() => slots.Enter());
    }
}

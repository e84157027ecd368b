using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// Uploads in flight: at most <see cref="CallerLimitOptions.MaxConcurrentUploads"/>, one more refused at once with
/// ResourceExhausted — never queued, since a queued upload still holds its HTTP/2 stream window of unread data — and the
/// agent sends it again after its backoff. A node has at most one open upload per job and round: a second one
/// replaces the first, which ends with Aborted and gives back its slot and buffer before the second goes on. Replacing
/// rather than refusing, because an agent's retry right after a cut races the coordinator's noticing the cut; a
/// refusal there failed the retry. Each upload gets its whole-upload deadline here (<see cref="UploadTicket"/>).
/// </summary>
internal sealed class UploadSlots(IOptions<CoordinatorOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string NodeId, string JobId, int Round), UploadTicket> _open = [];

    /// <summary>Uploads in flight now.</summary>
    public int Open
    {
        get { lock (_gate) return _open.Count; }
    }

    /// <summary>
    /// Takes a slot for a node's upload; dispose the ticket when the upload ends. An open upload of the same node,
    /// job and round is replaced: this returns once it ended.
    /// </summary>
    /// <param name="nodeId">The uploading node.</param>
    /// <param name="jobId">The job of the update's header (bounded by the caller).</param>
    /// <param name="round">The round of the update's header.</param>
    /// <param name="call">The call's cancellation; the ticket's token ends with it too.</param>
    /// <exception cref="RpcException">ResourceExhausted: the coordinator is receiving its maximum of uploads.</exception>
    public async Task<UploadTicket> EnterAsync(string nodeId, string jobId, int round, CancellationToken call)
    {
        var limits = options.Value.Limits;
        var key = (nodeId, jobId, round);
        UploadTicket? older;
        bool full;
        var ticket = new UploadTicket(this, key, time, TimeSpan.FromSeconds(limits.UploadDeadlineSeconds), call);
        lock (_gate)
        {
            // The replaced upload hands its slot over: the count does not change.
            full = !_open.TryGetValue(key, out older) && _open.Count >= limits.MaxConcurrentUploads;
            if (!full) _open[key] = ticket;
        }
        if (full)
        {
            ticket.Dispose();
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"The coordinator is receiving its maximum of {limits.MaxConcurrentUploads} uploads " +
                "(Coordinator:Limits:MaxConcurrentUploads); send it again shortly."));
        }
        if (older is null) return ticket;
        older.Replace();
        try
        {
            // Its buffer is given back when it ends, promptly (its reads are cancelled); only then may this one lease.
            await older.Ended.WaitAsync(call).ConfigureAwait(false);
            return ticket;
        }
        catch
        {
            ticket.Dispose();
            throw;
        }
    }

    // The ticket's upload ended: it leaves unless a newer upload of its node and round took its place.
    internal void Leave(UploadTicket ticket)
    {
        lock (_gate)
            if (_open.TryGetValue(ticket.Key, out var current) && ReferenceEquals(current, ticket)) _open.Remove(ticket.Key);
    }
}

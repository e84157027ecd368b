using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Opens a job's rounds and hands their tasks to the clients: waits until enough clients are connected, publishes the
/// round on the <see cref="RoundBoard"/> (where answers find it), sends each expected client its tasks through its
/// <see cref="IClientProxy"/>, and collects answers until all arrived or the deadline passed on the job's clock.
/// </summary>
public sealed class RoundDispatcher(JobContext job, IClientManager clients, RoundBoard board, JobStatusReporter status, ILogger logger)
{
    private string _waitingMessage = "";

    /// <summary>The participating clients connected with the job's dataset, sorted by region.</summary>
    public IReadOnlyList<AvailableClient> Connected() => clients.Connected(job.Regions, job.Spec.Dataset);

    /// <summary>
    /// Waits until at least <paramref name="needed"/> participating clients with the job's dataset are connected;
    /// returns them sorted by region. The status names the regions connected without the dataset, so the operator
    /// sees at once why the job waits. The wait lasts at most <see cref="JobContext.ClientWait"/> on the job's clock.
    /// </summary>
    /// <exception cref="JobFailedException">Still too few clients after <see cref="JobContext.ClientWait"/>; the
    /// message names what the job waited for and every connected region with its datasets.</exception>
    public async Task<IReadOnlyList<AvailableClient>> WaitForClientsAsync(int needed, CancellationToken ct)
    {
        var giveUpAt = job.Time.GetUtcNow() + job.ClientWait;
        while (true)
        {
            var changed = clients.Changed;
            var connected = Connected();
            if (connected.Count >= needed) return connected;
            var left = giveUpAt - job.Time.GetUtcNow();
            if (left <= TimeSpan.Zero) throw new JobFailedException(GaveUp(needed));
            var without = clients.ConnectedWithout(job.Regions, job.Spec.Dataset);
            var message = $"waiting for {needed} clients with dataset '{job.Spec.Dataset}' ({connected.Count} connected" +
                (without.Count > 0 ? $"; without it: {string.Join(", ", without)})" : ")");
            if (message != _waitingMessage)
            {
                _waitingMessage = message;
                JobLog.Waiting(logger, job.JobId, message);
                await status.SetAsync(message: message, ct: ct).ConfigureAwait(false);
            }
            try
            {
                await changed.WaitAsync(left, job.Time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The wait is over: the loop looks once more (a client may have come at the last moment), then gives up.
            }
        }
    }

    // E.g. "waited 600 s for 2 clients with dataset 'heart-diseas' (regions: any); connected: Halland (datasets: heart-disease)".
    private string GaveUp(int needed)
    {
        var regions = job.Regions.Count > 0 ? string.Join(", ", job.Regions.Order(StringComparer.Ordinal)) : "any";
        var everyone = clients.AllConnected();
        var seconds = job.ClientWait.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        return $"waited {seconds} s for {needed} client{(needed == 1 ? "" : "s")} with dataset '{job.Spec.Dataset}' (regions: {regions}); " +
            $"connected: {(everyone.Count > 0 ? string.Join(", ", everyone) : "none")} (spec.wait_for_clients_seconds)";
    }

    /// <summary>Opens the round, sends each expected client the tasks, and collects answers until all or the deadline.</summary>
    public Task<RoundAnswers> CollectAsync(OpenRound open, IReadOnlyList<NodeTask> tasks, int attempt, CancellationToken ct) =>
        CollectAsync(open, _ => tasks, attempt, ct);

    /// <summary>As <see cref="CollectAsync(OpenRound, IReadOnlyList{NodeTask}, int, CancellationToken)"/>, with each client's own tasks.</summary>
    public async Task<RoundAnswers> CollectAsync(OpenRound open, Func<AvailableClient, IReadOnlyList<NodeTask>> tasksFor, int attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(tasksFor);
        var tasks = open.Expected.ToDictionary(c => c.NodeId, tasksFor, StringComparer.Ordinal);
        foreach (var task in tasks.Values.SelectMany(t => t)) task.DeadlineUnixMs = open.Deadline.ToUnixTimeMilliseconds();
        board.Open(open);
        try
        {
            var regions = string.Join(", ", open.Expected.Select(c => c.Region));
            JobLog.RoundOpened(logger, job.JobId, open.Round, open.Phase, regions, open.Deadline);
            await status.SetAsync(message: $"round {open.Round}: {JobMessages.Describe(open.Phase)} ({regions})", ct: ct).ConfigureAwait(false);
            foreach (var client in open.Expected)
                if (clients.Find(client.NodeId) is { } proxy)
                    foreach (var task in tasks[client.NodeId]) Send(proxy, task.Clone(), open);
            await open.WaitAsync(job.Time, ct).ConfigureAwait(false);
            var answers = open.Close();
            var silent = open.Expected.Where(c => !answers.AnsweredFully(c.NodeId, open.ModelLabels)).ToList();
            if (silent.Count > 0)
                JobLog.Missing(logger, job.JobId, open.Round, open.Phase, attempt, string.Join(", ", silent.Select(c => c.Region)));
            return answers;
        }
        finally
        {
            open.Close();
            board.Remove(open);
        }
    }

    private static void Send(IClientProxy proxy, NodeTask task, OpenRound round)
    {
        switch (round.Phase)
        {
            case RoundPhase.Initialize: proxy.Initialize(task, round); break;
            case RoundPhase.Fit: proxy.Fit(task, round); break;
            case RoundPhase.Statistics: proxy.Statistics(task, round); break;
            case RoundPhase.Analysis: proxy.Analyze(task, round); break;
            default: proxy.Evaluate(task, round); break;
        }
    }
}

using System.Globalization;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Coordinator.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// Runs one job from its stored state to the end: round 0 (one node initialises the model), then fit rounds 1..R,
/// with federated evaluation after round 0, every evaluate_every rounds and after round R. Resumes after a restart:
/// rounds whose model is stored are not trained again, rounds not yet summarised are evaluated and summarised.
/// </summary>
internal sealed class JobExecution(JobStatus job, JobRunnerServices s)
{
    private readonly string _jobId = job.JobId;
    private readonly JobSpec _spec = job.Spec;
    private readonly IStrategy _strategy = s.Strategies.Create(job.Spec.Strategy);
    private readonly HashSet<string> _regions = new(job.Spec.Regions, StringComparer.Ordinal);
    private readonly TimeSpan _deadline = TimeSpan.FromSeconds(job.Spec.RoundDeadlineSeconds > 0
        ? job.Spec.RoundDeadlineSeconds : s.Options.DefaultRoundDeadlineSeconds);
    private string _waitingMessage = "";

    /// <summary>Runs the job; returns its final message. Throws <see cref="JobFailedException"/> or OperationCanceledException.</summary>
    public async Task<string> RunAsync(CancellationToken ct)
    {
        await SetStatusAsync(JobState.Running, message: "started", ct: ct).ConfigureAwait(false);
        JobRunnerLog.JobStarted(s.Logger, _jobId, _spec.Rounds, _strategy.Name, _spec.Dataset);
        int minAvailable = Math.Max(_spec.MinAvailableClients, _spec.MinFitClients);
        await WaitForClientsAsync(minAvailable, ct).ConfigureAwait(false);

        var stored = (await s.Store.ListRoundsAsync(_jobId, ct).ConfigureAwait(false)).ToDictionary(r => r.Round);
        ModelParameters global;
        string sha;
        if (await s.Store.LoadGlobalModelAsync(_jobId, -1, ct).ConfigureAwait(false) is { } latest)
        {
            (global, sha) = (latest.Model, stored[latest.Round].ModelSha256);
        }
        else
        {
            var started = s.Time.GetTimestamp();
            (global, var summary) = await InitializeAsync(ct).ConfigureAwait(false);
            sha = summary.ModelSha256;
            stored[0] = summary;
            summary.DurationSeconds = s.Time.GetElapsedTime(started).TotalSeconds;
        }
        s.Cache.Set(_jobId, sha, global);

        string lastMessage = "";
        for (int round = 0; round <= _spec.Rounds; round++)
        {
            var started = s.Time.GetTimestamp();
            if (!stored.TryGetValue(round, out var summary))
            {
                (global, summary) = await FitAsync(round, global, sha, ct).ConfigureAwait(false);
                sha = summary.ModelSha256;
                s.Cache.Set(_jobId, sha, global);
            }
            if (summary.CompletedAt is not null) continue;
            var metrics = ShouldEvaluate(round) ? await EvaluateAsync(round, summary.ModelSha256, ct).ConfigureAwait(false) : [];
            lastMessage = await CompleteRoundAsync(summary, metrics, s.Time.GetElapsedTime(started), ct).ConfigureAwait(false);
        }
        return lastMessage.Length > 0 ? lastMessage : $"{_spec.Rounds} rounds done";
    }

    /// <summary>After round 0, every evaluate_every rounds (0: none in between, as jobs.proto says) and after the last.</summary>
    internal static bool ShouldEvaluate(int round, int rounds, int evaluateEvery) =>
        round == 0 || round == rounds || (evaluateEvery > 0 && round % evaluateEvery == 0);

    private bool ShouldEvaluate(int round) => ShouldEvaluate(round, _spec.Rounds, _spec.EvaluateEvery);

    private async Task<(ModelParameters, RoundSummary)> InitializeAsync(CancellationToken ct)
    {
        var asked = new List<string>();
        for (int attempt = 0; attempt <= _spec.MaxRoundRetries; attempt++)
        {
            var available = await WaitForClientsAsync(1, ct).ConfigureAwait(false);
            // The first region by name initialises; a retry asks the next one in case the first is stuck.
            var client = available[attempt % available.Count];
            var task = NewTask(0, "");
            task.Initialize = new InitializeTask();
            var (updates, _) = await CollectAsync(0, attempt, RoundPhase.Initialize, "", null, [client], task, ct).ConfigureAwait(false);
            if (updates.Count == 1)
            {
                var update = updates.Values.Single();
                var summary = new RoundSummary
                {
                    Round = 0,
                    ModelSha256 = update.Delta.ComputeSha256(),
                    NumExamples = update.NumExamples,
                    Participants = { update.Region },
                };
                await SaveRoundAsync(summary, update.Delta, [update], ct).ConfigureAwait(false);
                return (update.Delta, summary);
            }
            asked.Add(client.Region);
        }
        throw new JobFailedException(
            $"round 0: no initial model within {Seconds(_deadline)} s after {_spec.MaxRoundRetries + 1} attempts (asked: {string.Join(", ", asked)}).");
    }

    private async Task<(ModelParameters, RoundSummary)> FitAsync(int round, ModelParameters global, string sha, CancellationToken ct)
    {
        IReadOnlyCollection<string> missing = [];
        int answered = 0, selected = 0;
        for (int attempt = 0; attempt <= _spec.MaxRoundRetries; attempt++)
        {
            var available = await WaitForClientsAsync(_spec.MinFitClients, ct).ConfigureAwait(false);
            var plan = _strategy.ConfigureFit(new FitContext(round, attempt, _spec, available));
            var task = NewTask(round, sha);
            task.Fit = new FitTask { Local = _spec.Local, Strategy = plan.Instructions };
            var (updates, _) = await CollectAsync(round, attempt, RoundPhase.Fit, sha, global, plan.Clients, task, ct).ConfigureAwait(false);
            if (updates.Count >= _spec.MinFitClients)
            {
                var accepted = updates.Values.OrderBy(u => u.Region, StringComparer.Ordinal).ToList();
                var next = _strategy.AggregateFit(global, accepted);
                var summary = new RoundSummary
                {
                    Round = round,
                    ModelSha256 = next.ComputeSha256(),
                    NumExamples = accepted.Sum(u => u.NumExamples),
                };
                summary.Participants.AddRange(accepted.Select(u => u.Region));
                await SaveRoundAsync(summary, next, accepted, ct).ConfigureAwait(false);
                return (next, summary);
            }
            (answered, selected) = (updates.Count, plan.Clients.Count);
            missing = plan.Clients.Where(c => !updates.ContainsKey(c.NodeId)).Select(c => c.Region).ToList();
        }
        throw new JobFailedException(
            $"round {round}: only {answered} of {selected} selected clients sent an update within {Seconds(_deadline)} s " +
            $"({_spec.MinFitClients} needed) after {_spec.MaxRoundRetries + 1} attempts; no update from: {string.Join(", ", missing)}.");
    }

    private async Task<IReadOnlyList<RegionMetrics>> EvaluateAsync(int round, string sha, CancellationToken ct)
    {
        var available = s.Registry.Connected(_regions);
        if (available.Count == 0) return [];
        var task = NewTask(round, sha);
        task.Evaluate = new EvaluateTask { Splits = { s.Options.EvaluationSplits } };
        var (_, reports) = await CollectAsync(round, 0, RoundPhase.Evaluate, sha, null, available, task, ct).ConfigureAwait(false);
        // ReportMetrics stored each report before acknowledging it; here they are only gathered for the summary.
        return reports.Values.SelectMany(m => m)
            .OrderBy(m => m.Region, StringComparer.Ordinal).ThenBy(m => m.Split, StringComparer.Ordinal).ToList();
    }

    /// <summary>Opens a round for the given clients, sends them the task, and collects answers until all or the deadline.</summary>
    private async Task<(IReadOnlyDictionary<string, ClientUpdate>, IReadOnlyDictionary<string, IReadOnlyList<RegionMetrics>>)> CollectAsync(
        int round, int attempt, RoundPhase phase, string sha, ModelParameters? global, IReadOnlyList<AvailableClient> clients,
        NodeTask task, CancellationToken ct)
    {
        var deadline = s.Time.GetUtcNow() + _deadline;
        task.DeadlineUnixMs = deadline.ToUnixTimeMilliseconds();
        var open = new OpenRound(_jobId, round, phase, sha, global, clients, deadline);
        s.Board.Open(open);
        try
        {
            var regions = string.Join(", ", clients.Select(c => c.Region));
            JobRunnerLog.RoundOpened(s.Logger, _jobId, round, phase, regions, deadline);
            await SetStatusAsync(message: $"round {round}: {Describe(phase)} ({regions})", ct: ct).ConfigureAwait(false);
            foreach (var client in clients) s.Registry.Find(client.NodeId)?.Send(task.Clone());
            await open.WaitAsync(s.Time, ct).ConfigureAwait(false);
            var answers = open.Close();
            int answered = phase == RoundPhase.Evaluate ? answers.Metrics.Count : answers.Updates.Count;
            if (answered < clients.Count)
            {
                var silent = clients.Where(c => !answers.Updates.ContainsKey(c.NodeId) && !answers.Metrics.ContainsKey(c.NodeId));
                JobRunnerLog.Missing(s.Logger, _jobId, round, phase, attempt, string.Join(", ", silent.Select(c => c.Region)));
            }
            return answers;
        }
        finally
        {
            open.Close();
            s.Board.Remove(open);
        }
    }

    private async Task SaveRoundAsync(RoundSummary summary, ModelParameters model, IReadOnlyList<ClientUpdate> updates, CancellationToken ct)
    {
        await s.Store.SaveRoundAsync(_jobId, summary, model, ct).ConfigureAwait(false);
        var fitMetrics = updates.Where(u => u.Metrics.Count > 0).Select(u =>
        {
            var m = new RegionMetrics { Region = u.Region, Round = summary.Round, Split = "fit", NumExamples = u.NumExamples };
            m.Loss = u.Metrics.TryGetValue("train_loss", out var loss) ? loss : 0;
            m.Accuracy = u.Metrics.TryGetValue("train_accuracy", out var acc) ? acc : 0;
            m.Extra.Add(u.Metrics.Where(kv => kv.Key is not ("train_loss" or "train_accuracy")).ToDictionary());
            return m;
        }).ToList();
        if (fitMetrics.Count > 0) await s.Store.SaveMetricsAsync(_jobId, fitMetrics, ct).ConfigureAwait(false);
        await SetStatusAsync(currentRound: summary.Round, ct: ct).ConfigureAwait(false);
        JobRunnerLog.RoundStored(s.Logger, _jobId, summary.Round, summary.ModelSha256, string.Join(", ", summary.Participants), summary.NumExamples);
    }

    private async Task<string> CompleteRoundAsync(RoundSummary summary, IReadOnlyList<RegionMetrics> metrics, TimeSpan elapsed, CancellationToken ct)
    {
        var now = s.Time.GetUtcNow();
        var duration = summary.DurationSeconds + elapsed.TotalSeconds;
        await s.Store.CompleteRoundAsync(_jobId, summary.Round, now, duration, ct).ConfigureAwait(false);
        var published = summary.Clone();
        published.CompletedAt = Timestamp.FromDateTimeOffset(now);
        published.DurationSeconds = duration;
        published.Metrics.Clear();
        published.Metrics.AddRange(await s.Store.GetMetricsAsync(_jobId, summary.Round, ct).ConfigureAwait(false));

        var message = $"round {summary.Round}/{_spec.Rounds} done";
        foreach (var mean in _strategy.AggregateEvaluate(metrics))
        {
            JobRunnerLog.Evaluated(s.Logger, _jobId, summary.Round, string.Join(", ", metrics.Select(m => m.Region).Distinct()),
                mean.Split, mean.Loss, mean.Accuracy);
            if (mean.Split == "test")
                message += string.Create(CultureInfo.InvariantCulture,
                    $"; test accuracy {mean.Accuracy:0.0000}, loss {mean.Loss:0.0000} (example-weighted, {metrics.Count(m => m.Split == "test")} regions)");
        }
        var status = await s.Store.UpdateJobAsync(_jobId, message: message, ct: ct).ConfigureAwait(false);
        if (status is not null) s.Events.Publish(status, published);
        return message;
    }

    /// <summary>Waits until enough participating clients have an open task stream; returns them sorted by region.</summary>
    private async Task<IReadOnlyList<AvailableClient>> WaitForClientsAsync(int needed, CancellationToken ct)
    {
        while (true)
        {
            var changed = s.Registry.Changed;
            var connected = s.Registry.Connected(_regions);
            if (connected.Count >= needed) return connected;
            var message = $"waiting for {needed} clients ({connected.Count} connected)";
            if (message != _waitingMessage)
            {
                _waitingMessage = message;
                JobRunnerLog.Waiting(s.Logger, _jobId, needed, connected.Count);
                await SetStatusAsync(message: message, ct: ct).ConfigureAwait(false);
            }
            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private NodeTask NewTask(int round, string sha) => new()
    {
        JobId = _jobId,
        Round = round,
        Dataset = _spec.Dataset,
        Model = _spec.Model,
        ModelSha256 = sha,
        Seed = _spec.Seed,
    };

    private async Task SetStatusAsync(JobState? state = null, int? currentRound = null, string? message = null, CancellationToken ct = default)
    {
        var status = await s.Store.UpdateJobAsync(_jobId, state, currentRound, message, ct).ConfigureAwait(false);
        // Null: the job was aborted meanwhile; the cancellation token stops this execution right after.
        if (status is null) throw new OperationCanceledException("The job is no longer active.");
        s.Events.Publish(status);
    }

    private static string Describe(RoundPhase phase) => phase switch
    {
        RoundPhase.Initialize => "initialising the model",
        RoundPhase.Fit => "training",
        _ => "evaluating",
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}

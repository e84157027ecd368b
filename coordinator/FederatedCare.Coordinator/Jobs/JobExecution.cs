using FederatedCare.Federation.Core.Jobs;
using System.Globalization;
using System.Numerics.Tensors;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Coordinator.Diagnostics;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// Runs one job from its stored state to the end: round 0 (one node initialises the model), then fit rounds 1..R,
/// with federated evaluation after round 0, every evaluate_every rounds and after round R; then, when asked for,
/// cross-site validation. In "local" mode there is one fit round (R = 1, spec.rounds unused) in which every connected
/// region trains alone from the initial model, nothing is aggregated (the global model stays the initial one), only
/// round 0 is evaluated, and cross-site validation always follows. Resumes after a restart: rounds whose model is
/// stored are not trained again, rounds not yet summarised are evaluated and summarised, and cross-site validation
/// (whose local models are stored) runs again. With <see cref="JobSpec.Privacy"/> the strategy is wrapped in
/// <see cref="DpFedAvg"/> and every fit round reports the privacy spent so far (<see cref="RoundSummary.Privacy"/>,
/// composed by a <see cref="PrivacyAccountant"/> rebuilt from the stored rounds after a restart).
/// </summary>
internal sealed class JobExecution(JobStatus job, JobRunnerServices s)
{
    private readonly string _jobId = job.JobId;
    private readonly JobSpec _spec = job.Spec;
    private readonly IStrategy _strategy = CreateStrategy(job, s);
    private readonly PrivacySettings? _privacy = PrivacySettings.From(job.Spec);
    private readonly PrivacyAccountant _accountant = new();
    private readonly bool _localMode = JobModes.IsLocal(job.Spec);
    private readonly bool _crossSite = job.Spec.CrossSiteValidation || JobModes.IsLocal(job.Spec);
    private readonly int _rounds = JobModes.IsLocal(job.Spec) ? 1 : job.Spec.Rounds;
    // The regions that may take part: spec.regions (empty: all), narrowed after the statistics phase to those that joined.
    private HashSet<string> _regions = new(job.Spec.Regions, StringComparer.Ordinal);
    private GlobalStatistics? _globalStatistics;
    private readonly TimeSpan _deadline = TimeSpan.FromSeconds(job.Spec.RoundDeadlineSeconds > 0
        ? job.Spec.RoundDeadlineSeconds : s.Options.DefaultRoundDeadlineSeconds);
    private string _waitingMessage = "";
    // "Region: reason" for each region out of the job after the statistics phase.
    private IReadOnlyList<string> _regionsOut = [];

    /// <summary>Runs the job; returns its final message. Throws <see cref="JobFailedException"/> or OperationCanceledException.</summary>
    public async Task<string> RunAsync(CancellationToken ct)
    {
        await SetStatusAsync(JobState.Running, message: "started", ct: ct).ConfigureAwait(false);
        JobRunnerLog.JobStarted(s.Logger, _jobId, _rounds, _localMode ? "local training" : _strategy.Name, _spec.Dataset);
        if (_privacy is { } privacy)
            JobRunnerLog.PrivacyOn(s.Logger, _jobId, privacy.ClippingNorm, privacy.ClientSideClipping ? PrivacySettings.ClientClipping
                : PrivacySettings.ServerClipping, privacy.NoiseMultiplier, privacy.Delta);
        int minAvailable = Math.Max(_spec.MinAvailableClients, _spec.MinFitClients);
        await WaitForClientsAsync(minAvailable, ct).ConfigureAwait(false);
        if (_spec.Schema is not null) await CollectStatisticsAsync(ct).ConfigureAwait(false);

        var stored = (await s.Store.Rounds.ListAsync(_jobId, ct).ConfigureAwait(false)).ToDictionary(r => r.Round);
        // A resumed job has spent the privacy of its stored rounds already.
        foreach (var done in stored.Values.Where(r => r.Privacy is not null).OrderBy(r => r.Round))
            _accountant.AddRound(done.Privacy.SamplingRate, _privacy!.NoiseMultiplier);
        ModelParameters global;
        string sha;
        if (await s.Store.LoadGlobalModelAsync(_jobId, null, ct).ConfigureAwait(false) is { } latest)
        {
            (global, sha) = (latest.Model, stored[latest.Round].ModelSha256);
            if (!_localMode) await StrategyCheckpoint.RestoreAsync(s.Store, _jobId, latest.Round, _strategy, ct).ConfigureAwait(false);
        }
        else
        {
            var started = s.Time.GetTimestamp();
            (global, var summary) = await InitializeAsync(ct).ConfigureAwait(false);
            sha = summary.ModelSha256;
            stored[0] = summary;
            summary.DurationSeconds = s.Time.GetElapsedTime(started).TotalSeconds;
        }
        s.Cache.Set(_jobId, (sha, global));

        string lastMessage = "";
        for (int round = 0; round <= _rounds; round++)
        {
            var started = s.Time.GetTimestamp();
            if (!stored.TryGetValue(round, out var summary))
            {
                (global, summary) = await FitAsync(round, global, sha, ct).ConfigureAwait(false);
                sha = summary.ModelSha256;
                s.Cache.Set(_jobId, (sha, global));
            }
            if (summary.CompletedAt is not null) continue;
            var metrics = ShouldEvaluate(round) ? await EvaluateAsync(round, summary.ModelSha256, ct).ConfigureAwait(false) : [];
            lastMessage = await CompleteRoundAsync(summary, metrics, s.Time.GetElapsedTime(started), ct).ConfigureAwait(false);
            await s.Chaos.PauseAsync(ChaosPoints.BetweenRounds, round, ct).ConfigureAwait(false);
        }
        if (_crossSite)
        {
            var crossSite = await CrossSiteAsync(sha, global, ct).ConfigureAwait(false);
            lastMessage = lastMessage.Length > 0 ? $"{lastMessage}; {crossSite}" : crossSite;
        }
        if (lastMessage.Length == 0) lastMessage = $"{_rounds} rounds done";
        // Regions that refused the job or stayed silent in its statistics phase stay named in the final status.
        return _regionsOut.Count > 0 ? $"{lastMessage}; out of this job: {string.Join("; ", _regionsOut)}" : lastMessage;
    }

    /// <summary>After round 0, every evaluate_every rounds (0: none in between, as jobs.proto says) and after the last.</summary>
    internal static bool ShouldEvaluate(int round, int rounds, int evaluateEvery) =>
        round == 0 || round == rounds || (evaluateEvery > 0 && round % evaluateEvery == 0);

    /// <summary>Local mode evaluates the initial model only: its round 1 leaves the global model unchanged.</summary>
    private bool ShouldEvaluate(int round) => _localMode ? round == 0 : ShouldEvaluate(round, _rounds, _spec.EvaluateEvery);

    /// <summary>
    /// The statistics phase of a job with a dataset schema (also after a restart, since it is cheap and its result is
    /// not stored): every connected participating region checks its file against the schema and reports its
    /// counts (and, for federated z-score, per-column sums and sums of squares) or refuses. Regions that refuse or
    /// stay silent are out of the job; with fewer than min_fit_clients left the job fails and its message quotes
    /// each refusal. For federated z-score the pooled statistics go with every later task.
    /// </summary>
    private async Task CollectStatisticsAsync(CancellationToken ct)
    {
        var available = s.Registry.Connected(_regions, _spec.Dataset);
        var task = NewTask(0, "");
        task.Statistics = new StatisticsTask();
        var (_, _, reports) = await CollectAsync(new OpenRound(_jobId, 0, RoundPhase.Statistics, "", null, available, Deadline()), [task], 0, ct)
            .ConfigureAwait(false);
        var joined = new Dictionary<string, LocalStatistics>(StringComparer.Ordinal);
        var refusals = new List<string>();
        foreach (var client in available)
        {
            if (!reports.TryGetValue(client.NodeId, out var report))
                refusals.Add($"{client.Region}: no answer within {Seconds(_deadline)} s");
            else if (report.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Refusal)
                refusals.Add($"{client.Region}: {report.Refusal}");
            else
                joined[client.Region] = report.Statistics;
        }
        foreach (var refusal in refusals) JobRunnerLog.RegionOut(s.Logger, _jobId, refusal);
        _regionsOut = refusals;
        int needed = Math.Max(1, _spec.MinFitClients);
        if (joined.Count < needed)
            throw new JobFailedException($"only {joined.Count} of {available.Count} regions joined ({needed} needed): " +
                string.Join("; ", refusals));
        _regions = new HashSet<string>(joined.Keys, StringComparer.Ordinal);
        if (_spec.Schema.Normalization?.Kind == NormalizationKind.ZscoreFederated)
        {
            try
            {
                _globalStatistics = StatisticsPool.Pool(joined, _spec.Schema.Normalization.SampleStd);
            }
            catch (ArgumentException e)
            {
                throw new JobFailedException($"federated statistics: {e.Message}");
            }
        }
        var message = $"{joined.Count} regions joined ({string.Join(", ", joined.Keys.Order(StringComparer.Ordinal))}, " +
            $"{joined.Values.Sum(j => j.TrainRows)} training rows)" + (refusals.Count > 0 ? $"; out: {string.Join("; ", refusals)}" : "");
        JobRunnerLog.Joined(s.Logger, _jobId, message);
        await SetStatusAsync(message: message, ct: ct).ConfigureAwait(false);
    }

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
            var (updates, _, _) = await CollectAsync(new OpenRound(_jobId, 0, RoundPhase.Initialize, "", null, [client], Deadline()), [task], attempt, ct)
                .ConfigureAwait(false);
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
            // Local mode: every connected region trains plainly (no proximal term, no control variates).
            var plan = _localMode
                ? new FitPlan(available, new StrategySpec { Name = FedAvg.StrategyName })
                : _strategy.ConfigureFit(new FitContext(round, attempt, _spec, available, global));
            var expected = _localMode ? UpdateLayout.Of(global) : _strategy.ExpectedUpdate(global);
            var task = NewTask(round, sha);
            task.Fit = new FitTask { Local = _spec.Local, Strategy = plan.Instructions };
            if (_privacy is { ClientSideClipping: true }) task.Fit.ClippingNorm = _privacy.ClippingNorm;
            if (plan.ServerControl is { } control)
            {
                // Stored before it is announced, like every model a node may download.
                task.Fit.ServerControlSha256 = control.ComputeSha256();
                await s.Store.Models.SaveAsync(_jobId, string.Create(CultureInfo.InvariantCulture, $"control-{round}"), control, ct: ct).ConfigureAwait(false);
                s.Cache.Set(_jobId, (sha, global), (task.Fit.ServerControlSha256, control));
            }
            task.Fit.UpdateEncoding = UpdateEncoding.Name(UpdateEncoding.Parse(_spec.UpdateEncoding));
            // Large updates of streaming strategies are folded as they arrive (a fresh sum per attempt).
            using var aggregation = _localMode ? null : RoundAggregation.Create(_strategy, expected, _crossSite, s.Options.Aggregation);
            var open = new OpenRound(_jobId, round, RoundPhase.Fit, sha, expected, plan.Clients, Deadline(), aggregation: aggregation,
                privacy: _localMode ? null : _privacy);
            var (updates, _, _) = await CollectAsync(open, [task], attempt, ct).ConfigureAwait(false);
            if (updates.Count >= _spec.MinFitClients)
            {
                var accepted = updates.Values.OrderBy(u => u.Region, StringComparer.Ordinal).ToList();
                var next = _localMode ? global : aggregation is not null ? aggregation.Finish(global) : Aggregate(round, global, accepted);
                GlobalModelCheck.ThrowIfNonFinite(round, next);
                if (!_localMode) await StrategyCheckpoint.SaveAsync(s.Store, _jobId, round, _strategy, ct).ConfigureAwait(false);
                await s.Chaos.PauseAsync(ChaosPoints.MidAggregation, round, ct).ConfigureAwait(false);
                if (_crossSite) await SaveLocalModelsAsync(global, accepted, ct).ConfigureAwait(false);
                var summary = new RoundSummary
                {
                    Round = round,
                    ModelSha256 = next.ComputeSha256(),
                    NumExamples = accepted.Sum(u => u.NumExamples),
                    // q = 1 whatever fraction_fit selected: the selection is seeded by the job seed, which anyone who
                    // can read the spec can recompute, so sampling amplification does not apply (README, limits).
                    Privacy = SpendPrivacy(round, samplingRate: 1, accepted.Count),
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

    /// <summary>
    /// Composes one more DP round accounted at sampling rate <paramref name="samplingRate"/>, whose mean of
    /// <paramref name="updates"/> clipped updates was noised; null for jobs without privacy.
    /// </summary>
    private RoundPrivacy? SpendPrivacy(int round, double samplingRate, int updates)
    {
        if (_privacy is null) return null;
        _accountant.AddRound(samplingRate, _privacy.NoiseMultiplier);
        var (epsilon, order) = _accountant.Spent(_privacy.Delta);
        var spent = new RoundPrivacy
        {
            Epsilon = epsilon,
            Delta = _privacy.Delta,
            RdpOrder = order,
            SamplingRate = samplingRate,
            NoiseStddev = _privacy.NoiseStdDev(updates),
        };
        JobRunnerLog.PrivacySpent(s.Logger, _jobId, round, epsilon, spent.Delta, order, samplingRate, spent.NoiseStddev, updates);
        return spent;
    }

    /// <summary>The job's strategy; with privacy, wrapped in DP-FedAvg.</summary>
    /// <exception cref="JobFailedException">Privacy with a strategy whose aggregate is not a mean (refused at StartJob already).</exception>
    private static IStrategy CreateStrategy(JobStatus job, JobRunnerServices s)
    {
        var strategy = s.Strategies.Create(job.Spec.Strategy);
        if (PrivacySettings.From(job.Spec) is not { } privacy || JobModes.IsLocal(job.Spec)) return strategy;
        return strategy is IMeanDeltaStrategy mean ? new DpFedAvg(mean, privacy, s.NoiseKey, job.JobId, job.Spec.Seed)
            : throw new JobFailedException($"spec.privacy needs a strategy whose aggregate is a mean of the updates; '{strategy.Name}' is not one.");
    }

    private ModelParameters Aggregate(int round, ModelParameters global, IReadOnlyList<ClientUpdate> accepted)
    {
        try
        {
            return _strategy.AggregateFit(global, accepted);
        }
        catch (AggregationException e)
        {
            throw new JobFailedException($"round {round}: {e.Message}");
        }
    }

    /// <summary>
    /// Stores each region's local model, the global model its update started from plus its delta, as the tensor set
    /// <c>local-&lt;region&gt;</c>: a later round replaces it, so after the last round each region's set is its final
    /// local model (from the last round it took part in) and nodes need not keep anything.
    /// </summary>
    private async Task SaveLocalModelsAsync(ModelParameters global, IReadOnlyList<ClientUpdate> accepted, CancellationToken ct)
    {
        foreach (var update in accepted)
        {
            var local = global.Clone();
            for (int t = 0; t < local.Tensors.Count; t++)
                TensorPrimitives.Add(local.Tensors[t].Values, update.Delta.Tensors[t].Values, local.Tensors[t].Values);
            await s.Store.Models.SaveAsync(_jobId, CrossSiteLabels.TensorSetPrefix + update.Region, local, ct: ct).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<RegionMetrics>> EvaluateAsync(int round, string sha, CancellationToken ct)
    {
        var available = s.Registry.Connected(_regions, _spec.Dataset);
        if (available.Count == 0) return [];
        var task = NewTask(round, sha);
        task.Evaluate = new EvaluateTask { Splits = { s.Options.EvaluationSplits } };
        var open = new OpenRound(_jobId, round, RoundPhase.Evaluate, sha, null, available, Deadline());
        var (_, reports, _) = await CollectAsync(open, [task], 0, ct).ConfigureAwait(false);
        // ReportMetrics stored each report before acknowledging it; here they are only gathered for the summary.
        return reports.Values.SelectMany(m => m)
            .OrderBy(m => m.Region, StringComparer.Ordinal).ThenBy(m => m.Split, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The cross-site matrix: every connected participating region evaluates the final global model (label
    /// "global", not in local mode) and every stored local model ("local:&lt;region&gt;") on its test rows. One round
    /// (number R) with one EvaluateTask per node and model, whose NodeTask.model_sha256 names the model; it ends when
    /// every cell arrived or at the deadline (missing cells stay absent). FederationService stores each report.
    /// </summary>
    private async Task<string> CrossSiteAsync(string globalSha, ModelParameters global, CancellationToken ct)
    {
        var models = new List<(string Label, string Sha256, ModelParameters Model)>();
        if (!_localMode) models.Add((CrossSiteLabels.Global, globalSha, global));
        foreach (var (name, sha) in await s.Store.Models.ListAsync(_jobId, CrossSiteLabels.TensorSetPrefix, ct).ConfigureAwait(false))
        {
            var model = await s.Store.Models.ReadAsync(_jobId, sha, ct).ConfigureAwait(false)
                ?? throw new JobFailedException($"cross-site validation: the local model '{name}' ({sha}) is missing from the store.");
            models.Add((CrossSiteLabels.FromTensorSet(name), sha, model));
        }
        var available = s.Registry.Connected(_regions, _spec.Dataset);
        if (models.Count == 0 || available.Count == 0)
            return $"cross-site validation skipped ({models.Count} models, {available.Count} regions connected)";

        s.Cache.Set(_jobId, models.Select(m => (m.Sha256, m.Model)));
        var tasks = models.Select(m =>
        {
            var task = NewTask(_rounds, m.Sha256);
            task.Evaluate = new EvaluateTask { ModelLabel = m.Label, Splits = { "test" } };
            return task;
        }).ToList();
        var labels = models.Select(m => m.Label).ToList();
        var open = new OpenRound(_jobId, _rounds, RoundPhase.CrossSite, "", null, available, Deadline(), labels);
        var (_, reports, _) = await CollectAsync(open, tasks, 0, ct).ConfigureAwait(false);

        var message = $"cross-site validation: {reports.Count} of {available.Count * labels.Count} cells " +
            $"({available.Count} regions x {labels.Count} models: {string.Join(", ", labels)})";
        JobRunnerLog.CrossSiteDone(s.Logger, _jobId, reports.Count, available.Count, labels.Count);
        await SetStatusAsync(message: message, ct: ct).ConfigureAwait(false);
        return message;
    }

    private DateTimeOffset Deadline() => s.Time.GetUtcNow() + _deadline;

    /// <summary>Opens the round, sends each expected client the tasks, and collects answers until all or the deadline.</summary>
    private async Task<RoundAnswers> CollectAsync(OpenRound open, IReadOnlyList<NodeTask> tasks, int attempt, CancellationToken ct)
    {
        foreach (var task in tasks) task.DeadlineUnixMs = open.Deadline.ToUnixTimeMilliseconds();
        s.Board.Open(open);
        try
        {
            var regions = string.Join(", ", open.Expected.Select(c => c.Region));
            JobRunnerLog.RoundOpened(s.Logger, _jobId, open.Round, open.Phase, regions, open.Deadline);
            await SetStatusAsync(message: $"round {open.Round}: {Describe(open.Phase)} ({regions})", ct: ct).ConfigureAwait(false);
            foreach (var client in open.Expected)
                foreach (var task in tasks)
                    s.Registry.Find(client.NodeId)?.Send(task.Clone());
            await open.WaitAsync(s.Time, ct).ConfigureAwait(false);
            var answers = open.Close();
            var silent = open.Expected.Where(c => !answers.AnsweredFully(c.NodeId, open.ModelLabels)).ToList();
            if (silent.Count > 0)
                JobRunnerLog.Missing(s.Logger, _jobId, open.Round, open.Phase, attempt, string.Join(", ", silent.Select(c => c.Region)));
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
        if (fitMetrics.Count > 0) await s.Store.Metrics.SaveAsync(_jobId, fitMetrics, ct).ConfigureAwait(false);
        await SetStatusAsync(currentRound: summary.Round, ct: ct).ConfigureAwait(false);
        JobRunnerLog.RoundStored(s.Logger, _jobId, summary.Round, summary.ModelSha256, string.Join(", ", summary.Participants), summary.NumExamples);
    }

    private async Task<string> CompleteRoundAsync(RoundSummary summary, IReadOnlyList<RegionMetrics> metrics, TimeSpan elapsed, CancellationToken ct)
    {
        var now = s.Time.GetUtcNow();
        var duration = summary.DurationSeconds + elapsed.TotalSeconds;
        await s.Store.Rounds.CompleteAsync(_jobId, summary.Round, now, duration, ct).ConfigureAwait(false);
        var published = summary.Clone();
        published.CompletedAt = Timestamp.FromDateTimeOffset(now);
        published.DurationSeconds = duration;
        published.Metrics.Clear();
        published.Metrics.AddRange(await s.Store.Metrics.ListAsync(_jobId, summary.Round, ct).ConfigureAwait(false));

        var message = $"round {summary.Round}/{_rounds} done";
        foreach (var mean in _strategy.AggregateEvaluate(metrics))
        {
            double? auc = mean.Extra.TryGetValue(MetricsAggregation.Auc, out var a) ? a : null;
            JobRunnerLog.Evaluated(s.Logger, _jobId, summary.Round, string.Join(", ", metrics.Select(m => m.Region).Distinct()),
                mean.Split, mean.Loss, mean.Accuracy, auc);
            if (mean.Split == "test") message += DescribeTest(mean, metrics.Where(m => m.Split == "test").ToList());
        }
        if (summary.Privacy is { } privacy) message += DescribePrivacy(privacy);
        var status = await s.Store.Jobs.UpdateAsync(_jobId, message: message, ct: ct).ConfigureAwait(false);
        if (status is not null) s.Events.Publish(status, published);
        return message;
    }

    /// <summary>
    /// Waits until enough participating clients that registered the job's dataset have an open task stream; returns
    /// them sorted by region.
    /// </summary>
    private async Task<IReadOnlyList<AvailableClient>> WaitForClientsAsync(int needed, CancellationToken ct)
    {
        while (true)
        {
            var changed = s.Registry.Changed;
            var connected = s.Registry.Connected(_regions, _spec.Dataset);
            if (connected.Count >= needed) return connected;
            // Regions connected without the job's dataset are named: the operator sees at once why the job waits.
            var without = s.Registry.ConnectedWithout(_regions, _spec.Dataset);
            var message = $"waiting for {needed} clients with dataset '{_spec.Dataset}' ({connected.Count} connected" +
                (without.Count > 0 ? $"; without it: {string.Join(", ", without)})" : ")");
            if (message != _waitingMessage)
            {
                _waitingMessage = message;
                JobRunnerLog.Waiting(s.Logger, _jobId, message);
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
        Schema = _spec.Schema,
        GlobalStatistics = _globalStatistics,
    };

    private async Task SetStatusAsync(JobState? state = null, int? currentRound = null, string? message = null, CancellationToken ct = default)
    {
        var status = await s.Store.Jobs.UpdateAsync(_jobId, state, currentRound, message, ct).ConfigureAwait(false);
        // Null: the job was aborted meanwhile; the cancellation token stops this execution right after.
        if (status is null) throw new OperationCanceledException("The job is no longer active.");
        s.Events.Publish(status);
    }

    /// <summary>
    /// The federated evaluation summary in the job message, e.g. "; test accuracy 0.7812, loss 0.4811, AUC 0.8420
    /// (example-weighted, 4 regions; AUC over 3)": loss and accuracy over every region, AUC over those reporting it.
    /// </summary>
    internal static string DescribeTest(RegionMetrics mean, IReadOnlyList<RegionMetrics> regions)
    {
        int withAuc = regions.Count(m => m.Extra.ContainsKey(MetricsAggregation.Auc));
        var text = string.Create(CultureInfo.InvariantCulture, $"; test accuracy {mean.Accuracy:0.0000}, loss {mean.Loss:0.0000}");
        if (mean.Extra.TryGetValue(MetricsAggregation.Auc, out var auc)) text += string.Create(CultureInfo.InvariantCulture, $", AUC {auc:0.0000}");
        return text + (withAuc > 0 && withAuc < regions.Count
            ? $" (example-weighted, {regions.Count} regions; AUC over {withAuc})"
            : $" (example-weighted, {regions.Count} regions)");
    }

    /// <summary>The privacy spent so far in the job message, e.g. "; privacy ε = 6.42 at δ = 1e-5" (∞ without noise).</summary>
    internal static string DescribePrivacy(RoundPrivacy privacy) => double.IsPositiveInfinity(privacy.Epsilon)
        ? string.Create(CultureInfo.InvariantCulture, $"; privacy ε = ∞ at δ = {privacy.Delta:0.##e0} (too little noise for any guarantee)")
        : string.Create(CultureInfo.InvariantCulture, $"; privacy ε = {privacy.Epsilon:0.00} at δ = {privacy.Delta:0.##e0}");

    private static string Describe(RoundPhase phase) => phase switch
    {
        RoundPhase.Initialize => "initialising the model",
        RoundPhase.Fit => "training",
        RoundPhase.CrossSite => "cross-site validation",
        _ => "evaluating",
    };

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}

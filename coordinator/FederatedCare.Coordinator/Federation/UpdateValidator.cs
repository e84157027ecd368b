using FederatedCare.Federation.Core.Jobs;
using System.Globalization;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Coordinator.Federation;

/// <summary>
/// The checks an update or a metrics report must pass before it touches a round, each failing with a precise status:
/// NotFound (job), FailedPrecondition (job not running, stale round, not selected, wrong base model), InvalidArgument
/// (malformed header or metrics). The update's content is checked by the round's accumulator (Core's
/// <c>RoundAccumulator</c>).
/// </summary>
internal sealed class UpdateValidator(ICoordinatorStore store, RoundBoard board)
{
    private static readonly HashSet<string> RateMetrics = new(StringComparer.Ordinal) { WireNames.Metrics.Auc, WireNames.Metrics.F1, WireNames.Metrics.CIndex };
    private static readonly HashSet<string> ErrorMetrics = new(StringComparer.Ordinal) { WireNames.Metrics.Rmse, WireNames.Metrics.Mae };

    /// <summary>Checks the header against the job and its open round; returns the round the update belongs to.</summary>
    public async Task<OpenRound> CheckHeaderAsync(NodeSession node, UpdateHeader header, CancellationToken ct)
    {
        var round = await FindOpenRoundAsync(node, header.JobId, header.Round, ct).ConfigureAwait(false);
        if (round.Phase is RoundPhase.Evaluate or RoundPhase.CrossSite or RoundPhase.Statistics or RoundPhase.Analysis)
            throw Precondition($"Round {header.Round} of job '{header.JobId}' is an evaluation round: report metrics, not an update.");
        var expectedKind = round.Phase == RoundPhase.Initialize ? UpdateKind.InitialModel : UpdateKind.Delta;
        if (header.Kind != expectedKind)
            throw Invalid($"Round {header.Round} expects an update of kind {expectedKind}, got {header.Kind}.");
        if (round.Phase == RoundPhase.Fit && !string.Equals(header.BaseModelSha256, round.BaseModelSha256, StringComparison.OrdinalIgnoreCase))
            throw Precondition($"The update was computed from model '{header.BaseModelSha256}' but round {round.Round} " +
                $"starts from '{round.BaseModelSha256}': download the current global model and train again.");
        if (header.NumExamples < 0 || (round.Phase == RoundPhase.Fit && header.NumExamples == 0))
            throw Invalid($"num_examples must be > 0, got {header.NumExamples}.");
        // FedAvg weighs an update by its num_examples: a region cannot claim more rows than it said it trains on, nor
        // change its count from round to round.
        if (round.Claims.Problem(header.JobId, node.Region, round.Phase, header.NumExamples) is { } claim) throw Invalid(claim);
        foreach (var (name, value) in header.Metrics)
            if (!double.IsFinite(value)) throw Invalid($"Local metric '{name}' is not finite ({value}).");
        return round;
    }

    /// <summary>
    /// Checks a metrics report: federated evaluation reports carry no model label, cross-site reports one of the round's
    /// labels. Returns the round and the metrics with region and round filled in.
    /// </summary>
    public async Task<(OpenRound Round, IReadOnlyList<RegionMetrics> Metrics)> CheckMetricsAsync(NodeSession node,
        ReportMetricsRequest request, CancellationToken ct)
    {
        var round = await FindOpenRoundAsync(node, request.JobId, request.Round, ct).ConfigureAwait(false);
        if (round.Phase is not (RoundPhase.Evaluate or RoundPhase.CrossSite))
            throw Precondition($"Round {request.Round} of job '{request.JobId}' is not open for evaluation.");
        if (round.Phase == RoundPhase.Evaluate && request.ModelLabel.Length > 0)
            throw Invalid($"model_label '{request.ModelLabel}' given, but round {request.Round} of job '{request.JobId}' is a federated " +
                "evaluation of its global model (no label).");
        if (round.Phase == RoundPhase.CrossSite && !round.ModelLabels.Contains(request.ModelLabel, StringComparer.Ordinal))
            throw Invalid($"model_label '{request.ModelLabel}' is not one of the models under cross-site validation " +
                $"({string.Join(", ", round.ModelLabels)}).");
        var metrics = new List<RegionMetrics>();
        foreach (var m in request.Metrics)
        {
            if (m.Region.Length > 0 && m.Region != node.Region)
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    $"Node of region '{node.Region}' cannot report metrics for region '{m.Region}'."));
            if (m.Round != 0 && m.Round != request.Round)
                throw Invalid($"A metric names round {m.Round} but the report is for round {request.Round}.");
            if (string.IsNullOrWhiteSpace(m.Split)) throw Invalid("Each metric needs a split (e.g. \"test\").");
            if (!double.IsFinite(m.Loss) || !double.IsFinite(m.Accuracy))
                throw Invalid($"Split '{m.Split}': loss ({m.Loss}) and accuracy ({m.Accuracy}) must be finite.");
            if (m.NumExamples < 0) throw Invalid($"Split '{m.Split}': num_examples must be >= 0, got {m.NumExamples}.");
            // A loss (cross-entropy, MSE) is never negative and a rate lies in [0, 1]: anything else is a broken or
            // dishonest node, and would skew the weighted means.
            if (m.Loss < 0) throw Invalid($"Split '{m.Split}': loss must be >= 0, got {m.Loss}.");
            if (m.Accuracy is < 0 or > 1) throw Invalid($"Split '{m.Split}': accuracy must be in [0, 1], got {m.Accuracy}.");
            foreach (var (name, value) in m.Extra)
            {
                if (!double.IsFinite(value)) throw Invalid($"Split '{m.Split}': metric '{name}' is not finite ({value}).");
                if (RateMetrics.Contains(name) && value is < 0 or > 1) throw Invalid($"Split '{m.Split}': {name} must be in [0, 1], got {value}.");
                if (ErrorMetrics.Contains(name) && value < 0) throw Invalid($"Split '{m.Split}': {name} must be >= 0, got {value}.");
            }
            var clean = m.Clone();
            clean.Region = node.Region;
            clean.Round = request.Round;
            metrics.Add(clean);
        }
        if (metrics.Select(m => m.Split).Distinct(StringComparer.Ordinal).Count() != metrics.Count)
            throw Invalid("A split appears twice in one report.");
        return (round, metrics);
    }

    /// <summary>
    /// Checks a statistics report: the job's statistics phase is open and expects this node; a report carries either
    /// statistics with non-negative counts and finite sums, or a non-empty refusal.
    /// </summary>
    /// <exception cref="RpcException">InvalidArgument, NotFound, FailedPrecondition (no statistics phase open, or
    /// the node was not asked).</exception>
    public async Task<OpenRound> CheckStatisticsAsync(NodeSession node, ReportStatisticsRequest request, CancellationToken ct)
    {
        var round = await FindOpenRoundAsync(node, request.JobId, 0, ct).ConfigureAwait(false);
        if (round.Phase != RoundPhase.Statistics)
            throw Precondition($"Job '{request.JobId}' is not collecting statistics right now.");
        switch (request.OutcomeCase)
        {
            case ReportStatisticsRequest.OutcomeOneofCase.Refusal:
                if (string.IsNullOrWhiteSpace(request.Refusal)) throw Invalid("A refusal needs a reason.");
                break;
            case ReportStatisticsRequest.OutcomeOneofCase.Pending:
                if (string.IsNullOrWhiteSpace(request.Pending)) throw Invalid("A pending answer needs to say what it waits for.");
                break;
            case ReportStatisticsRequest.OutcomeOneofCase.Statistics:
                var s = request.Statistics;
                if (s.TrainRows < 0) throw Invalid($"train_rows must be >= 0, got {s.TrainRows}.");
                foreach (var c in s.Columns)
                    if (c.Count < 0 || c.Count > s.TrainRows || !double.IsFinite(c.Sum) || !double.IsFinite(c.SumOfSquares) || c.SumOfSquares < 0)
                        throw Invalid($"Column '{c.Name}': count must be in [0, train_rows] and the sums finite (sum of squares >= 0).");
                if (s.LabelCounts.Values.Any(v => v < 0)) throw Invalid("Label counts must be >= 0.");
                break;
            default:
                throw Invalid("A statistics report carries statistics, a refusal or a pending approval.");
        }
        return round;
    }

    /// <summary>
    /// Checks an analysis report: an analysis round of the job is open with this number and expects this node; the
    /// report carries a non-empty refusal or an answer of the kind the round asked for (their sizes were checked by
    /// <see cref="RequestBounds"/>). Its content is checked by the analysis phase, which knows its shape.
    /// </summary>
    /// <exception cref="RpcException">InvalidArgument, NotFound, FailedPrecondition (no analysis round open, a stale
    /// round, or the node was not asked).</exception>
    public async Task<OpenRound> CheckAnalysisAsync(NodeSession node, ReportAnalysisRequest request, CancellationToken ct)
    {
        var round = await FindOpenRoundAsync(node, request.JobId, request.Round, ct).ConfigureAwait(false);
        if (round.Phase != RoundPhase.Analysis || round.Analysis is null)
            throw Precondition($"Round {request.Round} of job '{request.JobId}' is not an analysis round.");
        switch (request.OutcomeCase)
        {
            case ReportAnalysisRequest.OutcomeOneofCase.Refusal:
                if (string.IsNullOrWhiteSpace(request.Refusal)) throw Invalid("A refusal needs a reason.");
                break;
            case ReportAnalysisRequest.OutcomeOneofCase.Answer:
                // Answer and task use the same field number for each kind (analysis.proto).
                if ((int)request.Answer.KindCase != (int)round.Analysis.KindCase)
                    throw Invalid($"Round {request.Round} asks for {round.Analysis.KindCase}, the answer is {request.Answer.KindCase}.");
                break;
            default:
                throw Invalid("An analysis report carries either an answer or a refusal.");
        }
        return round;
    }

    /// <summary>
    /// Checks a task refusal (its sizes are checked before, <c>RequestBounds</c>): an initialize, fit or evaluation round
    /// the node was asked in, the model label of a cross-site round, and a reason. Returns the round and the reason, trimmed.
    /// </summary>
    public async Task<(OpenRound Round, string Reason)> CheckRefusalAsync(NodeSession node, ReportRefusalRequest request, CancellationToken ct)
    {
        var reason = request.Reason.Trim();
        if (reason.Length == 0) throw Invalid("A refusal needs a reason.");
        var round = await FindOpenRoundAsync(node, request.JobId, request.Round, ct).ConfigureAwait(false);
        if (round.Phase is RoundPhase.Statistics or RoundPhase.Analysis)
            throw Precondition($"Round {request.Round} of job '{request.JobId}' takes its refusals in ReportStatistics or ReportAnalysis.");
        if (round.Phase == RoundPhase.CrossSite ? !round.ModelLabels.Contains(request.ModelLabel, StringComparer.Ordinal) : request.ModelLabel.Length > 0)
            throw Invalid($"model_label '{request.ModelLabel}' is not one of round {request.Round}'s models.");
        return (round, reason);
    }

    private async Task<OpenRound> FindOpenRoundAsync(NodeSession node, string jobId, int roundNumber, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(jobId)) throw Invalid("job_id is required.");
        var job = await store.Jobs.GetAsync(jobId, ct).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Job '{jobId}' does not exist."));
        if (job.State != JobState.Running)
            throw Precondition($"Job '{jobId}' is {job.State}, not running.");
        var round = board.Find(jobId);
        if (round is null)
            throw Precondition($"Stale: job '{jobId}' has no round open right now (round {roundNumber} is over or not yet started).");
        if (round.Round != roundNumber)
            throw Precondition($"Stale round: the answer is for round {roundNumber} but round {round.Round} of job '{jobId}' is open.");
        if (!round.IsExpected(node.NodeId))
            throw Precondition($"Region '{node.Region}' was not selected for round {round.Round} of job '{jobId}'.");
        return round;
    }

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException Precondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));
}

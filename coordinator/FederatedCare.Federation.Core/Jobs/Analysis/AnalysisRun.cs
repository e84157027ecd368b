using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// What one analysis phase works with: the job, its step, and the rounds it opens. Every round goes to the regions
/// that joined the job's statistics phase; each answers (<see cref="AnalysisAnswer"/>), refuses, or stays silent until
/// the round's deadline on the job's clock. Round numbers count up over the whole job, so a late answer to an earlier
/// round is refused as stale.
/// </summary>
public sealed class AnalysisRun(JobContext job, int step, RoundDispatcher dispatcher, JobStatusReporter status, ILogger logger)
{
    /// <summary>The job.</summary>
    public JobContext Job { get; } = job;

    /// <summary>Index of this analysis in <see cref="AnalysisSpec.Steps"/>.</summary>
    public int Step { get; } = step;

    /// <summary>The job's status (phases say what they are doing).</summary>
    public JobStatusReporter Status { get; } = status;

    /// <summary>The regions that joined the job (the statistics phase), sorted.</summary>
    public IReadOnlyList<string> Regions => Job.Regions.Order(StringComparer.Ordinal).ToList();

    /// <summary>Round numbers used so far in this job (shared by its steps through the pipeline).</summary>
    internal int RoundsUsed { get; set; }

    /// <summary>
    /// Opens one round: sends <paramref name="analysis"/> (with this step and the job's minimum cell count filled in)
    /// to every joined region that is connected, and collects the answers until all arrived or the deadline passed.
    /// </summary>
    public Task<AnalysisReplies> AskAsync(AnalysisTask analysis, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return AskAsync(_ => analysis, ct);
    }

    /// <summary>
    /// As <see cref="AskAsync(AnalysisTask, CancellationToken)"/>, each region with its own task (all of one kind):
    /// for questions that are a region's own business, such as the thresholds of its own quantile search.
    /// </summary>
    /// <param name="analysisFor">The task for a region (by name).</param>
    /// <param name="ct">Cancels the round.</param>
    public async Task<AnalysisReplies> AskAsync(Func<string, AnalysisTask> analysisFor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(analysisFor);
        int round = ++RoundsUsed;
        var expected = dispatcher.Connected();
        var byRegion = new Dictionary<string, AnalysisTask>(StringComparer.Ordinal);
        AnalysisTask Analysis(string region)
        {
            if (byRegion.TryGetValue(region, out var known)) return known;
            var analysis = analysisFor(region).Clone();
            analysis.Step = Step;
            analysis.MinCellCount = Job.Spec.Analysis.MinCellCount;
            return byRegion[region] = analysis;
        }
        NodeTask TaskFor(AvailableClient client)
        {
            var task = Job.NewTask(round, "");
            task.Analysis = Analysis(client.Region);
            return task;
        }
        var tasks = expected.ToDictionary(c => c.NodeId, c => (IReadOnlyList<NodeTask>)[TaskFor(c)], StringComparer.Ordinal);
        // The round checks each answer's kind against this task's; every region's task is of the same kind.
        var kind = Analysis(expected.FirstOrDefault()?.Region ?? Regions.FirstOrDefault() ?? "");
        var open = new OpenRound(Job.JobId, round, RoundPhase.Analysis, "", null, expected, Job.NextDeadline(), analysis: kind);
        var reports = (await dispatcher.CollectAsync(open, c => tasks[c.NodeId], 0, ct).ConfigureAwait(false)).Analysis;
        var answers = new SortedDictionary<string, AnalysisAnswer>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var region in Regions)
        {
            var client = expected.FirstOrDefault(c => c.Region == region);
            if (client is null) problems.Add($"{region}: not connected");
            else if (!reports.TryGetValue(client.NodeId, out var report)) problems.Add($"{region}: no answer within {JobMessages.Seconds(Job.RoundDeadline)} s");
            else if (report.OutcomeCase == ReportAnalysisRequest.OutcomeOneofCase.Refusal) problems.Add($"{region}: {report.Refusal}");
            else answers[region] = report.Answer;
        }
        foreach (var problem in problems) JobLog.RegionOut(logger, Job.JobId, problem);
        return new AnalysisReplies(answers, problems);
    }
}

/// <summary>What the regions answered to one analysis round.</summary>
/// <param name="Answers">The answers by region (sorted by region, ordinal).</param>
/// <param name="Problems">"Region: reason" for each joined region without an answer (refused, silent, not connected).</param>
public sealed record AnalysisReplies(IReadOnlyDictionary<string, AnalysisAnswer> Answers, IReadOnlyList<string> Problems)
{
    /// <summary>The answers when every joined region answered.</summary>
    /// <param name="what">What was asked, for the failure message, e.g. "Cox iteration 3".</param>
    /// <exception cref="JobFailedException">A region did not answer; the message names each one and why.</exception>
    public IReadOnlyDictionary<string, AnalysisAnswer> FromEveryRegion(string what) =>
        Problems.Count == 0 ? Answers : throw new JobFailedException($"{what}: {string.Join("; ", Problems)}");
}

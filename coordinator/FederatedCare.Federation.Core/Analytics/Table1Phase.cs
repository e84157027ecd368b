using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;
using static FederatedCare.Federation.Core.Jobs.AnalysisTables;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// Table 1 per region and pooled as an analysis phase: one round in which every region releases its small-cell
/// suppressed counts, means and M2 (<see cref="Table1SummaryAnswer"/>), then the rounds of
/// <see cref="Table1QuantileProtocol"/> (each region gets only its own questions: the pooled search's thresholds and
/// its own search's), then <see cref="Table1.Build"/>. Table <c>table1</c>: <c>variable,level,statistic,region,value</c>
/// (region <c>all</c>: pooled; an empty value is suppressed).
/// </summary>
public sealed class Table1Phase(Table1Spec spec) : IAnalysisPhase
{
    /// <summary>The kind's name (also the table's).</summary>
    public const string Name = "table1";

    /// <summary>Quantile rounds at most: every search ends within 64 bisections of the doubles' keys.</summary>
    public const int MaxQuantileRounds = 64;

    /// <inheritdoc />
    public string Kind => Name;

    /// <inheritdoc />
    public async Task<AnalysisResult> RunAsync(AnalysisRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var schema = run.Job.Spec.Schema;
        var levels = spec.Categorical.Select(c => CrossTabPhase.Levels(schema, c.Column, c.Levels)).ToList();
        var replies = await run.AskAsync(new AnalysisTask { Table1Summary = new Table1SummaryRequest { Spec = spec } }, ct).ConfigureAwait(false);
        var regions = replies.FromEveryRegion("Table 1").Select(a => (a.Key, Release(a.Key, a.Value, levels))).ToList();
        try
        {
            var protocol = new Table1QuantileProtocol(regions);
            while (!protocol.IsComplete)
            {
                if (protocol.Rounds >= MaxQuantileRounds)
                    throw new JobFailedException($"Table 1: the quantile searches did not end within {MaxQuantileRounds} rounds.");
                var questions = regions.ToDictionary(r => r.Key, r => protocol.Questions(r.Key), StringComparer.Ordinal);
                var counts = await run.AskAsync(region => QuantileTask(questions.GetValueOrDefault(region) ?? []), ct).ConfigureAwait(false);
                var answers = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
                foreach (var (region, answer) in counts.FromEveryRegion($"Table 1 quantile round {protocol.Rounds + 1}"))
                {
                    if (answer.KindCase != AnalysisAnswer.KindOneofCase.QuantileCounts)
                        throw new JobFailedException($"Table 1: region {region} did not answer with quantile counts.");
                    answers[region] = [.. answer.QuantileCounts.Counts];
                }
                protocol.Answer(answers);
            }
            var cells = Table1.Build(regions, protocol.Results());
            int suppressed = cells.Count(c => c.Suppressed);
            var result = new AnalysisResult
            {
                Summary = $"Table 1 of {spec.Numeric.Count} numeric and {spec.Categorical.Count} categorical columns in {regions.Count} regions " +
                          $"({protocol.Rounds} quantile rounds): {suppressed} figures suppressed",
            };
            result.Tables.Add(Table(Name, ["variable", "level", "statistic", "region", "value"],
                cells.Select(c => (IReadOnlyList<string>)[c.Variable, c.Level, c.Statistic, c.Region, Cell(c.Value)])));
            return result;
        }
        catch (InvalidReleaseException e)
        {
            throw new JobFailedException($"Table 1: {e.Message}");
        }
    }

    private AnalysisTask QuantileTask(IReadOnlyList<QuantileQuestion> questions)
    {
        var request = new QuantileCountsRequest { Numeric = { spec.Numeric } };
        request.Questions.AddRange(questions.Select(q => new QuantileThreshold { Variable = q.Variable, Pooled = q.Pooled, Path = q.Path, Threshold = q.Threshold }));
        return new AnalysisTask { QuantileCounts = request };
    }

    private Table1Release Release(string region, AnalysisAnswer answer, IReadOnlyList<IReadOnlyList<string>> levels)
    {
        if (answer.KindCase != AnalysisAnswer.KindOneofCase.Table1Summary || answer.Table1Summary.Numeric.Count != spec.Numeric.Count
            || answer.Table1Summary.Categorical.Count != spec.Categorical.Count
            || answer.Table1Summary.Categorical.Select(c => c.Levels.Count).Where((n, j) => n != levels[j].Count).Any())
            throw new JobFailedException($"Table 1: region {region} did not answer with {spec.Numeric.Count} numeric and {spec.Categorical.Count} categorical summaries of the job's levels.");
        var a = answer.Table1Summary;
        var numeric = a.Numeric.Select((n, j) => new NumericRelease(spec.Numeric[j],
            Count(n.Count) is { } count ? new Moments(count, n.Mean, n.SumOfSquaredDeviations) : null, Count(n.Missing))).ToList();
        var categorical = a.Categorical.Select((c, j) => new CategoryRelease(spec.Categorical[j].Column,
            [.. c.Levels.Select((l, i) => new LevelCount(levels[j][i], Count(l)))], Count(c.Missing))).ToList();
        return new Table1Release(Count(a.Rows), numeric, categorical);
    }

    private static long? Count(ReleasedCount? count) => count is null || count.Suppressed ? null : count.Value;
}

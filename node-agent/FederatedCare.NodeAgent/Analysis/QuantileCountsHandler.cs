using System.Collections.Concurrent;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// Answers the rounds of Table 1's quantile protocol with one <see cref="QuantileResponder"/> per (job, step): the
/// responder remembers each path's last threshold, so it can refuse a coordinator that does not bisect. At most
/// <see cref="MaxResponders"/> are kept (the oldest is dropped); a step's numeric columns cannot change between rounds.
/// </summary>
public sealed class QuantileCountsHandler : IAnalysisHandler
{
    /// <summary>Responders kept at once (one per running Table 1 step).</summary>
    public const int MaxResponders = 64;

    /// <summary>Questions in one round at most (the protocol asks at most six per search, two searches per column).</summary>
    public const int MaxQuestions = 10_000;

    private readonly ConcurrentDictionary<(string Job, int Step), Entry> _responders = new();
    private readonly ConcurrentQueue<(string Job, int Step)> _order = new();

    /// <inheritdoc />
    public AnalysisTask.KindOneofCase Kind => AnalysisTask.KindOneofCase.QuantileCounts;

    /// <inheritdoc />
    public AnalysisAnswer Answer(AnalysisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request.QuantileCounts;
        if (request.Questions.Count > MaxQuestions)
            throw new AnalysisRefusedException($"{request.Questions.Count} quantile thresholds in one round, more than {MaxQuestions}.");
        var key = (context.Task.JobId, context.Request.Step);
        var entry = _responders.GetOrAdd(key, _ =>
        {
            _order.Enqueue(key);
            var columns = request.Numeric.Distinct(StringComparer.Ordinal)
                .ToDictionary(c => c, c => AnalysisColumns.NumericTrainValues(context, c), StringComparer.Ordinal);
            return new Entry([.. request.Numeric], new QuantileResponder(columns, context.MinCellCount));
        });
        while (_responders.Count > MaxResponders && _order.TryDequeue(out var oldest))
            if (oldest != key) _responders.TryRemove(oldest, out _);
            else _order.Enqueue(oldest);
        if (!entry.Numeric.SequenceEqual(request.Numeric, StringComparer.Ordinal))
            throw new AnalysisRefusedException("the quantile task names other numeric columns than earlier rounds of the same step.");
        long[] counts;
        lock (entry.Responder)
            counts = entry.Responder.Answer([.. request.Questions.Select(q => new ThresholdQuestion(q.Variable, q.Pooled, q.Path, q.Threshold))]);
        var answer = new QuantileCountsAnswer();
        answer.Counts.AddRange(counts);
        return new AnalysisAnswer { QuantileCounts = answer };
    }

    private sealed record Entry(IReadOnlyList<string> Numeric, QuantileResponder Responder);
}

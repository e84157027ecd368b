using System.Threading.Channels;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests.Engine;

/// <summary>A fixed set of in-process clients for the job engine, always connected with every dataset.</summary>
internal sealed class ScriptedClients(params ScriptedClient[] clients) : IClientManager
{
    private readonly TaskCompletionSource _never = new();

    public IReadOnlyList<AvailableClient> Connected(IReadOnlyCollection<string> regions, string dataset) => clients
        .Where(c => regions.Count == 0 || regions.Contains(c.Region))
        .OrderBy(c => c.Region, StringComparer.Ordinal)
        .Select(c => new AvailableClient(c.NodeId, c.Region))
        .ToList();

    public IReadOnlyList<string> ConnectedWithout(IReadOnlyCollection<string> regions, string dataset) => [];

    public IReadOnlyList<ConnectedRegion> AllConnected() => [];

    public Task Changed => _never.Task;

    public IClientProxy? Find(string nodeId) => clients.FirstOrDefault(c => c.NodeId == nodeId);
}

/// <summary>
/// One scripted region: answers at once (an initial model of one tensor "w" = [0, 0]; a delta of <see cref="Delta"/>
/// with train_loss; test metrics of accuracy <see cref="Accuracy"/>), or stays silent in the fit rounds
/// <see cref="SilentInFit"/> says. Every task it gets is recorded in <see cref="Received"/>.
/// </summary>
internal sealed class ScriptedClient(string region, float delta = 1, long examples = 10) : IClientProxy
{
    public string Region { get; } = region;
    public string NodeId { get; } = "node-" + region;
    public float Delta { get; set; } = delta;
    public double Accuracy { get; set; } = 0.5;
    public bool Retried { get; set; }
    public double? TrainAccuracy { get; set; }
    public Func<NodeTask, bool> SilentInFit { get; set; } = _ => false;
    public Func<NodeTask, bool> SilentInEvaluation { get; set; } = _ => false;
    /// <summary>The reason this client refuses its fit tasks with; null: it trains.</summary>
    public string? RefusesFit { get; set; }
    /// <summary>The statistics answer; default: a refusal ("no consent").</summary>
    public Func<NodeTask, ReportStatisticsRequest>? StatisticsAnswer { get; set; }
    /// <summary>The answer to an analysis task (job id and round filled in); null: silent. Default: a refusal.</summary>
    public Func<NodeTask, ReportAnalysisRequest?>? AnalysisAnswer { get; set; }
    public Channel<NodeTask> Received { get; } = Channel.CreateUnbounded<NodeTask>();

    public static ModelParameters Model(params float[] values) => new([new NamedTensor("w", [values.Length], values)]);

    public void Initialize(NodeTask task, OpenRound round)
    {
        Received.Writer.TryWrite(task);
        Upload(round, new ClientUpdate(Region, 0, Model(0, 0), new Dictionary<string, double>()));
    }

    public void Fit(NodeTask task, OpenRound round)
    {
        Received.Writer.TryWrite(task);
        if (RefusesFit is { } reason)
        {
            round.SubmitRefusal(NodeId, "", reason);
            return;
        }
        if (SilentInFit(task)) return;
        var metrics = new Dictionary<string, double> { [FitMetrics.TrainLoss] = 0.25 };
        if (TrainAccuracy is { } accuracy) metrics[FitMetrics.TrainAccuracy] = accuracy;
        Upload(round, new ClientUpdate(Region, examples, Model(Delta, Delta), metrics));
    }

    // As a node's upload reaches the round: through its accumulator (checked, measured, kept or folded).
    private void Upload(OpenRound round, ClientUpdate update)
    {
        var outcome = round.Accumulator!.Receive(round, NodeId, update);
        if (outcome.Status == UploadStatus.Invalid) throw new InvalidOperationException(outcome.Reason);
    }

    public void Evaluate(NodeTask task, OpenRound round)
    {
        Received.Writer.TryWrite(task);
        if (SilentInEvaluation(task)) return;
        round.SubmitMetrics(NodeId, task.Evaluate.ModelLabel,
            [new RegionMetrics { Region = Region, Round = task.Round, Split = "test", NumExamples = examples, Loss = 0.5, Accuracy = Accuracy }]);
    }

    public void Statistics(NodeTask task, OpenRound round)
    {
        Received.Writer.TryWrite(task);
        round.SubmitStatistics(NodeId, StatisticsAnswer?.Invoke(task) ?? new ReportStatisticsRequest { JobId = task.JobId, Refusal = "no consent" });
    }

    public void Analyze(NodeTask task, OpenRound round)
    {
        Received.Writer.TryWrite(task);
        var answer = AnalysisAnswer is null ? new ReportAnalysisRequest { Refusal = "no analyses here" } : AnalysisAnswer(task);
        if (answer is null) return;
        answer.JobId = task.JobId;
        answer.Round = task.Round;
        round.SubmitAnalysis(NodeId, answer);
    }

    /// <summary>Waits for the next task of <paramref name="kind"/>, skipping others.</summary>
    public async Task<NodeTask> NextAsync(NodeTask.KindOneofCase kind)
    {
        while (true)
        {
            var task = await Received.Reader.ReadAsync();
            if (task.KindCase == kind) return task;
        }
    }
}

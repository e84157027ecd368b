using System.Diagnostics;
using System.Globalization;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Xunit.Abstractions;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// Replay of a hostile job from issue 14: a region's agent, its own process, evaluates a wide and deep model (an MLP of
/// sixteen hidden layers of 1024) on 200 000 test rows. Evaluation once held every row's activations at once (24 GB);
/// batched, the agent's peak resident memory stays below 1 GiB. The job evaluates an uploaded model (rounds 0), so the
/// 200 000 rows pass through the model exactly once.
/// </summary>
public sealed class EvaluationMemoryReplayTests(ITestOutputHelper output) : IDisposable
{
    private const string Region = "Jamtland";
    private const string Dataset = "wide";
    private const int Features = 13, TrainRows = 200, TestRows = 200_000;
    private const long Limit = 1L << 30;
    private readonly string _dir = RepositoryPaths.TempDirectory();

    [Fact]
    public async Task An_agent_evaluating_200000_rows_with_a_16x1024_mlp_stays_below_1_GiB()
    {
        var file = Path.Combine(_dir, "wide.csv");
        WriteExtract(file);
        var spec = Spec();
        var model = new ModelZoo().CreateInitial(spec.Model, seed: 11, new DataShape(Features));

        await using var federation = await Federation.StartAsync([]);
        using var agent = AppProcess.Start(
            AppProcess.Dll("node-agent/FederatedCare.NodeAgent", "FederatedCare.NodeAgent"),
            new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "PASSIVE", ["MKL_CBWR"] = "AUTO" },
            [
                $"--NodeAgent:Region={Region}",
                $"--NodeAgent:Datasets:{Dataset}:Format=csv",
                $"--NodeAgent:Datasets:{Dataset}:Path={file}",
                $"--NodeAgent:Datasets:{Dataset}:SplitColumn=split",
                .. Policy(),
                $"--NodeAgent:CoordinatorAddress={federation.Coordinator.Address}",
                "--Serilog:MinimumLevel:Default=Warning",
            ]);
        await federation.WaitForRegistrationAsync(Region, agent);
        spec.InitialModelSha256 = (await UploadAsync(federation, model)).Sha256;

        var job = Stopwatch.StartNew();
        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(20));
        long peak = ProcessMemory.PeakResidentBytes(agent.Id), now = ProcessMemory.ResidentBytes(agent.Id);
        output.WriteLine($"job {job.Elapsed.TotalSeconds:F0} s; the agent's peak resident memory (VmHWM) {Mib(peak)} MiB, resident after the job {Mib(now)} MiB");

        Assert.True(status.State == JobState.Succeeded, $"{status.State}: {status.Message}\nthe agent:\n{agent.Stderr}");
        var metrics = await federation.Research.GetMetricsAsync(new GetMetricsRequest { JobId = status.JobId, Round = 0 });
        var test = Assert.Single(metrics.Metrics, m => m.Split == WireNames.Splits.Test);
        Assert.Equal((Region, TestRows), (test.Region, test.NumExamples));
        Assert.True(peak < Limit, $"the agent's peak resident memory (VmHWM) was {Mib(peak)} MiB (now {Mib(now)} MiB), above {Mib(Limit)} MiB");
    }

    /// <summary>Removes the extract (about 25 MB).</summary>
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JobSpec Spec()
    {
        var spec = new JobSpec
        {
            Name = "wide-evaluation",
            Dataset = Dataset,
            Model = new ModelSpec { Name = ModelCatalog.Mlp.Name },
            Strategy = new StrategySpec { Name = "fedavg" },
            Rounds = 0,
            FractionFit = 1,
            MinFitClients = 1,
            MinAvailableClients = 1,
            Local = new LocalTrainingSpec { LocalEpochs = 1, BatchSize = 32, Optimizer = LocalOptimizer.Sgd, LearningRate = 0.01 },
            // One pass of 200 000 rows through 16 layers of 1024 is minutes of one core on a loaded machine.
            RoundDeadlineSeconds = 900,
            Seed = 11,
            Schema = new DatasetSchema
            {
                Label = new LabelColumn { Name = "outcome", Task = LabelTask.Binary, PositiveAbove = 0.5 },
                Normalization = new Normalization { Kind = NormalizationKind.ZscoreLocal },
            },
        };
        spec.Model.Hyperparameters[ModelCatalog.Keys.HiddenSizes] = string.Join(',', Enumerable.Repeat(1024, 16));
        for (int j = 0; j < Features; j++) spec.Schema.Features.Add(new FeatureColumn { Name = Column(j), Type = ColumnType.Numeric });
        return spec;
    }

    // 13 measurements, a binary outcome that depends on them, and the region's split column: the first TrainRows rows
    // train, the rest (exactly TestRows) test.
    private static void WriteExtract(string path)
    {
        var random = new Random(14);
        using var writer = new StreamWriter(path);
        writer.WriteLine(string.Join(',', [.. Enumerable.Range(0, Features).Select(Column), "outcome", "split"]));
        var row = new double[Features];
        for (int i = 0; i < TrainRows + TestRows; i++)
        {
            double score = 0;
            for (int j = 0; j < Features; j++)
            {
                row[j] = Math.Round(10 * random.NextDouble() - 5, 3);
                score += (j % 2 == 0 ? 1 : -1) * row[j];
            }
            int outcome = score + 4 * random.NextDouble() - 2 > 0 ? 1 : 0;
            writer.WriteLine(string.Join(',', [.. row.Select(v => v.ToString(CultureInfo.InvariantCulture)), outcome.ToString(CultureInfo.InvariantCulture),
                i < TrainRows ? WireNames.Splits.Train : WireNames.Splits.Test]));
        }
    }

    // The region's policy, as a hospital's agent has one: training jobs on the extract's columns.
    private static IEnumerable<string> Policy() =>
    [
        .. Enumerable.Range(0, Features).Select(Column).Append("outcome")
            .Select((column, i) => $"--NodeAgent:Policy:Datasets:{Dataset}:Columns:{i}={column}"),
        $"--NodeAgent:Policy:JobKinds:0={PolicyOptions.TrainingKind}",
    ];

    private static string Column(int j) => $"x{j + 1}";

    private static long Mib(long bytes) => bytes >> 20;

    private static async Task<UploadModelResponse> UploadAsync(Federation federation, ModelParameters model)
    {
        using var call = federation.Operator.UploadModel();
        foreach (var chunk in ModelStream.ToChunks(model)) await call.RequestStream.WriteAsync(chunk);
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }
}

using FederatedCare.Federation.Core.Jobs;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FederatedCare.Protos.Wire;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;
using Parquet.Serialization;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// Three regions bring their own generated extract — a Swedish CSV (<c>;</c>, decimal commas), a Parquet file and a
/// plain CSV — and a fourth region's broken file keeps it out of the job. A coordinator and four real agents over
/// loopback gRPC train a multi-class MLP and a linear regression with federated z-score statistics.
/// </summary>
public sealed class ThreeNodeSyntheticTests : IAsyncLifetime
{
    private const string Dataset = "synthetic";
    private readonly string _dir = RepositoryPaths.TempDirectory();
    private readonly Dictionary<string, DatasetOptions> _nodes = [];
    private Federation _federation = null!;

    /// <summary>One generated patient: two measurements, a flag, a county, a class and a continuous outcome.</summary>
    public sealed class Row
    {
        public double Dose { get; set; }
        public double Weight { get; set; }
        public bool Smoker { get; set; }
        public string County { get; set; } = "";
        public string Outcome { get; set; } = "";
        public double Score { get; set; }
    }

    public async Task InitializeAsync()
    {
        var swedish = Generate(1, 140, shift: 0);
        var parquet = Generate(2, 110, shift: 8);
        var plain = Generate(3, 90, shift: -6);
        var sv = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        sv.NumberDecimalSeparator = ",";
        WriteCsv("vasterbotten.csv", swedish, ';', sv);
        await using (var stream = File.Create(Path.Combine(_dir, "skane.parquet")))
            await ParquetSerializer.SerializeAsync(parquet, stream);
        WriteCsv("uppsala.csv", plain, ',', CultureInfo.InvariantCulture.NumberFormat);
        var broken = Generate(4, 40, shift: 0);
        WriteCsv("gotland.csv", broken, ',', CultureInfo.InvariantCulture.NumberFormat);
        var lines = File.ReadAllLines(Path.Combine(_dir, "gotland.csv"));
        lines[7] = "hög" + lines[7][lines[7].IndexOf(',', StringComparison.Ordinal)..];
        File.WriteAllLines(Path.Combine(_dir, "gotland.csv"), lines);

        _nodes["Vasterbotten"] = new DatasetOptions { Format = "csv", Path = Path.Combine(_dir, "vasterbotten.csv"), Delimiter = ";", DecimalSeparator = "," };
        _nodes["Skane"] = new DatasetOptions { Format = "parquet", Path = Path.Combine(_dir, "skane.parquet") };
        _nodes["Uppsala"] = new DatasetOptions { Format = "csv", Path = Path.Combine(_dir, "uppsala.csv") };
        _nodes["Gotland"] = new DatasetOptions { Format = "csv", Path = Path.Combine(_dir, "gotland.csv") };
        _federation = await Federation.StartAsync(_nodes.Select(n => new[]
        {
            $"--NodeAgent:Region={n.Key}",
            $"--NodeAgent:Datasets:{Dataset}:Format={n.Value.Format}",
            $"--NodeAgent:Datasets:{Dataset}:Path={n.Value.Path}",
            $"--NodeAgent:Datasets:{Dataset}:Delimiter={n.Value.Delimiter}",
            $"--NodeAgent:Datasets:{Dataset}:DecimalSeparator={n.Value.DecimalSeparator}",
            $"--NodeAgent:ProfileDirectory={Path.Combine(_dir, "profiles", n.Key)}",
        }).ToList());
    }

    public async Task DisposeAsync() => await _federation.DisposeAsync();

    [Fact]
    public async Task A_multiclass_mlp_trains_with_federated_statistics_and_only_sums_and_counts_leave_the_regions()
    {
        var spec = Spec("mlp", LabelTask.Multiclass);
        spec.Model.Hyperparameters["hidden_sizes"] = "16,8";
        spec.Model.Hyperparameters["activation"] = "tanh";
        spec.Model.Hyperparameters["dropout"] = "0.1";

        var status = await _federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Succeeded, status.State);
        var rounds = await _federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = status.JobId });
        Assert.All(rounds.Rounds.Skip(1), r => Assert.Equal(["Skane", "Uppsala", "Vasterbotten"], r.Participants.Order(StringComparer.Ordinal)));
        var metrics = await _federation.Research.GetMetricsAsync(new GetMetricsRequest { JobId = status.JobId, Round = spec.Rounds });
        var test = metrics.Metrics.Where(m => m.Split == "test").ToList();
        Assert.Equal(3, test.Count);
        Assert.All(test, m => Assert.True(m.Extra.ContainsKey("f1") && m.Accuracy > 0.5, $"{m.Region}: accuracy {m.Accuracy}"));

        // Gotland's file has text in a numeric column: it refused, naming file, column and line, and stayed out. The
        // coordinator got neither the file's folder nor the cell's value.
        var reports = _federation.Recorder.Received.Select(r => r.Message).OfType<ReportStatisticsRequest>().Where(r => r.JobId == status.JobId).ToList();
        var refusal = Assert.Single(reports, r => r.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Refusal).Refusal;
        Assert.StartsWith("gotland.csv:8: column 'Dose': not a number.", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("hög", refusal, StringComparison.Ordinal);
        Assert.Contains($"; out of this job: Gotland: {refusal}", status.Message, StringComparison.Ordinal);

        // Only sums, sums of squares and counts per encoded column crossed the wire, and the label counts the schema allows.
        var statistics = reports.Where(r => r.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Statistics).Select(r => r.Statistics).ToList();
        Assert.Equal(3, statistics.Count);
        var columns = new[] { "Dose", "Weight", "Smoker", "County_S", "County_W" };
        foreach (var s in statistics)
        {
            Assert.Equal(columns, s.Columns.Select(c => c.Name));
            Assert.All(s.Columns, c => Assert.Equal(s.TrainRows, c.Count));
            Assert.Equal(s.TrainRows, s.LabelCounts.Values.Sum());
        }
        AssertNothingButAggregates(status.JobId);

        // Every region normalised with the pooled statistics: pooled over the regions, mean 0 and std 1.
        var global = StatisticsPool.Pool(statistics.Select((s, i) => (i.ToString(CultureInfo.InvariantCulture), s)).ToDictionary(p => p.Item1, p => p.s), sampleStd: true);
        var normalised = _nodes.Where(n => n.Key != "Gotland")
            .Select(n => TabularPreparer.Prepare(Dataset, n.Value, spec.Schema, global).Data!.Train).ToList();
        long total = normalised.Sum(t => t.Rows);
        for (int j = 0; j < columns.Length; j++)
        {
            double mean = normalised.Sum(t => Enumerable.Range(0, t.Rows).Sum(i => (double)t[i, j])) / total;
            double variance = normalised.Sum(t => Enumerable.Range(0, t.Rows).Sum(i => (t[i, j] - mean) * (t[i, j] - mean))) / (total - 1);
            Assert.InRange(mean, -1e-5, 1e-5);
            Assert.InRange(Math.Sqrt(variance), 1 - 1e-5, 1 + 1e-5);
        }
        // ... while each region alone is not centred (the regions' data differ).
        Assert.Contains(normalised, t => Math.Abs(Enumerable.Range(0, t.Rows).Average(i => t[i, 0])) > 0.3);

        // The downloaded global model can be applied to a new patient: its metadata gives the encoded columns in order
        // and the pooled statistics, which scale a row exactly as the regions did.
        using (var download = _federation.Research.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = status.JobId, Round = -1 }))
        {
            var model = await ModelStream.ReadAsync(download.ResponseStream);
            Assert.Equal(columns, JsonSerializer.Deserialize<string[]>(model.Metadata[NormalizationExport.FeatureNames]));
            var mean = JsonSerializer.Deserialize<double[]>(model.Metadata[NormalizationExport.FeatureMean])!;
            var scale = JsonSerializer.Deserialize<double[]>(model.Metadata[NormalizationExport.FeatureScale])!;
            Assert.Equal(global.Mean, mean);
            var unscaled = spec.Schema.Clone();
            unscaled.Normalization = new Normalization { Kind = NormalizationKind.None };
            var raw = TabularPreparer.Prepare(Dataset, _nodes["Skane"], unscaled, null).Data!.Train;
            var scaled = TabularPreparer.Prepare(Dataset, _nodes["Skane"], spec.Schema, global).Data!.Train;
            for (int j = 0; j < columns.Length; j++)
                Assert.Equal(scaled[0, j], (float)((raw[0, j] - mean[j]) / scale[j]), 5);
        }

        // The data team's profile stayed at home.
        Assert.True(File.Exists(Path.Combine(_dir, "profiles", "Skane", $"{Dataset}-{status.JobId}.json")));
    }

    [Fact]
    public async Task A_linear_regression_trains_end_to_end_and_reports_rmse_mae_and_r2()
    {
        var spec = Spec("linear_regression", LabelTask.Regression);

        var status = await _federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Succeeded, status.State);
        var metrics = await _federation.Research.GetMetricsAsync(new GetMetricsRequest { JobId = status.JobId, Round = spec.Rounds });
        var test = metrics.Metrics.Where(m => m.Split == "test").ToList();
        Assert.Equal(3, test.Count);
        Assert.All(test, m =>
        {
            Assert.Equal(0, m.Accuracy);
            Assert.True(m.Extra["r2"] > 0.8, $"{m.Region}: R² {m.Extra["r2"]}");
            Assert.Equal(Math.Sqrt(m.Loss), m.Extra["rmse"], 3);
            Assert.True(m.Extra["mae"] > 0);
        });
    }

    private void AssertNothingButAggregates(string jobId)
    {
        foreach (var (method, message) in _federation.Recorder.Received.Where(r => r.Method.StartsWith("/federatedcare.v1.Federation/", StringComparison.Ordinal)))
        {
            switch (message)
            {
                case RegisterRequest or WaitForTaskRequest or DownloadModelRequest or ReportStatisticsRequest:
                case HeartbeatRequest h when h.CalculateSize() <= 64: // the node id only
                    break;
                case UpdateChunk { PayloadCase: UpdateChunk.PayloadOneofCase.Header } u:
                    Assert.All(u.Header.Metrics.Keys, k => Assert.StartsWith("train_", k, StringComparison.Ordinal));
                    break;
                case UpdateChunk:
                    break;
                case ReportMetricsRequest r:
                    Assert.All(r.Metrics, m => Assert.All(m.Extra.Keys, k => Assert.Contains(k, new[] { "auc", "f1", "rmse", "mae", "r2" })));
                    break;
                default:
                    Assert.Fail($"{method} carried an unexpected {message.GetType().Name} in job {jobId}");
                    break;
            }
        }
    }

    private static JobSpec Spec(string model, LabelTask task) => new()
    {
        Name = $"synthetic-{model}",
        Dataset = Dataset,
        Model = new ModelSpec { Name = model },
        Strategy = new StrategySpec { Name = "fedavg" },
        Rounds = 3,
        FractionFit = 1,
        MinFitClients = 3,
        MinAvailableClients = 4,
        Local = new LocalTrainingSpec { LocalEpochs = 5, BatchSize = 8, Optimizer = LocalOptimizer.Adam, LearningRate = 0.02 },
        EvaluateEvery = 1,
        RoundDeadlineSeconds = 60,
        Seed = 7,
        Schema = new DatasetSchema
        {
            Features =
            {
                new FeatureColumn { Name = "Dose", Type = ColumnType.Numeric },
                new FeatureColumn { Name = "Weight", Type = ColumnType.Numeric },
                new FeatureColumn { Name = "Smoker", Type = ColumnType.Boolean },
                new FeatureColumn { Name = "County", Type = ColumnType.Categorical, Levels = { "N", "S", "W" }, Encoding = CategoricalEncoding.OneHotDropFirst },
            },
            Label = task == LabelTask.Multiclass
                ? new LabelColumn { Name = "Outcome", Task = task, Levels = { "low", "mid", "high" } }
                : new LabelColumn { Name = "Score", Task = task },
            IgnoredColumns = { task == LabelTask.Multiclass ? "Score" : "Outcome" },
            Normalization = new Normalization { Kind = NormalizationKind.ZscoreFederated, SampleStd = true, Epsilon = 1e-9 },
            ShareLabelCounts = true,
        },
    };

    private static List<Row> Generate(int seed, int n, double shift)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Enumerable.Range(0, n).Select(_ =>
        {
            double dose = 50 + shift + 10 * Normal(), weight = 75 + shift / 2 + 12 * Normal();
            double z = (dose - 50) / 10 + (weight - 75) / 12;
            return new Row
            {
                Dose = Math.Round(dose, 2),
                Weight = Math.Round(weight, 1),
                Smoker = random.NextDouble() < 0.3,
                County = "NSW"[random.Next(3)].ToString(),
                Outcome = z < -0.6 ? "low" : z < 0.6 ? "mid" : "high",
                Score = Math.Round(3 * (dose - 50) / 10 - 2 * (weight - 75) / 12 + 0.2 * Normal(), 3),
            };
        }).ToList();
    }

    private void WriteCsv(string name, IEnumerable<Row> rows, char delimiter, NumberFormatInfo numbers)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(delimiter, "Dose", "Weight", "Smoker", "County", "Outcome", "Score"));
        foreach (var r in rows)
            text.AppendLine(string.Join(delimiter, r.Dose.ToString(numbers), r.Weight.ToString(numbers), r.Smoker ? "true" : "false",
                r.County, r.Outcome, r.Score.ToString(numbers)));
        File.WriteAllText(Path.Combine(_dir, name), text.ToString());
    }
}

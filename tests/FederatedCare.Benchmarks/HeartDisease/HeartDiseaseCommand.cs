using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FederatedCare.Benchmarks.Baselines;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.Wire;
using Grpc.Net.Client;

namespace FederatedCare.Benchmarks.HeartDisease;

/// <summary>
/// <c>heart-disease --coordinator URL --specs DIR --data DIR --out DIR [--seeds 42,43,44,45,46]</c>: FLamby's
/// Fed-Heart-Disease table. Pooled runs in this process (a reference only); the local baselines and every federated
/// strategy run as jobs on the live federation at URL (coordinator and four node agents already up). Writes
/// <c>benchmark.csv</c> and prints each method's seed-mean beside FLamby's published figure.
/// </summary>
public static class HeartDiseaseCommand
{
    /// <summary>Federated methods and the job spec file each runs from.</summary>
    public static readonly IReadOnlyList<string> FederatedMethods = ["fedavg", "fedprox", "scaffold", "fedadam", "fedyogi", "fedadagrad"];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "Address of the running coordinator.", Required = true };
        var specs = new Option<string>("--specs") { Description = "Folder with local.json and <method>.json job specs.", Required = true };
        var data = new Option<string>("--data") { Description = "Folder with the heart-disease files (for the pooled baseline and FLamby's figures).", Required = true };
        var output = new Option<string>("--out") { Description = "Where benchmark.csv goes.", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds.", DefaultValueFactory = _ => "42,43,44,45,46" };
        var command = new Command("heart-disease", "FLamby's Fed-Heart-Disease benchmark against a live federation.") { coordinator, specs, data, output, seeds };
        command.SetAction(async (parse, ct) =>
        {
            var seedList = parse.GetRequiredValue(seeds).Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
            var rows = await RunAsync(parse.GetRequiredValue(coordinator), parse.GetRequiredValue(specs), parse.GetRequiredValue(data), seedList, ct);
            var outDir = parse.GetRequiredValue(output);
            Directory.CreateDirectory(outDir);
            File.WriteAllLines(Path.Combine(outDir, "benchmark.csv"), [BenchmarkRow.Header, .. rows.Select(r => r.ToCsv())]);
            PrintSummary(rows, PublishedResults.MeanBySeeds(Path.Combine(parse.GetRequiredValue(data), "flamby_published_results.csv"), seedList.ToHashSet()));
            return 0;
        });
        return command;
    }

    private static async Task<List<BenchmarkRow>> RunAsync(string address, string specDir, string dataDir, IReadOnlyList<long> seeds, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var runs = new FederatedRuns(channel);
        var baseline = new Baseline(new ModelZoo(), new TorchRuntime(1, "cpu"));
        var centres = HeartCentre.All.ToDictionary(c => c, c => c.Load(dataDir));
        // FLamby's pooled baseline scales the concatenated training rows with shared statistics (see PooledTraining).
        var pooledTrain = PooledTraining.Load(dataDir, HeartCentre.PooledOrder, PooledScaling.Pooled);
        var rows = new List<BenchmarkRow>();
        foreach (var seed in seeds)
        {
            var clock = Stopwatch.StartNew();
            var pooled = baseline.Run(pooledTrain, HeartCentre.All.Select(c => (c, centres[c])).ToList(), new BaselineSettings(seed, 50, 0.001, 4, "pooled"));
            Add(rows, new BenchmarkRow("pooled", seed, pooled.Select(p => p.Result.Accuracy).ToList(), clock.Elapsed.TotalSeconds));

            var local = JobSpecFile.Load(Path.Combine(specDir, "local.json"));
            local.Seed = seed;
            foreach (var row in await runs.RunLocalAsync(local, ct)) Add(rows, row);

            foreach (var method in FederatedMethods)
            {
                var spec = JobSpecFile.Load(Path.Combine(specDir, method + ".json"));
                spec.Seed = seed;
                // FLamby's table times the 15 rounds of training and one evaluation at the end: no per-round
                // federated evaluation and no cross-site phase (the demo does both).
                spec.CrossSiteValidation = false;
                spec.EvaluateEvery = spec.Rounds;
                Add(rows, await runs.RunFederatedAsync(method, spec, ct));
            }
        }
        return rows;
    }

    private static void Add(List<BenchmarkRow> rows, BenchmarkRow row)
    {
        rows.Add(row);
        Console.WriteLine(row.ToCsv());
    }

    /// <summary>
    /// A difference with its sign, e.g. <c>+0.0123</c> or <c>-0.0045</c>; one that rounds to zero is <c>+0.0000</c>
    /// (the format <c>+0.0000;-0.0000</c> gives <c>-+0.0000</c> for a small negative one).
    /// </summary>
    private static string SignedDifference(double difference) => double.IsNaN(difference) ? "NaN"
        : (Math.Round(difference, 4, MidpointRounding.AwayFromZero) >= 0 ? "+" : "-") + Math.Abs(difference).ToString("0.0000", CultureInfo.InvariantCulture);

    private static void PrintSummary(IReadOnlyList<BenchmarkRow> rows, IReadOnlyDictionary<string, double> flamby)
    {
        Console.WriteLine();
        Console.WriteLine($"{"method",-18} {string.Join(" ", Regions.Columns.Select(c => $"{c,11}"))} {"mean",8} {"FLamby",8} {"diff",7} {"wall_s",7}");
        foreach (var method in rows.Select(r => r.Method).Distinct())
        {
            var mine = rows.Where(r => r.Method == method).ToList();
            var perRegion = Enumerable.Range(0, Regions.Columns.Count).Select(i => mine.Average(r => r.Accuracies[i]));
            var mean = mine.Average(r => r.Mean);
            var reference = flamby.TryGetValue(method, out var f) ? f : double.NaN;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{method,-18} {string.Join(" ", perRegion.Select(a => $"{a,11:0.0000}"))} {mean,8:0.0000} {reference,8:0.0000} {SignedDifference(mean - reference),7} {mine.Average(r => r.WallSeconds),7:0.00}"));
        }
    }
}

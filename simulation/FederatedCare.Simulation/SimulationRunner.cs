using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Simulation;

/// <summary>
/// Runs a federation of virtual clients in one process through the coordinator's own round machinery, skipping only
/// gRPC: the strategy from the same registry jobs use selects the clients (<see cref="IStrategy.ConfigureFit"/>), an
/// <see cref="OpenRound"/> collects the updates (duplicate and late updates handled as for real nodes), large updates
/// fold into a <see cref="RoundAggregation"/>'s running sum as they arrive and small ones are aggregated in region
/// order by <see cref="IStrategy.AggregateFit"/> — the coordinator's rule (<see cref="AggregationOptions.StreamingMinBytes"/>).
/// Clients hold a partition of a seeded synthetic dataset and train an <see cref="Mlp"/>; clients with no rows
/// take no part. SCAFFOLD is not supported (its client control variates need node state).
/// Deterministic: the same options give the same results (updates of small models are aggregated in client order).
/// </summary>
public sealed class SimulationRunner(SimulationOptions options)
{
    /// <summary>Runs every round, calling <paramref name="onRound"/> after each.</summary>
    /// <exception cref="ArgumentException">Unknown strategy or partition, or SCAFFOLD.</exception>
    public IReadOnlyList<RoundResult> Run(Action<RoundResult>? onRound = null, CancellationToken cancellationToken = default)
    {
        var spec = new StrategySpec { Name = options.Strategy, Parameters = { options.StrategyParameters } };
        var strategy = new StrategyRegistry(BuiltInStrategies.All).Create(spec);
        if (strategy is Scaffold) throw new ArgumentException("Simulation does not support scaffold (client control variates).");
        IPartitioner partitioner = options.Partition.ToLowerInvariant() switch
        {
            "iid" => new IidPartitioner(),
            "dirichlet" => new DirichletPartitioner(options.Alpha),
            _ => throw new ArgumentException($"partition '{options.Partition}' is not iid or dirichlet."),
        };
        var (train, test) = SyntheticDataset.Generate(options.TrainRows, options.TestRows, options.Width, options.Classes, 1.0, options.Seed);
        var parts = partitioner.Split(train, options.Clients, options.Seed);
        var clients = new Dictionary<string, Dataset>(StringComparer.Ordinal);
        var available = new List<AvailableClient>();
        for (int c = 0; c < parts.Count; c++)
        {
            if (parts[c].Length == 0) continue;
            var region = string.Create(CultureInfo.InvariantCulture, $"client-{c:D5}");
            clients[region] = train.Subset(parts[c]);
            available.Add(new AvailableClient(region, region));
        }
        var jobSpec = new JobSpec
        {
            Name = "simulation", Strategy = spec, Rounds = options.Rounds, FractionFit = options.FractionFit,
            MinFitClients = 1, Seed = options.Seed,
        };
        var mlp = new Mlp(options.Width, options.Hidden, options.Classes);
        var global = mlp.Initial(options.Seed);
        var results = new List<RoundResult>();
        for (int round = 1; round <= options.Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            (global, var trainLoss, int count) = RunRound(round, strategy, jobSpec, available, clients, mlp, global);
            var (loss, accuracy) = mlp.Evaluate(global, test);
            // Measured after a full collection, so the figure shows what the simulation holds, not uncollected garbage.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var result = new RoundResult(round, count, watch.Elapsed.TotalSeconds, trainLoss, loss, accuracy,
                Process.GetCurrentProcess().WorkingSet64 / 1e6);
            results.Add(result);
            onRound?.Invoke(result);
        }
        return results;
    }

    private (ModelParameters Global, double TrainLoss, int Clients) RunRound(int round, IStrategy strategy, JobSpec spec,
        IReadOnlyList<AvailableClient> available, IReadOnlyDictionary<string, Dataset> clients, Mlp mlp, ModelParameters global)
    {
        var plan = strategy.ConfigureFit(new FitContext(round, 0, spec, available, global));
        var expected = strategy.ExpectedUpdate(global);
        using var aggregation = RoundAggregation.Create(strategy, expected, keepsUpdates: false, options.Aggregation);
        var open = new OpenRound("simulation", round, RoundPhase.Fit, "", expected, plan.Clients, DateTimeOffset.MaxValue, aggregation: aggregation);
        float mu = plan.Instructions.Parameters.TryGetValue(WireNames.Strategies.FedProxMu, out var m) ? (float)m : 0f;
        var losses = new ConcurrentDictionary<string, (double Loss, long N)>(StringComparer.Ordinal);
        Parallel.ForEach(plan.Clients, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, client =>
        {
            var data = clients[client.Region];
            var (delta, loss) = mlp.Train(global, data, options.LocalEpochs, options.BatchSize, (float)options.LearningRate, mu,
                StableSeed(options.Seed, round, client.Region));
            losses[client.Region] = (loss, data.Rows);
            if (aggregation is null)
            {
                open.Submit(client.NodeId, new ClientUpdate(client.Region, data.Rows, delta, new Dictionary<string, double>()));
                return;
            }
            using var buffer = aggregation.RentAsync(CancellationToken.None).GetAwaiter().GetResult();
            for (int t = 0; t < delta.Tensors.Count; t++) delta.Tensors[t].Values.CopyTo(buffer.Arrays[t], 0);
            open.Submit(client.NodeId, new ClientUpdate(client.Region, data.Rows, ClientUpdate.Folded, new Dictionary<string, double>()),
                () => aggregation.Fold(buffer, data.Rows));
        });
        var answers = open.Close();
        var updates = answers.Updates.Values.OrderBy(u => u.Region, StringComparer.Ordinal).ToList();
        var next = aggregation is not null ? aggregation.Finish(global) : strategy.AggregateFit(global, updates);
        long total = losses.Values.Sum(l => l.N);
        double trainLoss = losses.Values.Sum(l => l.Loss * l.N) / Math.Max(1, total);
        return (next, trainLoss, updates.Count);
    }

    // A seed from (seed, round, region) that does not depend on string.GetHashCode's per-process randomisation.
    private static int StableSeed(int seed, int round, string region)
    {
        unchecked
        {
            int h = seed * 31 + round;
            foreach (char ch in region) h = h * 31 + ch;
            return h;
        }
    }
}

using System.Globalization;
using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Storage.InMemory;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace FederatedCare.Simulation;

/// <summary>
/// Runs a federation of virtual clients in one process through the coordinator's production job engine
/// (<see cref="JobEngine"/>: the same phases, retries, deadlines, min_fit_clients, differential privacy, non-finite
/// check and strategies), skipping only gRPC and the database: <see cref="VirtualClient"/>s answer the tasks in process
/// and an <see cref="InMemoryCoordinatorStore"/> holds the job (with the latest global model only, so memory does not
/// grow with the rounds). Clients hold a partition of a seeded synthetic dataset and train an <see cref="Mlp"/>; clients
/// with no rows take no part. After every fit round the new global model is evaluated on the central test set.
/// Deterministic: the same options give the same results while the updates a round holds stay within
/// <see cref="AggregationOptions.BufferedBytesBudget"/> (aggregated in region order); past it the round's accumulator
/// folds them in arrival order, equal up to rounding.
/// </summary>
public sealed class SimulationRunner(SimulationOptions options)
{
    private const string JobId = "simulation";

    /// <summary>Runs every round, calling <paramref name="onRound"/> after each.</summary>
    /// <exception cref="ArgumentException">Unknown strategy or partition, or privacy with a strategy that is not a mean.</exception>
    /// <exception cref="JobFailedException">A round failed as a job would (too few updates, a non-finite model).</exception>
    public IReadOnlyList<RoundResult> Run(Action<RoundResult>? onRound = null, CancellationToken cancellationToken = default)
    {
        IPartitioner partitioner = options.Partition.ToLowerInvariant() switch
        {
            "iid" => new IidPartitioner(),
            "dirichlet" => new DirichletPartitioner(options.Alpha),
            _ => throw new ArgumentException($"partition '{options.Partition}' is not iid or dirichlet."),
        };
        var spec = Spec();
        var strategies = new StrategyRegistry(BuiltInStrategies.All);
        strategies.Create(spec.Strategy);
        if (PrivacySpecValidator.Validate(spec, strategies) is { } invalid) throw new ArgumentException(invalid);

        var (train, test) = SyntheticDataset.Generate(options.TrainRows, options.TestRows, options.Width, options.Classes, 1.0, options.Seed);
        var parts = partitioner.Split(train, options.Clients, options.Seed);
        var mlp = new Mlp(options.Width, options.Hidden, options.Classes);
        var cache = new ModelCache();
        var clients = new VirtualClients(cache, options.Parallelism);
        for (int c = 0; c < parts.Count; c++)
        {
            if (parts[c].Length == 0) continue;
            clients.Add(new VirtualClient(string.Create(CultureInfo.InvariantCulture, $"client-{c:D5}"), train.Subset(parts[c]), mlp, options, clients));
        }
        int connected = clients.Connected([], spec.Dataset).Count;
        if (connected < options.MinFitClients)
            throw new ArgumentException($"--min-fit-clients {options.MinFitClients} is more than the {connected} clients with rows: the run would wait for ever.");
        // Only the latest global model stays in memory (the round results read it once, when its round completes).
        var store = new InMemoryCoordinatorStore();
        var results = new RoundResults(store, mlp, test, onRound);
        var engine = new JobEngine(store, clients, new RoundBoard(), results, cache, strategies, new NoiseKey(NoiseSecret()), NoChaos.Instance,
            new JobEngineOptions { DefaultRoundDeadlineSeconds = options.RoundDeadlineSeconds, EvaluationSplits = [WireNames.Splits.Train], Aggregation = options.Aggregation,
                Retention = new ModelRetention { KeepLastRounds = 1 } },
            TimeProvider.System, NullLogger<JobEngine>.Instance);
        var job = new JobStatus { JobId = JobId, Spec = spec, State = JobState.Pending };
        store.Jobs.TryCreateAsync(job, cancellationToken).GetAwaiter().GetResult();
        try
        {
            engine.RunAsync(job, cancellationToken).GetAwaiter().GetResult();
        }
        catch (JobFailedException) when (clients.Failure is { } failure)
        {
            throw new InvalidOperationException($"a virtual client failed: {failure.Message}", failure);
        }
        return results.All;
    }

    private JobSpec Spec() => new()
    {
        Name = "simulation",
        Dataset = "synthetic",
        Model = new ModelSpec { Name = "mlp" },
        Strategy = new StrategySpec { Name = options.Strategy, Parameters = { options.StrategyParameters } },
        Rounds = options.Rounds,
        FractionFit = options.FractionFit,
        MinFitClients = options.MinFitClients,
        MaxRoundRetries = options.MaxRoundRetries,
        RoundDeadlineSeconds = options.RoundDeadlineSeconds,
        Seed = options.Seed,
        Privacy = options.Privacy,
    };

    // The DP noise key of a simulation is derived from its seed, so a run is reproducible (a coordinator keeps its key secret).
    private byte[] NoiseSecret() => System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(options.Seed));
}

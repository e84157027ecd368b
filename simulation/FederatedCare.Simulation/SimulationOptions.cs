using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Protos.V1;

namespace FederatedCare.Simulation;

/// <summary>Everything that defines one simulation run (the command line maps onto it one to one).</summary>
public sealed class SimulationOptions
{
    /// <summary>Virtual clients.</summary>
    public int Clients { get; set; } = 1000;
    /// <summary>Fit rounds.</summary>
    public int Rounds { get; set; } = 20;
    /// <summary><c>iid</c> or <c>dirichlet</c>.</summary>
    public string Partition { get; set; } = "iid";
    /// <summary>Dirichlet concentration α (partition <c>dirichlet</c>).</summary>
    public double Alpha { get; set; } = 0.5;
    /// <summary>Strategy name as in a job spec: fedavg, fedprox, fedadam, fedyogi, fedadagrad, median, trimmed_mean, krum.</summary>
    public string Strategy { get; set; } = "fedavg";
    /// <summary>Strategy parameters, e.g. mu for fedprox.</summary>
    public Dictionary<string, double> StrategyParameters { get; set; } = [];
    /// <summary>Fraction of clients selected per round.</summary>
    public double FractionFit { get; set; } = 1.0;
    /// <summary>Local epochs per round.</summary>
    public int LocalEpochs { get; set; } = 1;
    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; set; } = 16;
    /// <summary>Local SGD learning rate.</summary>
    public double LearningRate { get; set; } = 0.05;
    /// <summary>Training rows of the synthetic dataset (spread over the clients).</summary>
    public int TrainRows { get; set; } = 60_000;
    /// <summary>Test rows (global evaluation after every round).</summary>
    public int TestRows { get; set; } = 10_000;
    /// <summary>Features per row.</summary>
    public int Width { get; set; } = 32;
    /// <summary>Classes.</summary>
    public int Classes { get; set; } = 10;
    /// <summary>Hidden units of the MLP.</summary>
    public int Hidden { get; set; } = 32;
    /// <summary>Seed of data, partition, initial model, selection and shuffling.</summary>
    public int Seed { get; set; } = 42;
    /// <summary>Aggregation settings (the buffered bytes budget), as the coordinator's <c>Coordinator:Aggregation</c>.</summary>
    public AggregationOptions Aggregation { get; set; } = new();
    /// <summary>Fewest updates a round aggregates (min_fit_clients); fewer after every retry fail the run.</summary>
    public int MinFitClients { get; set; } = 1;
    /// <summary>Attempts of a round beyond the first when too few clients answered (max_round_retries).</summary>
    public int MaxRoundRetries { get; set; }
    /// <summary>Seconds a round waits for its clients (round_deadline_seconds).</summary>
    public double RoundDeadlineSeconds { get; set; } = 3600;
    /// <summary>Differential privacy as in a job spec (clipping norm, noise multiplier, clipping side); null for none.</summary>
    public PrivacySpec? Privacy { get; set; }
    /// <summary>Clients trained in parallel; default the core count. Each holds two model-sized parameter sets (weights and gradients) while it trains.</summary>
    public int Parallelism { get; set; } = Environment.ProcessorCount;
}

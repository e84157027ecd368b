using FederatedCare.Coordinator.Diagnostics;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>What a <see cref="JobExecution"/> works with, resolved once by the runner.</summary>
internal sealed class JobRunnerServices(ICoordinatorStore store, NodeRegistry registry, RoundBoard board, JobEvents events,
    ModelCache cache, StrategyRegistry strategies, ChaosHook chaos, NoiseKey noiseKey, IOptions<CoordinatorOptions> options, TimeProvider time,
    ILogger<JobRunner> logger)
{
    public ICoordinatorStore Store { get; } = store;
    public NodeRegistry Registry { get; } = registry;
    public RoundBoard Board { get; } = board;
    public JobEvents Events { get; } = events;
    public ModelCache Cache { get; } = cache;
    public StrategyRegistry Strategies { get; } = strategies;
    public ChaosHook Chaos { get; } = chaos;
    public NoiseKey NoiseKey { get; } = noiseKey;
    public CoordinatorOptions Options { get; } = options.Value;
    public TimeProvider Time { get; } = time;
    public ILogger Logger { get; } = logger;
}

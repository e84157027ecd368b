using FederatedCare.Federation.Core.Aggregation;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Tests;

/// <summary>Helpers for the hand-computed strategy examples: updates that move only the bias of <see cref="TestModels.LogReg"/>.</summary>
internal static class StrategyTestData
{
    public static readonly IReadOnlyDictionary<string, double> NoMetrics = new Dictionary<string, double>();

    /// <summary>An update whose delta is zero except the bias, <paramref name="bias"/>.</summary>
    public static ClientUpdate Bias(string region, long n, float bias, float? controlBias = null) =>
        new(region, n, TestModels.LogReg([0f, 0f], bias), NoMetrics,
            controlBias is { } c ? TestModels.LogReg([0f, 0f], c) : null);

    public static float BiasOf(ModelParameters model) => model.Tensors[1].Values[0];

    /// <summary>
    /// The next global model through the production accumulator (buffered, region order), round <paramref name="round"/>
    /// with <paramref name="available"/> clients available (default: one per update).
    /// </summary>
    public static ModelParameters Aggregate(IStrategy strategy, ModelParameters global, IReadOnlyList<ClientUpdate> updates, int round = 1,
        int? available = null) =>
        RoundAccumulator.Aggregate(strategy, Context(global, round, available ?? updates.Count, new StrategySpec { Name = strategy.Name }), updates);

    public static FitContext Context(ModelParameters global, int round, int available, StrategySpec strategy)
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Strategy = strategy;
        var clients = Enumerable.Range(0, available).Select(i => new AvailableClient($"node-{i}", $"region-{i}")).ToList();
        return new FitContext(round, 0, spec, clients, global);
    }
}

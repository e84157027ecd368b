using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// How a job trains, by its <c>spec.mode</c> (the contract's <see cref="JobMode"/>): <see cref="FederatedMode"/> runs rounds of the strategy; <see cref="LocalMode"/>
/// has one fit round in which every connected region trains alone from the initial model, nothing is aggregated (the
/// global model stays the initial one), only round 0 is evaluated, and cross-site validation always follows.
/// </summary>
public abstract class TrainingMode
{
    /// <summary>The mode of <paramref name="spec"/>.</summary>
    public static TrainingMode For(JobSpec spec) => JobModes.IsLocal(spec) ? new LocalMode() : new FederatedMode(spec);

    /// <summary>The last fit round's number.</summary>
    public abstract int Rounds { get; }

    /// <summary>Whether cross-site validation follows the last round (its local models are then stored each round).</summary>
    public abstract bool CrossSite { get; }

    /// <summary>Whether the final global model is one of the cross-site models.</summary>
    public abstract bool CrossSiteGlobal { get; }

    /// <summary>For the log: what trains, e.g. "fedavg".</summary>
    public abstract string Describe(IStrategy strategy);

    /// <summary>Whether round <paramref name="round"/> is followed by federated evaluation.</summary>
    public abstract bool ShouldEvaluate(int round);

    /// <summary>The job's strategy, with privacy wrapped in DP-FedAvg where the mode aggregates.</summary>
    /// <exception cref="JobFailedException">Privacy with a strategy whose aggregate is not a mean (refused at StartJob already).</exception>
    public virtual IStrategy CreateStrategy(StrategyRegistry strategies, NoiseKey noiseKey, string jobId, JobSpec spec) =>
        strategies.Create(spec.Strategy);

    /// <summary>Who trains in this attempt and with which instructions.</summary>
    public abstract FitPlan Plan(IStrategy strategy, FitContext context);

    /// <summary>The attempt's aggregation: its accumulator and how the next global model follows from it.</summary>
    public abstract FitAggregation StartAggregation(IStrategy strategy, FitContext context, JobEngineOptions options);

    /// <summary>Stores the strategy's server state after <paramref name="round"/>, where there is one.</summary>
    public abstract Task SaveStateAsync(ICoordinatorStore store, string jobId, int round, IStrategy strategy, CancellationToken ct);

    /// <summary>Gives the strategy the state stored after <paramref name="round"/>, where there is one.</summary>
    public abstract Task RestoreStateAsync(ICoordinatorStore store, string jobId, int round, IStrategy strategy, CancellationToken ct);
}

/// <summary>Rounds 1..spec.rounds of the strategy, with federated evaluation after round 0, every evaluate_every rounds and the last.</summary>
public sealed class FederatedMode(JobSpec spec) : TrainingMode
{
    /// <inheritdoc />
    public override int Rounds => spec.Rounds;

    /// <inheritdoc />
    public override bool CrossSite => spec.CrossSiteValidation;

    /// <inheritdoc />
    public override bool CrossSiteGlobal => true;

    /// <inheritdoc />
    public override string Describe(IStrategy strategy) => strategy.Name;

    /// <summary>After round 0, every evaluate_every rounds (0: none in between, as jobs.proto says) and after the last.</summary>
    public static bool ShouldEvaluate(int round, int rounds, int evaluateEvery) =>
        round == 0 || round == rounds || (evaluateEvery > 0 && round % evaluateEvery == 0);

    /// <inheritdoc />
    public override bool ShouldEvaluate(int round) => ShouldEvaluate(round, spec.Rounds, spec.EvaluateEvery);

    /// <inheritdoc />
    public override IStrategy CreateStrategy(StrategyRegistry strategies, NoiseKey noiseKey, string jobId, JobSpec spec)
    {
        var strategy = base.CreateStrategy(strategies, noiseKey, jobId, spec);
        if (PrivacySettings.From(spec) is not { } privacy) return strategy;
        return strategy is IModelDeltaStrategy mean ? new DpFedAvg(mean, privacy, noiseKey, jobId, spec.Seed)
            : throw new JobFailedException($"spec.privacy needs a strategy whose aggregate is a mean of the updates; '{strategy.Name}' is not one.");
    }

    /// <inheritdoc />
    public override FitPlan Plan(IStrategy strategy, FitContext context) => strategy.ConfigureFit(context);

    /// <inheritdoc />
    public override FitAggregation StartAggregation(IStrategy strategy, FitContext context, JobEngineOptions options) =>
        FitAggregation.Aggregating(strategy, context, keepsUpdates: CrossSite, options.Aggregation);

    /// <inheritdoc />
    public override Task SaveStateAsync(ICoordinatorStore store, string jobId, int round, IStrategy strategy, CancellationToken ct) =>
        StrategyCheckpoint.SaveAsync(store, jobId, round, strategy, ct);

    /// <inheritdoc />
    public override Task RestoreStateAsync(ICoordinatorStore store, string jobId, int round, IStrategy strategy, CancellationToken ct) =>
        StrategyCheckpoint.RestoreAsync(store, jobId, round, strategy, ct);
}

/// <summary>One round of local training per region; see <see cref="TrainingMode"/>.</summary>
public sealed class LocalMode : TrainingMode
{
    /// <inheritdoc />
    public override int Rounds => 1;

    /// <inheritdoc />
    public override bool CrossSite => true;

    /// <inheritdoc />
    public override bool CrossSiteGlobal => false;

    /// <inheritdoc />
    public override string Describe(IStrategy strategy) => "local training";

    /// <summary>The initial model only: round 1 leaves the global model unchanged.</summary>
    public override bool ShouldEvaluate(int round) => round == 0;

    /// <summary>Every connected region trains plainly (no proximal term, no control variates).</summary>
    public override FitPlan Plan(IStrategy strategy, FitContext context) =>
        new(context.Available, new StrategySpec { Name = FedAvg.StrategyName });

    /// <summary>Updates of the model's layout (a plain FedAvg round: no norm measured, no control deltas), kept whole for cross-site validation.</summary>
    public override FitAggregation StartAggregation(IStrategy strategy, FitContext context, JobEngineOptions options) =>
        FitAggregation.Collecting(LocalTraining, context, options.Aggregation);

    private static readonly FedAvg LocalTraining = new(new FedAvgOptions());

    /// <inheritdoc />
    public override Task SaveStateAsync(ICoordinatorStore store, string jobId, int round, IStrategy strategy, CancellationToken ct) => Task.CompletedTask;

    /// <inheritdoc />
    public override Task RestoreStateAsync(ICoordinatorStore store, string jobId, int round, IStrategy strategy, CancellationToken ct) => Task.CompletedTask;
}

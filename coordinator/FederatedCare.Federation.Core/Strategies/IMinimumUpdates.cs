namespace FederatedCare.Federation.Core.Strategies;

/// <summary>
/// A strategy that cannot aggregate fewer than a number of updates (Krum: more than 2f + 2). Checked against
/// <c>min_fit_clients</c> at StartJob, so a job that a round with only the required minimum of regions would break is
/// refused before it starts instead of failing at round 1.
/// </summary>
public interface IMinimumUpdates
{
    /// <summary>The fewest updates a round can aggregate.</summary>
    int MinimumUpdates { get; }

    /// <summary>Why, in terms of the strategy's parameters, e.g. "more than 2·num_byzantine + 2 = 4 (num_byzantine = 1)".</summary>
    string MinimumReason { get; }
}

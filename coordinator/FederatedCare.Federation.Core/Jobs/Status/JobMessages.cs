using System.Globalization;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>The text of a job's status messages.</summary>
public static class JobMessages
{
    /// <summary>
    /// The federated evaluation summary in the job message, e.g. "; test accuracy 0.7812, loss 0.4811, AUC 0.8420
    /// (example-weighted, 4 regions; AUC over 3)": loss and accuracy (regression: RMSE; survival: Harrell's C) over
    /// every region, AUC over those reporting it.
    /// </summary>
    public static string DescribeTest(RegionMetrics mean, IReadOnlyList<RegionMetrics> regions)
    {
        int withAuc = regions.Count(m => m.Extra.ContainsKey(MetricsAggregation.Auc));
        // Regression rows carry RMSE and no accuracy: their summary must not read "accuracy 0.0000".
        // Survival rows likewise carry Harrell's C instead.
        var text = mean.Extra.TryGetValue(WireNames.Metrics.CIndex, out var c)
            ? string.Create(CultureInfo.InvariantCulture, $"; test C-index {c:0.0000}, loss {mean.Loss:0.0000}")
            : mean.Extra.TryGetValue(WireNames.Metrics.Rmse, out var rmse)
            ? string.Create(CultureInfo.InvariantCulture, $"; test RMSE {rmse:0.0000}, loss {mean.Loss:0.0000}")
            : string.Create(CultureInfo.InvariantCulture, $"; test accuracy {mean.Accuracy:0.0000}, loss {mean.Loss:0.0000}");
        if (mean.Extra.TryGetValue(MetricsAggregation.Auc, out var auc)) text += string.Create(CultureInfo.InvariantCulture, $", AUC {auc:0.0000}");
        return text + (withAuc > 0 && withAuc < regions.Count
            ? $" (example-weighted, {regions.Count} regions; AUC over {withAuc})"
            : $" (example-weighted, {regions.Count} regions)");
    }

    /// <summary>The privacy spent so far in the job message, e.g. "; privacy ε = 6.42 at δ = 1e-5" (∞ without noise).</summary>
    public static string DescribePrivacy(RoundPrivacy privacy) => double.IsPositiveInfinity(privacy.Epsilon)
        ? string.Create(CultureInfo.InvariantCulture, $"; privacy ε = ∞ at δ = {privacy.Delta:0.##e0} (too little noise for any guarantee)")
        : string.Create(CultureInfo.InvariantCulture, $"; privacy ε = {privacy.Epsilon:0.00} at δ = {privacy.Delta:0.##e0}");

    /// <summary>What a round of <paramref name="phase"/> does, e.g. "training".</summary>
    public static string Describe(RoundPhase phase) => phase switch
    {
        RoundPhase.Initialize => "initialising the model",
        RoundPhase.Fit => "training",
        RoundPhase.CrossSite => "cross-site validation",
        RoundPhase.Analysis => "analysis",
        _ => "evaluating",
    };

    /// <summary>A duration in seconds, e.g. "2.5".</summary>
    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A duration for a person: "45 s", "12 min", "23.9 h".</summary>
    public static string Duration(TimeSpan t) => t.TotalSeconds < 120 ? $"{Seconds(t)} s"
        : t.TotalMinutes < 120 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalHours:0.#} h");
}

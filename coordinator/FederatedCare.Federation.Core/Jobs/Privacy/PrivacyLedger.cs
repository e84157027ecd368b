using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Logging;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// The privacy a DP job has spent: a <see cref="PrivacyAccountant"/> that composes one sampled-Gaussian round per
/// stored fit round, rebuilt from the stored rounds after a restart, so a resumed job counts nothing twice.
/// Jobs without privacy spend nothing.
/// </summary>
public sealed class PrivacyLedger(string jobId, PrivacySettings? privacy, ILogger logger)
{
    private readonly PrivacyAccountant _accountant = new();

    /// <summary>Composes the rounds a previous run stored (those with <see cref="RoundSummary.Privacy"/>), in round order.</summary>
    public void Restore(IEnumerable<RoundSummary> stored)
    {
        foreach (var done in stored.Where(r => r.Privacy is not null).OrderBy(r => r.Round))
            _accountant.AddRound(done.Privacy.SamplingRate, privacy!.NoiseMultiplier);
    }

    /// <summary>
    /// Composes one more DP round accounted at sampling rate <paramref name="samplingRate"/>, whose mean of
    /// <paramref name="updates"/> clipped updates was noised; returns the total spent so far, null without privacy.
    /// </summary>
    public RoundPrivacy? Spend(int round, double samplingRate, int updates)
    {
        if (privacy is null) return null;
        _accountant.AddRound(samplingRate, privacy.NoiseMultiplier);
        var (epsilon, order) = _accountant.Spent(privacy.Delta);
        var spent = new RoundPrivacy
        {
            Epsilon = epsilon,
            Delta = privacy.Delta,
            RdpOrder = order,
            SamplingRate = samplingRate,
            NoiseStddev = privacy.NoiseStdDev(updates),
        };
        JobLog.PrivacySpent(logger, jobId, round, epsilon, spent.Delta, order, samplingRate, spent.NoiseStddev, updates);
        return spent;
    }
}

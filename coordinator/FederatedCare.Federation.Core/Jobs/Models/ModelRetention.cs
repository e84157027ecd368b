using System.Globalization;
using FederatedCare.Federation.Core.Storage;

namespace FederatedCare.Federation.Core.Jobs;

/// <summary>
/// Which of a job's per-round models stay stored (section <c>Coordinator:Retention</c>): the last
/// <see cref="KeepLastRounds"/> rounds and every <see cref="KeepEveryRounds"/>-th. A round's models are its global
/// model (<c>round-r</c>), the strategy's server state (<c>strategy-r&lt;r&gt;-…</c>) and SCAFFOLD's server control
/// (<c>control-r</c>). The latest round is always kept: a resume starts from it. Round rows and metrics are never
/// removed, and neither are cross-site local models (<c>local-…</c>). Defaults keep everything.
/// </summary>
public sealed class ModelRetention
{
    /// <summary>How many of the latest rounds keep their models; 0 (the default) keeps every round.</summary>
    public int KeepLastRounds { get; set; }

    /// <summary>Also keep the models of every round divisible by this (0, the default: none besides the last ones).</summary>
    public int KeepEveryRounds { get; set; }

    /// <summary>Whether round <paramref name="round"/>'s models stay once round <paramref name="latest"/> is stored.</summary>
    public bool Keeps(int round, int latest) =>
        KeepLastRounds <= 0 || round > latest - KeepLastRounds || round >= latest
        || (KeepEveryRounds > 0 && round % KeepEveryRounds == 0);

    /// <summary>Removes the models of the job's rounds that <see cref="Keeps"/> no longer keeps, once <paramref name="latest"/> is stored.</summary>
    /// <returns>The rounds whose models were removed now.</returns>
    public async Task<IReadOnlyList<int>> ApplyAsync(IModelStore models, string jobId, int latest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (KeepLastRounds <= 0) return [];
        var dropped = new SortedSet<int>();
        foreach (var (name, _) in await models.ListAsync(jobId, "", ct).ConfigureAwait(false))
        {
            if (RoundOf(name) is not { } round || Keeps(round, latest)) continue;
            await models.DeleteAsync(jobId, name, ct).ConfigureAwait(false);
            dropped.Add(round);
        }
        return [.. dropped];
    }

    // round-<r>, control-<r>, strategy-r<r>-<name>: the round they belong to; null for any other name.
    private static int? RoundOf(string name)
    {
        ReadOnlySpan<char> digits;
        if (name.StartsWith(ModelNames.RoundPrefix, StringComparison.Ordinal)) digits = name.AsSpan(ModelNames.RoundPrefix.Length);
        else if (name.StartsWith(ModelNames.ControlPrefix, StringComparison.Ordinal)) digits = name.AsSpan(ModelNames.ControlPrefix.Length);
        else if (name.StartsWith(ModelNames.StrategyStatePrefix, StringComparison.Ordinal))
        {
            var rest = name.AsSpan(ModelNames.StrategyStatePrefix.Length);
            int dash = rest.IndexOf('-');
            if (dash < 0) return null;
            digits = rest[..dash];
        }
        else return null;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var round) ? round : null;
    }
}

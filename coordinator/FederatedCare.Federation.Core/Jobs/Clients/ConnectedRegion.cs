namespace FederatedCare.Federation.Core.Jobs;

/// <summary>A connected region and the datasets its agent registered (names as jobs use them), as a job's status shows it.</summary>
/// <param name="Region">The region's identifier.</param>
/// <param name="Datasets">Its datasets, sorted (ordinal).</param>
public sealed record ConnectedRegion(string Region, IReadOnlyList<string> Datasets)
{
    /// <summary>E.g. <c>Halland (datasets: heart-disease)</c>.</summary>
    public override string ToString() => $"{Region} (datasets: {(Datasets.Count > 0 ? string.Join(", ", Datasets) : "none")})";
}

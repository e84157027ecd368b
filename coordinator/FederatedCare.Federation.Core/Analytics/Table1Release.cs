namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// What one region released for Table 1, every count already small-cell suppressed by the region (<c>null</c> =
/// suppressed): its row count, per numeric column the moments of its values (suppressed as a whole when its count
/// is), per categorical column the count of each level and of missing values.
/// </summary>
/// <param name="Rows">The region's rows, or <c>null</c> when suppressed.</param>
/// <param name="Numeric">Numeric columns in the job's order.</param>
/// <param name="Categorical">Categorical columns in the job's order.</param>
public sealed record Table1Release(long? Rows, IReadOnlyList<NumericRelease> Numeric, IReadOnlyList<CategoryRelease> Categorical);

/// <summary>A numeric column's release.</summary>
/// <param name="Variable">The column.</param>
/// <param name="Moments">Count, mean and M2 of its non-missing values; <c>null</c> when the count was suppressed.</param>
/// <param name="Missing">Rows with no value, <c>null</c> when suppressed.</param>
public sealed record NumericRelease(string Variable, Moments? Moments, long? Missing);

/// <summary>A categorical column's release: counts per level (the job's levels, in order) and of missing values.</summary>
/// <param name="Variable">The column.</param>
/// <param name="Levels">Per level its count, <c>null</c> when suppressed.</param>
/// <param name="Missing">Rows with no value, <c>null</c> when suppressed.</param>
public sealed record CategoryRelease(string Variable, IReadOnlyList<LevelCount> Levels, long? Missing);

/// <summary>One level's count, <c>null</c> when suppressed.</summary>
public readonly record struct LevelCount(string Level, long? Count);

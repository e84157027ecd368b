using FederatedCare.NodeAgent.Data.Tabular;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// A region's rows prepared for an analysis job, in double precision and on the data's own scale: the design matrix
/// of the schema's features (numeric and boolean as they are, categorical as treatment contrasts: one 0/1 column per
/// level after the first), and for a survival label each row's time and event. Rows with a missing value are
/// dropped (R's na.omit). Never leaves the region.
/// </summary>
/// <param name="Dataset">The dataset name.</param>
/// <param name="Terms">The design matrix's columns as R names them (feature, or feature + level: <c>size20-50</c>).</param>
/// <param name="Train">The training rows.</param>
/// <param name="Test">The test rows.</param>
/// <param name="Profile">The local data profile (never sent).</param>
public sealed record AnalysisData(string Dataset, IReadOnlyList<string> Terms, AnalysisRows Train, AnalysisRows Test, DataProfile Profile);

/// <summary>One split of <see cref="AnalysisData"/>.</summary>
/// <param name="Covariates">Per row its design-matrix row (length = terms).</param>
/// <param name="Times">Survival label: per row its time (≥ 0); else empty.</param>
/// <param name="Events">Survival label: per row whether the event was observed (false: censored); else empty.</param>
public sealed record AnalysisRows(double[][] Covariates, double[] Times, bool[] Events)
{
    /// <summary>The number of rows.</summary>
    public int Count => Covariates.Length;

    /// <summary>The number of observed events.</summary>
    public int EventCount => Events.Count(e => e);
}

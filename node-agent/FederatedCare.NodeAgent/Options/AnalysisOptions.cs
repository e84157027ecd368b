namespace FederatedCare.NodeAgent.Options;

/// <summary>
/// What this region releases in analysis jobs, section <c>NodeAgent:Analysis</c>. These are the region's own rules:
/// a job can ask for a larger minimum cell count (<c>AnalysisSpec.min_cell_count</c>) but never a smaller one.
/// </summary>
public sealed class AnalysisOptions
{
    /// <summary>
    /// The smallest count this region releases: a count between 1 and this − 1 (a table cell, the events of a
    /// time bin) is suppressed, and an analysis whose whole input is smaller (e.g. a Cox fit with fewer events) is
    /// refused. Default 5, at least 1.
    /// </summary>
    public int MinCellCount { get; set; } = 5;

    /// <summary>
    /// Whether this region releases exact event times (Kaplan–Meier in exact mode); otherwise only counts per time bin.
    /// Default false.
    /// </summary>
    public bool ReleaseExactEventTimes { get; set; }
}

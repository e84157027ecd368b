namespace FederatedCare.Federation.Core.Jobs;

/// <summary>What an open round collects.</summary>
public enum RoundPhase
{
    /// <summary>Round 0: one node uploads the initial model (UPDATE_KIND_INITIAL_MODEL).</summary>
    Initialize,
    /// <summary>Selected nodes upload deltas (UPDATE_KIND_DELTA).</summary>
    Fit,
    /// <summary>Participating nodes report metrics of a global model.</summary>
    Evaluate,
    /// <summary>Participating nodes report metrics of each labelled model ("global", "local:&lt;region&gt;") on their test rows.</summary>
    CrossSite,
    /// <summary>Before round 0 of a job with a dataset schema: every connected node checks its file and reports
    /// statistics or refuses (ReportStatistics).</summary>
    Statistics,
    /// <summary>A round of an analysis job: participating nodes answer an analysis task or refuse (ReportAnalysis).</summary>
    Analysis,
}

namespace FederatedCare.Benchmarks.Baselines;

/// <summary>How the pooled baseline z-scores its concatenated training rows.</summary>
public enum PooledScaling
{
    /// <summary>
    /// FLamby's pooled mode (<c>FedHeartDisease(pooled=True)</c> at commit edacf54): one mean and sample standard
    /// deviation over all four centres' training rows. The test sets keep their own centre's statistics, as every
    /// method is evaluated on FLamby's per-centre test loaders.
    /// </summary>
    Pooled,

    /// <summary>Each centre's rows z-scored with that centre's own training statistics, as a federated node sees them.</summary>
    PerCentre,
}

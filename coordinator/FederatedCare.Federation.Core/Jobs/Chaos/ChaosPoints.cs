namespace FederatedCare.Federation.Core.Jobs;

/// <summary>The named moments <see cref="IChaosHook"/> can stop at (<c>Coordinator:ChaosPauseAt=POINT:ROUND</c>).</summary>
public static class ChaosPoints
{
    /// <summary>Round r is complete (stored, evaluated, published); round r + 1 has not opened.</summary>
    public const string BetweenRounds = "between-rounds";

    /// <summary>
    /// A node is downloading a model while round r is open (nodes cache models, so in practice the new global model
    /// for round r's evaluation): the manifest is sent, the data is not.
    /// </summary>
    public const string MidDownload = "mid-download";

    /// <summary>A node is uploading its update of round r: the header passed validation, the model is not read.</summary>
    public const string MidUpload = "mid-upload";

    /// <summary>Round r's updates are aggregated and the strategy state stored, but the new global model is not.</summary>
    public const string MidAggregation = "mid-aggregation";

    /// <summary>Round r's global model is stored and one region's evaluation metrics too, the others' not yet.</summary>
    public const string MidEvaluation = "mid-evaluation";

    /// <summary>Every point.</summary>
    public static IReadOnlyList<string> All { get; } = [BetweenRounds, MidDownload, MidUpload, MidAggregation, MidEvaluation];
}

using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>What a fit uploads.</summary>
/// <param name="result">The trainer's result; <see cref="Payload"/> starts as its delta.</param>
/// <param name="trainMilliseconds">Time local training took (for the log).</param>
public sealed class FitOutcome(FitResult result, long trainMilliseconds)
{
    /// <summary>The trainer's result.</summary>
    public FitResult Result { get; } = result;

    /// <summary>Time local training took, in milliseconds.</summary>
    public long TrainMilliseconds { get; } = trainMilliseconds;

    /// <summary>The tensors to upload (changed in place or replaced by mods).</summary>
    public ModelParameters Payload { get; set; } = result.Delta;

    /// <summary>Run in order with the coordinator's answer once the upload returned.</summary>
    public IList<Action<UploadUpdateResponse>> OnUploaded { get; } = [];
}

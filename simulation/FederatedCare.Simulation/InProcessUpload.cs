using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Simulation;

/// <summary>
/// What the coordinator's UploadUpdate does with an update once decoded, for an in-process client: with differential
/// privacy the whole upload's L2 norm is measured once (server-side clipping uses it); a streaming round folds the
/// update (scaled by the clip factor) into its running sum exactly once, inside <see cref="OpenRound.Submit"/>;
/// otherwise the update is kept whole.
/// </summary>
internal static class InProcessUpload
{
    public static SubmitResult Submit(OpenRound round, string region, long numExamples, ModelParameters delta, ModelParameters? controlDelta,
        IReadOnlyDictionary<string, double> metrics)
    {
        var arrays = delta.Tensors.Concat(controlDelta?.Tensors ?? []).Select(t => t.Values).ToArray();
        double? norm = round.Privacy is null ? null : UpdateNorm.L2(arrays);
        if (round.Aggregation is not { } aggregation)
            return round.Submit(region, new ClientUpdate(region, numExamples, delta, metrics, controlDelta, norm));
        using var buffer = aggregation.RentAsync(CancellationToken.None).GetAwaiter().GetResult();
        for (int t = 0; t < arrays.Length; t++) arrays[t].CopyTo(buffer.Arrays[t], 0);
        double scale = norm is { } n ? round.Privacy!.ClipFactor(n) : 1;
        return round.Submit(region, new ClientUpdate(region, numExamples, ClientUpdate.Folded, metrics, DeltaNorm: norm),
            () => aggregation.Fold(buffer, numExamples, scale));
    }
}

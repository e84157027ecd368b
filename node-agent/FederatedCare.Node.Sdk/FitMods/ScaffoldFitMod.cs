using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>
/// SCAFFOLD's client state around a fit (<see cref="Scaffold"/>): before training, downloads the server's c (by hash,
/// like a global model), takes this node's cᵢ from <paramref name="controls"/> and asks the trainer for the gradient
/// correction c − cᵢ; after, uploads the delta followed by the control delta, and commits cᵢ⁺ only once the
/// coordinator accepted (or already held) that upload. A trainer that took no steps (a no-op trainer) leaves cᵢ as it
/// is (control delta zero). Tasks of other strategies pass through.
/// </summary>
public sealed class ScaffoldFitMod(IModelSource models, ControlVariateStore controls) : IFitMod
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The job's optimizer is not SGD, or the task names no server control variate.</exception>
    /// <exception cref="InvalidDataException">The server control variate's layout differs from the model's.</exception>
    public async Task<FitOutcome> FitAsync(FitContext context, FitStep next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.StrategyName != Scaffold.Name) return await next(context, cancellationToken).ConfigureAwait(false);
        var task = context.Task;
        var optimizer = task.Fit.Local?.Optimizer ?? LocalOptimizer.Sgd;
        if (optimizer != LocalOptimizer.Sgd)
            throw new ArgumentException($"SCAFFOLD's control variates assume local SGD, but the job's optimizer is {optimizer}.");
        if (string.IsNullOrEmpty(task.Fit.ServerControlSha256))
            throw new ArgumentException("The SCAFFOLD fit task names no server control variate (server_control_sha256 is empty).");
        var server = await models.GetAsync(task.JobId, task.Fit.ServerControlSha256, context.Session, cancellationToken).ConfigureAwait(false);
        Scaffold.CheckLayout(server, context.Global, "server control variate");
        var client = controls.Get(task.JobId, task.Round, context.Global);
        context.GradientCorrection = Scaffold.Correction(server, client);

        var outcome = await next(context, cancellationToken).ConfigureAwait(false);
        var delta = outcome.Result.Delta;
        var controlDelta = outcome.Result.Steps == 0 ? context.Global.ZerosLike()
            : Scaffold.ControlDelta(delta, server, outcome.Result.Steps, task.Fit.Local!.LearningRate);
        outcome.Payload = Scaffold.UploadPayload(delta, controlDelta);
        var nextControl = Scaffold.Add(client, controlDelta);
        // cᵢ moves on only once the coordinator holds the control delta that moved it.
        outcome.OnUploaded.Add(response =>
        {
            if (response.Accepted || response.Duplicate) controls.Commit(task.JobId, task.Round, client, nextControl);
        });
        return outcome;
    }
}

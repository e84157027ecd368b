using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// One Newton–Raphson iteration of the stratified Cox fit on this region's training rows (its stratum): the partial
/// log-likelihood, gradient and information matrix at the coordinator's β (<see cref="CoxPartialLikelihood"/>), and
/// the counts of rows and events. Refused with fewer events than the minimum cell count.
/// </summary>
public sealed class CoxIterationHandler : IAnalysisHandler
{
    /// <inheritdoc />
    public AnalysisTask.KindOneofCase Kind => AnalysisTask.KindOneofCase.CoxIteration;

    /// <inheritdoc />
    public AnalysisAnswer Answer(AnalysisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request.CoxIteration;
        var train = CoxData.Train(context);
        if (request.Beta.Count != context.Data.Terms.Count)
            throw new AnalysisRefusedException($"beta has {request.Beta.Count} values but this region's data has {context.Data.Terms.Count} covariate terms.");
        if (request.Beta.Any(b => !double.IsFinite(b))) throw new AnalysisRefusedException("beta has a value that is not finite.");
        var (loglik, gradient, information) = CoxPartialLikelihood.Compute(train, request.Beta, request.Ties != CoxTies.Breslow);
        var answer = new CoxIterationAnswer { Loglik = loglik, Rows = train.Count, Events = train.EventCount };
        answer.Terms.AddRange(context.Data.Terms);
        answer.Gradient.AddRange(gradient);
        answer.Information.AddRange(information);
        return new AnalysisAnswer { CoxIteration = answer };
    }
}

using FederatedCare.Coordinator.Federation;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.Coordinator.Services;

/// <summary>
/// Read-only gRPC service for researchers: jobs, rounds with metrics, per-region metrics, global models and the
/// cross-site validation matrix. Job ids are checked against <see cref="WireLimits"/> first (InvalidArgument).
/// </summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindResearch))]
internal sealed class ResearchService(ICoordinatorStore store) : Research.ResearchBase
{
    public override async Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context) =>
        new() { Jobs = { await store.Jobs.ListAsync(context.CancellationToken).ConfigureAwait(false) } };

    public override async Task<ListRoundsResponse> ListRounds(ListRoundsRequest request, ServerCallContext context)
    {
        await RequireJobAsync(request.JobId, context.CancellationToken).ConfigureAwait(false);
        return new() { Rounds = { await store.Rounds.ListAsync(request.JobId, context.CancellationToken).ConfigureAwait(false) } };
    }

    public override async Task<GetMetricsResponse> GetMetrics(GetMetricsRequest request, ServerCallContext context)
    {
        var job = await RequireJobAsync(request.JobId, context.CancellationToken).ConfigureAwait(false);
        // A round the job has not reached is an error, not an empty answer: the caller likely mistyped it.
        if (request.Round > job.CurrentRound)
            throw new RpcException(new Status(StatusCode.NotFound,
                $"Job '{request.JobId}' has no round {request.Round} (its latest round is {job.CurrentRound})."));
        return new() { Metrics = { await store.Metrics.ListAsync(request.JobId, request.Round, context.CancellationToken).ConfigureAwait(false) } };
    }

    public override async Task DownloadGlobalModel(DownloadGlobalModelRequest request, IServerStreamWriter<ModelChunk> responseStream,
        ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var job = await RequireJobAsync(request.JobId, ct).ConfigureAwait(false);
        // A local-mode job aggregates nothing: its stored round models are only the untrained initial one.
        if (JobModes.IsLocal(job.Spec))
            throw new RpcException(new Status(StatusCode.NotFound, $"Job '{request.JobId}' ran in local mode and has no global model; " +
                "each region's own model is evaluated in its cross-site matrix (fedcare crosssite)."));
        var found = await store.LoadGlobalModelAsync(request.JobId, request.Round, ct).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, request.Round < 0
                ? $"Job '{request.JobId}' has no global model yet."
                : await store.Rounds.GetAsync(request.JobId, request.Round, ct).ConfigureAwait(false) is not null
                    ? $"Job '{request.JobId}': the global model of round {request.Round} was removed by the retention setting " +
                      "(Coordinator:Retention); its round row and metrics are kept."
                    : $"Job '{request.JobId}' has no global model for round {request.Round}."));
        var sha = (await store.Rounds.GetAsync(request.JobId, found.Round, ct).ConfigureAwait(false))!.ModelSha256;
        // The tensors are the stored ones, so the manifest's SHA-256 is the round's: no hash pass over them.
        await ModelStream.WriteAsync(ModelProvenance.With(found.Model, job, found.Round, sha), responseStream, ct, knownSha256: sha)
            .ConfigureAwait(false);
    }

    /// <summary>The job's cross-site cells (model label × region × split); NotFound for an unknown job or one without any.</summary>
    public override async Task<GetCrossSiteMatrixResponse> GetCrossSiteMatrix(GetCrossSiteMatrixRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        await RequireJobAsync(request.JobId, ct).ConfigureAwait(false);
        var entries = await store.Metrics.ListCrossSiteAsync(request.JobId, ct).ConfigureAwait(false);
        if (entries.Count == 0)
            throw new RpcException(new Status(StatusCode.NotFound,
                $"Job '{request.JobId}' has no cross-site matrix (cross_site_validation off, or not run yet)."));
        return new() { Entries = { entries } };
    }

    public override async Task<GetAnalysisResultsResponse> GetAnalysisResults(GetAnalysisResultsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var job = await RequireJobAsync(request.JobId, ct).ConfigureAwait(false);
        if (job.Spec.Analysis is null)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Job '{request.JobId}' is a training job, not an analysis job (spec.analysis)."));
        return new() { Results = { await store.Analyses.ListAsync(request.JobId, ct).ConfigureAwait(false) } };
    }

    // Every call names its job first: the bounds are checked here, before the id is looked up or echoed.
    private async Task<JobStatus> RequireJobAsync(string jobId, CancellationToken ct)
    {
        RequestBounds.JobId(jobId);
        return await store.Jobs.GetAsync(jobId, ct).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Job '{jobId}' does not exist."));
    }
}

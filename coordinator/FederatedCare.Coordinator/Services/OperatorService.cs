using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Coordinator.Security;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Services;

/// <summary>
/// The gRPC service operators call: StartJob (validates, persists PENDING, queues, returns at once), GetJob,
/// AbortJob, DeleteJob (a finished job's rows and model files, audited), WatchJob (status and round summaries until the
/// job ends, completed rounds replayed first), ListNodes, UploadModel (a model file a job starts from,
/// <c>spec.initial_model_sha256</c>).
/// Job ids, the abort reason and the spec's size are checked against <see cref="WireLimits"/> first (InvalidArgument).
/// </summary>
[BindServiceMethod(typeof(StrictBinding), nameof(StrictBinding.BindOperator))]
internal sealed class OperatorService(ICoordinatorStore store, JobQueue queue, JobCancellations cancellations, JobEvents events,
    NodeRegistry registry, StrategyRegistry strategies, TimeProvider time, IHostApplicationLifetime lifetime, IOptions<CoordinatorOptions> options)
    : Operator.OperatorBase
{
    /// <summary>
    /// Reads a model stream (bounded by <c>Coordinator:Aggregation:MaxModelBytes</c> before anything is allocated, hash
    /// checked) and stores it among <see cref="UploadedModels"/>; returns its SHA-256.
    /// </summary>
    public override async Task<UploadModelResponse> UploadModel(IAsyncStreamReader<ModelChunk> requestStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        ModelParameters model;
        try
        {
            model = await ModelStream.ReadAsync(requestStream.ReadAllAsync(ct), ct, maxModelBytes: options.Value.Aggregation.MaxModelBytes)
                .ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw UpdateValidator.Invalid($"model: {e.Message}");
        }
        if (model.Tensors.Any(t => t.Values.Any(v => !float.IsFinite(v))))
            throw UpdateValidator.Invalid("model: every value must be finite (no NaN or infinity).");
        var sha = model.ComputeSha256();
        await store.Models.SaveAsync(UploadedModels.Owner, UploadedModels.Name(sha), model, sha, ct).ConfigureAwait(false);
        await store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context), "model.uploaded", null, null,
            $"{sha}: {model.Tensors.Count} tensors, {model.TotalBytes} bytes"), ct).ConfigureAwait(false);
        return new UploadModelResponse { Sha256 = sha, TotalBytes = model.TotalBytes };
    }

    public override async Task<JobStatus> StartJob(StartJobRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (request.Spec is { } spec)
        {
            if (spec.CalculateSize() is var size && size > WireLimits.JobSpecBytes)
                throw UpdateValidator.Invalid($"spec: at most {WireLimits.JobSpecBytes} bytes, got {size}.");
            // The spec's own strings reach the audit log and every watcher: the same bounds as the nodes' names.
            RequestBounds.Text(spec.Name, "spec.name", WireLimits.JobNameChars);
            RequestBounds.Text(spec.Dataset, "spec.dataset", WireLimits.DatasetChars);
            // NFC, as the nodes' registrations: a decomposed "Skåne" in the spec names the registered region.
            for (int i = 0; i < spec.Regions.Count; i++) spec.Regions[i] = RequestBounds.Region(spec.Regions[i], $"spec.regions[{i}]");
        }
        RequestBounds.JobId(request.JobId);
        if (JobSpecValidator.Validate(request.Spec, strategies) is { } problem) throw UpdateValidator.Invalid(problem);
        if (request.Spec!.InitialModelSha256 is { Length: > 0 } initial
            && !await UploadedAsync(initial, ct).ConfigureAwait(false))
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"spec.initial_model_sha256: no uploaded model {initial}; " +
                "upload it first (Operator.UploadModel; fedcare submit --initial-model FILE does both)."));
        var jobId = request.JobId;
        if (jobId.Length == 0) jobId = Guid.NewGuid().ToString("N")[..12];
        else if (JobSpecValidator.ValidateJobId(jobId) is { } badId) throw UpdateValidator.Invalid(badId);

        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        var job = new JobStatus { JobId = jobId, Spec = request.Spec, State = JobState.Pending, Message = "queued", CreatedAt = now, UpdatedAt = now,
            SubmittedBy = CallerIdentity.Find(context)?.Name ?? "" };
        if (!await store.Jobs.TryCreateAsync(job, ct).ConfigureAwait(false))
        {
            // Idempotent submit: the same id and spec return the existing job, whatever state it is in.
            var existing = (await store.Jobs.GetAsync(jobId, ct).ConfigureAwait(false))!;
            if (existing.Spec.Equals(request.Spec)) return existing;
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"Job '{jobId}' already exists with a different spec."));
        }
        await store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context), "job.started", jobId, null,
            request.Spec.Analysis is { } analysis
                ? $"{request.Spec.Name}: analyses {string.Join(", ", analysis.Steps.Select(s => s.KindCase))}"
                : $"{request.Spec.Name}: {request.Spec.Strategy.Name}, {request.Spec.Rounds} rounds, seed {request.Spec.Seed}"), ct).ConfigureAwait(false);
        queue.Enqueue(jobId);
        events.Publish(job);
        return job;
    }

    public override async Task<JobStatus> GetJob(GetJobRequest request, ServerCallContext context)
    {
        RequestBounds.JobId(request.JobId);
        return await store.Jobs.GetAsync(request.JobId, context.CancellationToken).ConfigureAwait(false) ?? throw NotFound(request.JobId);
    }

    public override async Task<DeleteJobResponse> DeleteJob(DeleteJobRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        RequestBounds.JobId(request.JobId);
        var job = await store.Jobs.GetAsync(request.JobId, ct).ConfigureAwait(false) ?? throw NotFound(request.JobId);
        switch (await store.DeleteJobAsync(request.JobId, ct).ConfigureAwait(false))
        {
            case JobDeletion.NotFound: throw NotFound(request.JobId);
            case JobDeletion.NotFinished:
                throw new RpcException(new Status(StatusCode.FailedPrecondition,
                    $"Job '{request.JobId}' is {job.State.ToString().ToLowerInvariant()}; only a finished job can be deleted (fedcare abort {request.JobId} first)."));
        }
        await store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context), "job.deleted", request.JobId, job.CurrentRound,
            $"deleted the job's rows and model files ({job.State})"), CancellationToken.None).ConfigureAwait(false);
        return new DeleteJobResponse { JobId = request.JobId, State = job.State };
    }

    public override async Task<JobStatus> AbortJob(AbortJobRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        RequestBounds.JobId(request.JobId);
        RequestBounds.Text(request.Reason, "reason", WireLimits.AbortReasonChars);
        var job = await store.Jobs.GetAsync(request.JobId, ct).ConfigureAwait(false) ?? throw NotFound(request.JobId);
        if (job.State == JobState.Aborted) return job;
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "aborted by operator" : $"aborted: {request.Reason}";
        var aborted = await store.Jobs.UpdateAsync(request.JobId, JobState.Aborted, message: reason, ct: ct).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Job '{request.JobId}' already ended ({job.State})."));
        cancellations.Cancel(request.JobId);
        registry.CancelJob(request.JobId, reason);
        await store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), Actor(context), "job.aborted", request.JobId, aborted.CurrentRound, reason),
            CancellationToken.None).ConfigureAwait(false);
        events.Publish(aborted);
        return aborted;
    }

    public override async Task WatchJob(GetJobRequest request, IServerStreamWriter<JobEvent> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        RequestBounds.JobId(request.JobId);
        // Subscribe before reading the stored state: an event published in between is then queued, not lost.
        using var subscription = events.Subscribe(request.JobId);
        var status = await store.Jobs.GetAsync(request.JobId, ct).ConfigureAwait(false) ?? throw NotFound(request.JobId);
        await responseStream.WriteAsync(new JobEvent { Status = status }, ct).ConfigureAwait(false);
        int replayed = -1;
        foreach (var round in await store.Rounds.ListAsync(request.JobId, ct).ConfigureAwait(false))
        {
            if (round.CompletedAt is null) continue;
            await responseStream.WriteAsync(new JobEvent { Status = status, Round = round }, ct).ConfigureAwait(false);
            replayed = round.Round;
        }
        if (IsTerminal(status.State)) return;
        // A watch of a running job would otherwise hold the coordinator's shutdown until the host gives up on it.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(stopping.Token).ConfigureAwait(false))
            {
                if (e.Round is not null && e.Round.Round <= replayed) continue;
                await responseStream.WriteAsync(e, ct).ConfigureAwait(false);
                if (IsTerminal(e.Status.State)) return;
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"The coordinator is shutting down; job '{request.JobId}' goes on after its restart, watch it again then."));
        }
    }

    public override Task<ListNodesResponse> ListNodes(ListNodesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListNodesResponse { Nodes = { registry.All.Select(n => n.ToInfo()) } });

    /// <summary>
    /// A page of the audit chain: entries after <c>after_seq</c> passing the filters, at most <c>limit</c> (0: 500);
    /// <c>next_after_seq</c> is the last entry's seq when the page is full (another may follow), 0 when it is the last.
    /// </summary>
    public override async Task<ListAuditResponse> ListAudit(ListAuditRequest request, ServerCallContext context)
    {
        int limit = request.Limit == 0 ? DefaultAuditPage : request.Limit;
        if (limit is < 1 or > AuditRecords.MaxPage)
            throw UpdateValidator.Invalid($"limit must be between 1 and {AuditRecords.MaxPage} (was {request.Limit}).");
        if (request.AfterSeq < 0) throw UpdateValidator.Invalid($"after_seq must not be negative (was {request.AfterSeq}).");
        var filter = new AuditFilter(Empty(request.JobId), Empty(request.Region), Empty(request.Action));
        var page = await store.Audit.ListChainAsync(filter, request.AfterSeq, limit, context.CancellationToken).ConfigureAwait(false);
        // A full page may have a successor (the next call tells); a shorter one is the last.
        return new ListAuditResponse { Records = { page }, NextAfterSeq = page.Count == limit ? page[^1].Seq : 0 };
    }

    private const int DefaultAuditPage = 500;

    // Whether the model was uploaded: its file opened and closed, not read.
    private async Task<bool> UploadedAsync(string sha256, CancellationToken ct)
    {
        await using var file = await store.Models.OpenReadAsync(UploadedModels.Owner, sha256, ct).ConfigureAwait(false);
        return file is not null;
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    internal static bool IsTerminal(JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Aborted;

    // With mutual TLS the certificate names the operator (operator:alice); without it only the caller's address is known.
    private static string Actor(ServerCallContext context) => CallerIdentity.Find(context)?.ToString() ?? $"operator@{context.Peer}";

    private static RpcException NotFound(string jobId) => new(new Status(StatusCode.NotFound, $"Job '{jobId}' does not exist."));
}

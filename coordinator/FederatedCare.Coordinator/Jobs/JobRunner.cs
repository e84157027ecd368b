using FederatedCare.Coordinator.Federation;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// Runs queued jobs one at a time, first in first out. At start-up it re-queues jobs left pending or running by a
/// previous process, which then resume from their last stored round. A graceful stop cancels the running job before the
/// task streams end (<see cref="ShutdownOrder"/>), so its round in flight is redone after the restart.
/// </summary>
internal sealed class JobRunner(JobQueue queue, JobCancellations cancellations, JobEngine engine, ICoordinatorStore store, ModelCache cache,
    JobEvents events, NodeRegistry registry, ShutdownOrder shutdown, TimeProvider time, ILogger<JobRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken hostStopping)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, shutdown.Jobs);
        var stoppingToken = stopping.Token;
        try
        {
            foreach (var job in await store.Jobs.ListAsync(stoppingToken).ConfigureAwait(false))
                if (job.State is JobState.Pending or JobState.Running) queue.Enqueue(job.JobId);

            await foreach (var jobId in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                var job = await store.Jobs.GetAsync(jobId, stoppingToken).ConfigureAwait(false);
                if (job is null || job.State is not (JobState.Pending or JobState.Running)) continue;
                await RunAsync(job, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping (also when it failed to start, e.g. its port was taken): not an error of the runner.
        }
    }

    private async Task RunAsync(JobStatus job, CancellationToken stoppingToken)
    {
        var cts = cancellations.Begin(job.JobId, stoppingToken);
        try
        {
            var message = await engine.RunAsync(job, cts.Token).ConfigureAwait(false);
            await EndAsync(job.JobId, JobState.Succeeded, message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the job stays RUNNING and resumes from its last stored round at the next start.
        }
        catch (OperationCanceledException)
        {
            // AbortJob already stored ABORTED and told the watchers.
        }
        catch (JobFailedException e)
        {
            await EndAsync(job.JobId, JobState.Failed, e.Message).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            JobRunnerLog.JobCrashed(logger, e, job.JobId);
            await EndAsync(job.JobId, JobState.Failed, $"internal error: {e.Message}").ConfigureAwait(false);
        }
        finally
        {
            cancellations.End(job.JobId, cts);
            cache.Remove(job.JobId);
        }
    }

    private async Task EndAsync(string jobId, JobState state, string message)
    {
        var status = await store.Jobs.UpdateAsync(jobId, state, message: message).ConfigureAwait(false);
        if (status is null) return;
        await store.Audit.AppendAsync(new AuditEntry(time.GetUtcNow(), "coordinator",
            state == JobState.Succeeded ? "job.succeeded" : "job.failed", jobId, status.CurrentRound, message)).ConfigureAwait(false);
        JobRunnerLog.JobEnded(logger, jobId, state.ToString(), message);
        // A failed job may leave regions training a round nobody waits for any more.
        if (state == JobState.Failed) registry.CancelJob(jobId, $"failed: {message}");
        events.Publish(status);
    }
}

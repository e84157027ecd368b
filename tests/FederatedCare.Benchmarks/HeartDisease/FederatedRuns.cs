using System.Diagnostics;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FederatedCare.Benchmarks.HeartDisease;

/// <summary>
/// Runs jobs on a live federation (coordinator and node agents already up) and turns their results into
/// <see cref="BenchmarkRow"/>s. Wall time is measured from StartJob to the end of the job's event stream.
/// </summary>
public sealed class FederatedRuns(GrpcChannel channel)
{
    private readonly Operator.OperatorClient _operator = new(channel);
    private readonly Research.ResearchClient _research = new(channel);

    /// <summary>A federated strategy job: each region's test accuracy after the last round.</summary>
    /// <exception cref="InvalidOperationException">The job did not succeed, or a region's metrics are missing.</exception>
    public async Task<BenchmarkRow> RunFederatedAsync(string method, JobSpec spec, CancellationToken ct)
    {
        var (job, seconds) = await RunAsync(spec, ct);
        var metrics = await _research.GetMetricsAsync(new GetMetricsRequest { JobId = job.JobId, Round = job.CurrentRound }, cancellationToken: ct);
        var test = metrics.Metrics.Where(m => m.Split == "test").ToDictionary(m => m.Region, m => m.Accuracy);
        return new BenchmarkRow(method, spec.Seed, Regions.Names.Select(r => Get(test, r, method)).ToList(), seconds);
    }

    /// <summary>
    /// A local-mode job: one row per region, <c>local_&lt;region&gt;</c>, that region's local model evaluated on every
    /// region's test rows (the cross-site matrix's column for that model).
    /// </summary>
    public async Task<IReadOnlyList<BenchmarkRow>> RunLocalAsync(JobSpec spec, CancellationToken ct)
    {
        var (job, seconds) = await RunAsync(spec, ct);
        var matrix = await _research.GetCrossSiteMatrixAsync(new GetCrossSiteMatrixRequest { JobId = job.JobId }, cancellationToken: ct);
        return Regions.Names.Select(owner =>
        {
            var cells = matrix.Entries.Where(e => e.ModelLabel == "local:" + owner).ToDictionary(e => e.Metrics.Region, e => e.Metrics.Accuracy);
            var method = "local_" + Regions.Column(owner);
            return new BenchmarkRow(method, spec.Seed, Regions.Names.Select(r => Get(cells, r, method)).ToList(), seconds);
        }).ToList();
    }

    private async Task<(JobStatus Job, double Seconds)> RunAsync(JobSpec spec, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var started = await _operator.StartJobAsync(new StartJobRequest { Spec = spec }, cancellationToken: ct);
        using (var watch = _operator.WatchJob(new GetJobRequest { JobId = started.JobId }, cancellationToken: ct))
        {
            await foreach (var _ in watch.ResponseStream.ReadAllAsync(ct))
            {
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var job = await _operator.GetJobAsync(new GetJobRequest { JobId = started.JobId }, cancellationToken: ct);
        if (job.State != JobState.Succeeded)
            throw new InvalidOperationException($"job {job.JobId} ({spec.Name}, seed {spec.Seed}) ended {job.State}: {job.Message}");
        return (job, seconds);
    }

    private static double Get(IReadOnlyDictionary<string, double> byRegion, string region, string method) =>
        byRegion.TryGetValue(region, out var v) ? v : throw new InvalidOperationException($"{method}: no test accuracy from {region}");
}

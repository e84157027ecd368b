using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Net.Client;

namespace FederatedCare.Benchmarks.Scale;

/// <summary>What one benchmark job measured.</summary>
/// <param name="RoundSeconds">From the first fit task of round 1 reaching a node to the first evaluate task after it
/// (the new global model aggregated and stored).</param>
/// <param name="DownloadSeconds">Each node's global-model download, when nodes download.</param>
/// <param name="UploadSeconds">Each node's delta upload.</param>
/// <param name="MaxRelativeError">With <c>verify</c>: the largest |x − x̂| / (1 + |x̂|) between the new global model
/// and the in-memory FedAvg x̂ = initial + delta (every node sends the same delta); else NaN.</param>
public sealed record ScenarioResult(double RoundSeconds, IReadOnlyList<double> DownloadSeconds, IReadOnlyList<double> UploadSeconds,
    double MaxRelativeError = double.NaN);

/// <summary>
/// One FedAvg job of one round against a running coordinator with <c>nodes</c> <see cref="LoadNode"/>s: node 0 uploads
/// the initial model, every node (optionally) downloads the global model and uploads the same delta, at most
/// <c>uploadConcurrency</c> uploads at a time (a load generator's arrival pattern; the coordinator decodes as many at
/// once as <c>Coordinator:Aggregation:UploadBufferBytes</c> holds buffers; the others wait for a buffer). <c>sequential</c>: one node's
/// download and upload at a time, so each transfer has the link to itself.
/// </summary>
public static class FederationScenario
{
    /// <summary>Runs the job and returns its timings.</summary>
    public static async Task<ScenarioResult> RunAsync(Uri address, int nodes, ModelParameters initial, ModelParameters delta,
        bool download, int uploadConcurrency, string jobId, bool sequential = false, bool verify = false)
    {
        double maxError = double.NaN;
        var uploads = new SemaphoreSlim(uploadConcurrency);
        var turns = new SemaphoreSlim(sequential ? 1 : int.MaxValue);
        var downloadTimes = new ConcurrentBag<double>();
        var uploadTimes = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        double firstFit = double.MaxValue, firstEvaluateAfterFit = double.MaxValue;
        var gate = new Lock();
        var failures = new ConcurrentBag<Exception>();

        async Task Handle(NodeTask task, LoadNode node)
        {
            try
            {
                switch (task.KindCase)
                {
                    case NodeTask.KindOneofCase.Initialize:
                        await node.UploadAsync(task, initial, UpdateKind.InitialModel);
                        break;
                    case NodeTask.KindOneofCase.Fit:
                        lock (gate) firstFit = Math.Min(firstFit, clock.Elapsed.TotalSeconds);
                        await turns.WaitAsync();
                        try
                        {
                            if (download)
                            {
                                var (_, seconds) = await node.DownloadAsync(task);
                                downloadTimes.Add(seconds);
                            }
                            await uploads.WaitAsync();
                            try { uploadTimes.Add(await node.UploadAsync(task, delta, UpdateKind.Delta)); }
                            finally { uploads.Release(); }
                        }
                        finally { turns.Release(); }
                        break;
                    case NodeTask.KindOneofCase.Evaluate:
                        if (task.Round >= 1) lock (gate) firstEvaluateAfterFit = Math.Min(firstEvaluateAfterFit, clock.Elapsed.TotalSeconds);
                        if (verify && task.Round >= 1 && node.Region == "bench-000")
                        {
                            var (global, _) = await node.DownloadAsync(task);
                            maxError = MaxRelativeError(global, initial, delta);
                        }
                        await node.ReportAsync(task);
                        break;
                }
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }

        var loadNodes = new List<LoadNode>();
        try
        {
            for (int i = 0; i < nodes; i++)
                loadNodes.Add(await LoadNode.ConnectAsync(address, string.Create(CultureInfo.InvariantCulture, $"bench-{i:D3}"), Handle));
            using var channel = GrpcChannel.ForAddress(address);
            var operatorClient = new Operator.OperatorClient(channel);
            var spec = new JobSpec
            {
                Name = "bench", Dataset = "bench", Model = new ModelSpec { Name = "bench" },
                Strategy = new StrategySpec { Name = "fedavg" }, Rounds = 1, FractionFit = 1, MinFitClients = nodes,
                MinAvailableClients = nodes, EvaluateEvery = 0, RoundDeadlineSeconds = 600, Seed = 1,
                Local = new LocalTrainingSpec { LocalSteps = 1, BatchSize = 1, Optimizer = LocalOptimizer.Sgd, LearningRate = 0.1 },
            };
            await operatorClient.StartJobAsync(new StartJobRequest { Spec = spec, JobId = jobId });
            while (true)
            {
                var status = await operatorClient.GetJobAsync(new GetJobRequest { JobId = jobId });
                if (status.State is JobState.Succeeded) break;
                if (status.State is JobState.Failed or JobState.Aborted || !failures.IsEmpty)
                    throw new InvalidOperationException($"benchmark job {jobId}: {status.State} {status.Message} {failures.FirstOrDefault()?.Message}");
                await Task.Delay(100);
            }
        }
        finally
        {
            foreach (var node in loadNodes) await node.DisposeAsync();
        }
        return new ScenarioResult(firstEvaluateAfterFit - firstFit, downloadTimes.ToList(), uploadTimes.ToList(), maxError);
    }

    // max |global − (initial + delta)| / (1 + |initial + delta|), the expected value computed in float64.
    private static double MaxRelativeError(ModelParameters global, ModelParameters initial, ModelParameters delta)
    {
        double worst = 0;
        for (int t = 0; t < global.Tensors.Count; t++)
        {
            float[] g = global.Tensors[t].Values, x = initial.Tensors[t].Values, d = delta.Tensors[t].Values;
            for (int i = 0; i < g.Length; i++)
            {
                double expected = (double)x[i] + d[i];
                worst = Math.Max(worst, Math.Abs(g[i] - expected) / (1 + Math.Abs(expected)));
            }
        }
        return worst;
    }
}

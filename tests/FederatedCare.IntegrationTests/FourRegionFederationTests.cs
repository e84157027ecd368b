using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.IntegrationTests;

/// <summary>A coordinator and four node agents over real loopback gRPC, on the shipped heart-disease data.</summary>
public sealed class FourRegionFederationTests
{
    [Fact]
    public async Task A_fedavg_job_changes_the_global_model_and_only_tensors_counts_and_metrics_reach_the_coordinator()
    {
        await using var federation = await Federation.StartAsync();
        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));
        spec.Rounds = 3;

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Succeeded, status.State);
        Assert.Equal(3, status.CurrentRound);

        // Every round's global model is kept, and training moved it.
        var rounds = await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = status.JobId });
        Assert.Equal([0, 1, 2, 3], rounds.Rounds.Select(r => r.Round));
        Assert.Equal(4, rounds.Rounds.Select(r => r.ModelSha256).Distinct().Count());
        var initial = await DownloadAsync(federation, status.JobId, 0);
        var final = await DownloadAsync(federation, status.JobId, 3);
        Assert.Equal(["linear.weight", "linear.bias"], final.Tensors.Select(t => t.Name));
        Assert.NotEqual(initial.Tensors[0].Values, final.Tensors[0].Values);
        Assert.All(rounds.Rounds.Skip(1), r => Assert.Equal(
            Federation.Regions.Select(x => x.Region).Order(StringComparer.Ordinal), r.Participants.Order(StringComparer.Ordinal)));

        // Each region evaluated each round's global model on its own test rows (FLamby's test sizes).
        var metrics = await federation.Research.GetMetricsAsync(new GetMetricsRequest { JobId = status.JobId, Round = -1 });
        var test = metrics.Metrics.Where(m => m.Split == "test").ToList();
        Assert.Equal(16, test.Count);
        var testSizes = test.GroupBy(m => m.Region).ToDictionary(g => g.Key, g => g.Select(m => m.NumExamples).Distinct().Single());
        Assert.Equal(new Dictionary<string, long> { ["Halland"] = 104, ["Karolinska"] = 89, ["Sahlgrenska"] = 16, ["Örebro"] = 45 }, testSizes);

        AssertOnlyParametersCountsAndMetricsArrived(federation.Recorder);
    }

    private static void AssertOnlyParametersCountsAndMetricsArrived(RecordingInterceptor recorder)
    {
        var fromNodes = recorder.Received.Where(r => r.Method.StartsWith("/federatedcare.v1.Federation/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fromNodes);
        var trainRows = new Dictionary<long, int> { [199] = 0, [172] = 0, [30] = 0, [85] = 0 };
        foreach (var (method, message) in fromNodes)
        {
            switch (message)
            {
                case RegisterRequest r:
                    Assert.Contains(r.Region, Federation.Regions.Select(x => x.Region));
                    Assert.Equal(["heart-disease"], r.Datasets);
                    break;
                case WaitForTaskRequest or DownloadModelRequest:
                    break;
                case HeartbeatRequest h:
                    // "Still here": the node id and nothing else.
                    Assert.Single(HeartbeatRequest.Descriptor.Fields.InFieldNumberOrder());
                    Assert.NotEmpty(h.NodeId);
                    break;
                case ReportStatisticsRequest r:
                    // Local z-score: a row count and the label balance the schema allows, no sums.
                    Assert.Contains(r.Statistics.TrainRows, trainRows.Keys);
                    Assert.Empty(r.Statistics.Columns);
                    Assert.Equal(r.Statistics.TrainRows, r.Statistics.LabelCounts.Values.Sum());
                    break;
                case UpdateChunk { PayloadCase: UpdateChunk.PayloadOneofCase.Header } u:
                    // A count and local training metrics: nothing per patient.
                    Assert.Contains(u.Header.NumExamples, trainRows.Keys);
                    Assert.All(u.Header.Metrics.Keys, k => Assert.StartsWith("train_", k, StringComparison.Ordinal));
                    break;
                case UpdateChunk { PayloadCase: UpdateChunk.PayloadOneofCase.Model } u when u.Model.PayloadCase == ModelChunk.PayloadOneofCase.Manifest:
                    Assert.Equal(["linear.weight", "linear.bias"], u.Model.Manifest.Tensors.Select(t => t.Name));
                    Assert.Equal(14 * sizeof(float), u.Model.Manifest.TotalBytes);
                    break;
                case UpdateChunk { PayloadCase: UpdateChunk.PayloadOneofCase.Model } u:
                    // The weights of a 13-feature logistic regression: 14 floats, no room for rows of data (a chunk holds
                    // one tensor's bytes, so the weight and the bias travel in chunks of their own).
                    Assert.Contains(u.Model.Data.Length, new[] { 13 * sizeof(float), sizeof(float) });
                    break;
                case ReportMetricsRequest r:
                    Assert.All(r.Metrics, m =>
                    {
                        Assert.Equal("test", m.Split);
                        Assert.All(m.Extra.Keys, k => Assert.Contains(k, new[] { "auc", "f1" }));
                    });
                    break;
                default:
                    Assert.Fail($"{method} carried an unexpected {message.GetType().Name}");
                    break;
            }
        }
    }

    private static async Task<ModelParameters> DownloadAsync(Federation federation, string jobId, int round)
    {
        using var call = federation.Research.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = jobId, Round = round });
        return await ModelStream.ReadAsync(call.ResponseStream);
    }
}

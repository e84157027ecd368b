using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// Over real gRPC: an operator uploads a model file (Operator.UploadModel) and starts an evaluate-only job from it
/// (rounds 0): every region's test metrics on the given model are stored as round 0. The scripted nodes answer at once,
/// so the fake clock never needs to move.
/// </summary>
public sealed class InitialModelJobTests
{
    [Fact]
    public async Task An_uploaded_model_is_evaluated_by_every_region_as_round_0_without_training()
    {
        var time = new FakeTimeProvider();
        await using var coordinator = await TestCoordinator.StartOnFakeClockAsync(time);
        await using var halland = await AutoNode.StartAsync(coordinator.Channel, "Halland");
        await using var karolinska = await AutoNode.StartAsync(coordinator.Channel, "Karolinska");
        var operators = new Operator.OperatorClient(coordinator.Channel);
        // The job's layout (AutoNode.Initial: linear.weight [1, 2], linear.bias [1]) in another order, as PyTorch may write it.
        var given = new ModelParameters([new NamedTensor("linear.bias", [1], [0.25f]), new NamedTensor("linear.weight", [1, 2], [3f, 4f])]);

        var uploaded = await UploadAsync(operators, given);
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 0;
        spec.InitialModelSha256 = uploaded.Sha256;
        await operators.StartJobAsync(new StartJobRequest { Spec = spec, JobId = "evaluate" });
        using (var watch = operators.WatchJob(new GetJobRequest { JobId = "evaluate" }))
            await foreach (var _ in watch.ResponseStream.ReadAllAsync()) { }

        var status = await operators.GetJobAsync(new GetJobRequest { JobId = "evaluate" });
        Assert.Equal(JobState.Succeeded, status.State);
        Assert.StartsWith("round 0/0 done; test accuracy", status.Message, StringComparison.Ordinal);
        var research = new Research.ResearchClient(coordinator.Channel);
        var round = Assert.Single((await research.ListRoundsAsync(new ListRoundsRequest { JobId = "evaluate" })).Rounds);
        Assert.Equal(["Halland", "Karolinska"], round.Metrics.Where(m => m.Split == "test").Select(m => m.Region).Order());
        Assert.Empty(halland.FitRounds.Concat(karolinska.FitRounds));
        using var download = research.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = "evaluate", Round = 0 });
        var stored = await ModelStream.ReadAsync(download.ResponseStream);
        Assert.Equal(["linear.weight", "linear.bias"], stored.Tensors.Select(t => t.Name)); // in the job's order
        Assert.Equal([3f, 4f], stored.Tensors[0].Values);
    }

    [Fact]
    public async Task A_job_naming_a_model_never_uploaded_and_an_upload_with_NaN_are_refused()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var operators = new Operator.OperatorClient(coordinator.Channel);
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 0;
        spec.InitialModelSha256 = new string('a', 64);

        var missing = await Assert.ThrowsAsync<RpcException>(async () => await operators.StartJobAsync(new StartJobRequest { Spec = spec }));
        var nan = await Assert.ThrowsAsync<RpcException>(() => UploadAsync(operators, new ModelParameters([new NamedTensor("w", [2], [1f, float.NaN])])));

        Assert.Equal(StatusCode.FailedPrecondition, missing.StatusCode);
        Assert.StartsWith($"spec.initial_model_sha256: no uploaded model {spec.InitialModelSha256}; upload it first", missing.Status.Detail, StringComparison.Ordinal);
        Assert.Equal((StatusCode.InvalidArgument, "model: every value must be finite (no NaN or infinity)."), (nan.StatusCode, nan.Status.Detail));
    }

    private static async Task<UploadModelResponse> UploadAsync(Operator.OperatorClient operators, ModelParameters model)
    {
        using var call = operators.UploadModel();
        foreach (var chunk in ModelStream.ToChunks(model)) await call.RequestStream.WriteAsync(chunk);
        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }
}

using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.Coordinator.Tests;

public class ModelTransferTests
{
    [Fact]
    public async Task A_models_metadata_travels_in_its_manifest_and_not_in_its_hash()
    {
        var plain = TestModels.LogReg([0.5f, 0.25f], -1f);
        var model = plain.WithMetadata(new Dictionary<string, string> { ["fedcare.feature_mean"] = "[1.5,2]" });

        var received = await ModelStream.ReadAsync(ModelStream.ToChunks(model).ToAsyncEnumerable());

        Assert.Equal(plain.ComputeSha256(), model.ToManifest().Sha256);
        Assert.Equal(plain.ComputeSha256(), received.ComputeSha256());
        Assert.Equal("[1.5,2]", received.Metadata["fedcare.feature_mean"]);
        Assert.Empty((await ModelStream.ReadAsync(ModelStream.ToChunks(plain).ToAsyncEnumerable())).Metadata);
    }

    [Fact]
    public async Task A_20_MB_global_model_downloads_in_chunks_over_loopback_grpc()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var store = coordinator.Services.GetRequiredService<ICoordinatorStore>();
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        await store.Jobs.TryCreateAsync(new JobStatus { JobId = "big", Spec = JobSpecValidationTests.ValidSpec(), State = JobState.Succeeded, CreatedAt = now, UpdatedAt = now });
        var model = TestModels.Random(5_000_000, seed: 7); // 20 MB: five times gRPC's default message limit
        var sha = model.ComputeSha256();
        await store.SaveRoundAsync("big", new RoundSummary { Round = 0, ModelSha256 = sha }, model);

        var research = new Research.ResearchClient(coordinator.Channel);
        using var call = research.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = "big", Round = -1 });
        var downloaded = await ModelStream.ReadAsync(call.ResponseStream);

        Assert.Equal(sha, downloaded.ComputeSha256());
        Assert.Equal(model.Tensors.Select(t => t.Name), downloaded.Tensors.Select(t => t.Name));
        Assert.Equal(model.Tensors[0].Shape, downloaded.Tensors[0].Shape);
        Assert.True(model.Tensors[0].Values.AsSpan().SequenceEqual(downloaded.Tensors[0].Values));

        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var none = research.DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = "big", Round = 3 });
            await ModelStream.ReadAsync(none.ResponseStream);
        });
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}

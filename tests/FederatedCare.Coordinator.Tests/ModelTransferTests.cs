using System.Security.Cryptography;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf;
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
    public async Task A_downloaded_model_names_its_job_round_spec_and_hash_and_the_written_files_hash_is_its_sha256sum()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var store = coordinator.Services.GetRequiredService<ICoordinatorStore>();
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var spec = JobSpecValidationTests.ValidSpec();
        await store.Jobs.TryCreateAsync(new JobStatus { JobId = "traced", Spec = spec, State = JobState.Succeeded, CreatedAt = now, UpdatedAt = now });
        var stored = TestModels.LogReg([0.5f, 0.25f], -1f).WithMetadata(new Dictionary<string, string>
        {
            ["fedcare.feature_names"] = "[\"age\",\"chol\"]",
            ["fedcare.feature_mean"] = "[54.5,240]",
        });
        var sha = stored.ComputeSha256();
        var initial = TestModels.LogReg([0f, 0f], 0f);
        await store.SaveRoundAsync("traced", new RoundSummary { Round = 0, ModelSha256 = initial.ComputeSha256() }, initial);
        await store.SaveRoundAsync("traced", new RoundSummary { Round = 2, ModelSha256 = sha }, stored);

        using var call = new Research.ResearchClient(coordinator.Channel).DownloadGlobalModel(new DownloadGlobalModelRequest { JobId = "traced", Round = -1 });
        var downloaded = await ModelStream.ReadAsync(call.ResponseStream, expectedSha256: sha);
        var path = Path.Combine(coordinator.DataDirectory, "model.safetensors");
        var fileSha = SafeTensors.WriteFile(downloaded, path, downloaded.Metadata);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), fileSha);
        Assert.NotEqual(sha, fileSha); // the file also holds the header: its hash is not the model's
        var metadata = SafeTensors.ReadFile(path).Metadata;
        Assert.Equal("traced", metadata[ModelProvenance.JobId]);
        Assert.Equal("2", metadata[ModelProvenance.Round]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(spec.ToByteArray())), metadata[ModelProvenance.SpecSha256]);
        Assert.Equal(sha, metadata[ModelProvenance.ModelSha256]);
        Assert.Equal("[\"age\",\"chol\"]", metadata["fedcare.feature_names"]);
        Assert.Equal("[54.5,240]", metadata["fedcare.feature_mean"]);
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

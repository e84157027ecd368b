using System.Security.Cryptography;
using FederatedCare.Coordinator.Extensions;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary><c>fedcare download</c> as a user runs it: the hash it prints is the written file's sha256sum.</summary>
public sealed class FedcareDownloadTests
{
    [Fact]
    public async Task Download_prints_the_files_sha256_and_names_the_round()
    {
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
        var store = coordinator.App.Services.GetRequiredService<ICoordinatorStore>();
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var spec = new JobSpec { Name = "traced", Dataset = "heart-disease", Rounds = 1 };
        await store.Jobs.TryCreateAsync(new JobStatus { JobId = "traced", Spec = spec, State = JobState.Succeeded, CreatedAt = now, UpdatedAt = now });
        var model = new ModelParameters([new NamedTensor("linear.weight", [1, 2], [0.5f, -0.25f]), new NamedTensor("linear.bias", [1], [1f])]);
        await store.SaveRoundAsync("traced", new RoundSummary { Round = 1, ModelSha256 = model.ComputeSha256() }, model);
        var path = Path.Combine(RepositoryPaths.TempDirectory(), "model.safetensors");

        var (exitCode, stdout, stderr) = await FedcareProcess.RunAsync("-c", coordinator.Address.ToString(), "download", "traced", "--out", path);

        Assert.True(exitCode == 0, stderr);
        var fileSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Contains($"wrote round 1 of job traced: 2 tensors (12 bytes) to {path}; sha256 of the file {fileSha}", stdout, StringComparison.Ordinal);
        Assert.Equal(model.ComputeSha256(), SafeTensors.ReadFile(path).Metadata[ModelProvenance.ModelSha256]);
    }
}

using FederatedCare.Coordinator.Extensions;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary><c>fedcare submit --initial-model FILE</c> as a user runs it: the file is uploaded and the job names it.</summary>
public sealed class FedcareInitialModelTests
{
    [Fact]
    public async Task Submit_uploads_the_model_file_and_the_job_spec_names_its_sha256()
    {
        await using var coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
        var model = new ModelParameters([new NamedTensor("linear.weight", [1, 13], new float[13]), new NamedTensor("linear.bias", [1], [0.5f])]);
        var file = Path.Combine(RepositoryPaths.TempDirectory(), "given.safetensors");
        SafeTensors.WriteFile(model, file);

        var (exitCode, stdout, stderr) = await FedcareProcess.RunAsync("-c", coordinator.Address.ToString(), "submit",
            RepositoryPaths.Example("fedavg.json"), "--job-id", "given", "--initial-model", file);

        Assert.True(exitCode == 0, stderr);
        var sha = model.ComputeSha256();
        Assert.Contains($"uploaded initial model {file}: 56 bytes, sha256 {sha}", stdout, StringComparison.Ordinal);
        var job = await new Operator.OperatorClient(coordinator.CreateChannel()).GetJobAsync(new GetJobRequest { JobId = "given" });
        Assert.Equal(sha, job.Spec.InitialModelSha256);
    }

    [Fact]
    public async Task A_missing_model_file_is_refused_before_anything_is_submitted()
    {
        var (exitCode, _, stderr) = await FedcareProcess.RunAsync("-c", "http://127.0.0.1:1", "submit", RepositoryPaths.Example("fedavg.json"),
            "--initial-model", "/nonexistent/model.safetensors");

        Assert.Equal(2, exitCode);
        Assert.Equal("--initial-model: '/nonexistent/model.safetensors' does not exist.", stderr);
    }
}

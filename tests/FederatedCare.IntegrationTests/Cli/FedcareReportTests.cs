using FederatedCare.Cli.Output;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>
/// <c>fedcare report</c> as a researcher runs it, against a real coordinator and the demo's four node agents after a
/// short DP-FedAvg job on the heart-disease data.
/// </summary>
public sealed class FedcareReportTests : IDisposable
{
    private readonly string _dir = RepositoryPaths.TempDirectory();

    [Fact]
    public async Task A_finished_dp_job_gives_report_md_with_its_rounds_and_epsilon_and_png_and_svg_charts_the_same_each_time()
    {
        await using var federation = await Federation.StartAsync();
        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg-dp.json"));
        spec.Rounds = 2;
        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));
        Assert.Equal(JobState.Succeeded, status.State);
        var (first, second) = (Path.Combine(_dir, "first"), Path.Combine(_dir, "second"));

        var (exitCode, stdout, stderr) = await FedcareProcess.RunAsync("-c", federation.Coordinator.Address.ToString(), "report", status.JobId, "--out", first);
        var again = await FedcareProcess.RunAsync("-c", federation.Coordinator.Address.ToString(), "report", status.JobId, "--out", second);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal($"wrote {Path.Combine(first, "report.md")} and 8 charts (accuracy, auc, f1, loss) to {first}", stdout);
        var report = File.ReadAllText(Path.Combine(first, "report.md"));
        Assert.Equal(report, File.ReadAllText(Path.Combine(second, "report.md")));
        var lines = report.Split('\n');
        Assert.Equal("# Job report: heart-disease-fedavg-dp", lines[0]);
        Assert.Contains($"| spec SHA-256 | `{ReportMarkdown.SpecSha256(status.Spec)}` |", lines);
        Assert.Contains("| round | participants | examples | test accuracy | test auc | test f1 | test loss | privacy spent |", lines);
        var rounds = (await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = status.JobId })).Rounds;
        var round2 = Assert.Single(lines, l => l.StartsWith("| 2 | Halland, Karolinska, Sahlgrenska, Örebro | ", StringComparison.Ordinal));
        Assert.EndsWith($" | {PrivacyText.EpsilonAtDelta(rounds[2].Privacy)} |", round2, StringComparison.Ordinal);
        foreach (var region in Federation.Regions.Select(r => r.Region))
            Assert.Single(lines, l => l.StartsWith($"| {region} | 2 | ", StringComparison.Ordinal));
        foreach (var metric in new[] { "accuracy", "auc", "f1", "loss" })
        {
            Assert.Contains($"![test {metric} per region]({metric}.png)", report, StringComparison.Ordinal);
            Assert.Equal(0x89, File.ReadAllBytes(Path.Combine(first, metric + ".png"))[0]);
            Assert.Contains("Karolinska", File.ReadAllText(Path.Combine(first, metric + ".svg")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_job_is_named_and_nothing_is_written()
    {
        await using var coordinator = await FederatedCare.Coordinator.Extensions.CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
        var output = Path.Combine(_dir, "out");

        var (exitCode, _, stderr) = await FedcareProcess.RunAsync("-c", coordinator.Address.ToString(), "report", "nope", "--out", output);

        Assert.Equal(1, exitCode);
        Assert.Equal("NotFound: no job 'nope' on the coordinator (fedcare jobs lists them)", stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

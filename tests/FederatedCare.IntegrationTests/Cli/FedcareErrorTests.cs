namespace FederatedCare.IntegrationTests.Cli;

/// <summary>fedcare's answers to unusable command lines: one line on stderr and exit code 2, nothing sent anywhere.</summary>
public sealed class FedcareErrorTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1:5050")]
    [InlineData("127.0.0.1:5050")]
    public async Task A_coordinator_address_that_is_not_http_or_https_is_refused_in_one_line(string address)
    {
        var (exitCode, _, stderr) = await FedcareProcess.RunAsync("-c", address, "jobs");
        Assert.Equal(2, exitCode);
        Assert.Equal($"'{address}' is not a coordinator address (expected http:// or https://, e.g. http://127.0.0.1:5050)", stderr);
    }

    [Fact]
    public async Task An_out_path_that_cannot_be_a_directory_is_refused_before_the_job_is_submitted()
    {
        var file = Path.Combine(RepositoryPaths.TempDirectory(), "results");
        File.WriteAllText(file, "");
        // Port 1: a submission would fail as Unavailable (exit 1); the check comes first.
        var (exitCode, _, stderr) = await FedcareProcess.RunAsync("-c", "http://127.0.0.1:1", "submit", RepositoryPaths.Example("fedavg.json"), "--watch", "--out", file);
        Assert.Equal(2, exitCode);
        Assert.StartsWith($"--out: '{file}' cannot be the results directory (", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plot_accepts_only_the_splits_there_are()
    {
        var (exitCode, _, stderr) = await FedcareProcess.RunAsync("plot", "j", "--out", "x.svg", "--split", "validation");
        Assert.Equal(1, exitCode);
        Assert.Contains("Argument 'validation' not recognized. Must be one of:", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rounds", "abc")]
    [InlineData("--rounds", "99999999999")]
    [InlineData("--seed", "4.2")]
    public async Task A_number_option_that_is_not_a_whole_number_is_named_in_plain_words(string option, string value)
    {
        var (exitCode, _, stderr) = await FedcareProcess.RunAsync("submit", RepositoryPaths.Example("fedavg.json"), option, value);
        Assert.Equal(1, exitCode);
        Assert.Contains($"{option}: '{value}' is not a whole number", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);
    }
}

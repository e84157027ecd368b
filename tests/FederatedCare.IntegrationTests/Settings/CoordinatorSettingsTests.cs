namespace FederatedCare.IntegrationTests.Settings;

/// <summary>
/// The coordinator's command line as an operator meets it: <c>--help</c> lists the settings and starts nothing; a
/// misspelt key, a value of the wrong type or an invalid value stops it at once with exit code 2 and one line per
/// problem naming the key, before it listens or creates its data directory.
/// </summary>
public sealed class CoordinatorSettingsTests
{
    private static readonly string Coordinator = AppProcess.Dll("coordinator/FederatedCare.Coordinator", "FederatedCare.Coordinator");

    [Fact]
    public async Task Help_lists_every_setting_with_its_default_and_starts_nothing()
    {
        var work = RepositoryPaths.TempDirectory();
        using var app = AppProcess.Start(Coordinator, "--help", $"--Coordinator:DataDirectory={Path.Combine(work, "data")}");

        Assert.Equal(0, await app.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        var help = string.Join('\n', app.Stdout);
        Assert.Contains("--Coordinator:DataDirectory=... [./coordinator-data]", help);
        Assert.Contains("--Coordinator:Aggregation:UploadBuffers=... [1]", help);
        Assert.Contains("--Coordinator:Tls:ClientCaPath=... [unset]", help);
        // Descriptions come from the options' doc comments, also those of another assembly (Core's AggregationOptions).
        Assert.Contains("Seconds between keep-alive pings", help);
        Assert.Contains("Largest model or update accepted", help);
        Assert.False(Directory.Exists(Path.Combine(work, "data")), "--help must not create the data directory");
    }

    [Theory]
    [InlineData("--Coordinator:HeartbeatSecond=3", "Cannot start the coordinator: Coordinator:HeartbeatSecond is not a setting of the coordinator (see --help).")]
    [InlineData("--Coordinator:Aggregation:Buffers=3", "Cannot start the coordinator: Coordinator:Aggregation:Buffers is not a setting of the coordinator (see --help).")]
    [InlineData("--Coordinator:HeartbeatSeconds=abc", "Cannot start the coordinator: Failed to convert configuration value 'abc' at 'Coordinator:HeartbeatSeconds' to type 'System.Double'.")]
    [InlineData("--Coordinator:DefaultRoundDeadlineSeconds=0", "Cannot start the coordinator: Coordinator:DefaultRoundDeadlineSeconds must be a positive number of seconds (was 0).")]
    [InlineData("--Coordinator:Aggregation:UploadBuffers=0", "Cannot start the coordinator: Coordinator:Aggregation:UploadBuffers must be at least 1 (was 0).")]
    [InlineData("--Coordinator:Tls:ReloadSeconds=0", "Cannot start the coordinator: Coordinator:Tls:ReloadSeconds must be a positive number of seconds (was 0).")]
    [InlineData("--Coordinator:Tls:RevocationList=crl.pem", "Cannot start the coordinator: Coordinator:Tls:RevocationList needs mutual TLS: set Coordinator:Tls:CertificatePath, KeyPath and ClientCaPath too.")]
    [InlineData("--Coordinator:Store=mysql", "Cannot start the coordinator: Coordinator:Store must be 'sqlite' or 'postgres', not 'mysql'.")]
    [InlineData("--Coordinator:Store=postgres", "Cannot start the coordinator: Coordinator:Postgres:ConnectionString is required when Coordinator:Store is 'postgres'.")]
    public async Task A_wrong_setting_stops_the_coordinator_with_one_line_naming_the_key(string setting, string expected)
    {
        var data = Path.Combine(RepositoryPaths.TempDirectory(), "data");

        var (exitCode, stderr) = await AppProcess.RunAsync(Coordinator, "--urls", "http://127.0.0.1:0", $"--Coordinator:DataDirectory={data}", setting);

        Assert.True(exitCode == 2, $"exit code {exitCode}: {stderr}");
        Assert.Equal(expected, stderr.Trim());
        Assert.False(Directory.Exists(data), "a coordinator that cannot start must not create its data directory");
    }

    [Fact]
    public async Task Every_invalid_value_is_named_not_only_the_first()
    {
        var (exitCode, stderr) = await AppProcess.RunAsync(Coordinator, "--urls", "http://127.0.0.1:0",
            $"--Coordinator:DataDirectory={Path.Combine(RepositoryPaths.TempDirectory(), "data")}",
            "--Coordinator:HeartbeatSeconds=-1", "--Coordinator:Http2WindowBytes=10");

        Assert.Equal(2, exitCode);
        Assert.Equal(
        [
            "Cannot start the coordinator: Coordinator:HeartbeatSeconds must be a positive number of seconds (was -1).",
            "Cannot start the coordinator: Coordinator:Http2WindowBytes must be at least 65535 (was 10).",
        ], stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("Cannot start", StringComparison.Ordinal)));
    }
}

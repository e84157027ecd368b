using System.Text.Json;
using FederatedCare.Coordinator.Extensions;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>
/// fedcare's <c>--output json|csv</c>, <c>logs</c>, <c>clone</c> and <c>delete</c> as a script runs them (stdout redirected) against a
/// coordinator without node agents, where a submitted job waits for its clients.
/// </summary>
public sealed class FedcareOutputTests : IAsyncLifetime
{
    private RunningCoordinator _coordinator = null!;
    private string _jobId = "";

    public async Task InitializeAsync()
    {
        _coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}"]);
        var (exitCode, stdout, stderr) = await Fedcare("submit", RepositoryPaths.Example("fedavg.json"), "--seed", "7");
        Assert.True(exitCode == 0, stderr);
        _jobId = stdout.Split(' ')[1];
    }

    public async Task DisposeAsync() => await _coordinator.DisposeAsync();

    [Fact]
    public async Task Jobs_as_json_is_one_document_on_stdout_with_camel_case_names_and_numbers()
    {
        var (exitCode, stdout, stderr) = await Fedcare("jobs", "--output", "json");

        Assert.True(exitCode == 0, stderr);
        Assert.Empty(stderr); // redirected: no progress display, no log lines
        using var document = JsonDocument.Parse(stdout);
        var job = Assert.Single(document.RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal(_jobId, job.GetProperty("jobId").GetString());
        Assert.Contains(job.GetProperty("state").GetString(), new[] { "Pending", "Running" }); // waiting for its clients
        Assert.Equal(JsonValueKind.Number, job.GetProperty("currentRound").ValueKind);
        Assert.Equal(15, job.GetProperty("rounds").GetInt32());
        Assert.Equal("fedavg", job.GetProperty("strategy").GetString());
    }

    [Fact]
    public async Task Jobs_and_nodes_as_csv_have_a_header_line_and_one_line_per_row()
    {
        var (jobsExit, jobs, _) = await Fedcare("jobs", "--output", "csv");
        var (nodesExit, nodes, _) = await Fedcare("nodes", "-o", "csv");

        Assert.Equal((0, 0), (jobsExit, nodesExit));
        var lines = jobs.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("job_id,name,strategy,state,current_round,rounds,message,created_at", lines[0]);
        Assert.StartsWith($"{_jobId},", Assert.Single(lines[1..]), StringComparison.Ordinal);
        Assert.Equal("region,display_name,node_id,connected,device,last_seen,clock_skew_ms,certificate_not_after", nodes.Trim());
    }

    [Fact]
    public async Task A_redirected_table_does_not_wrap_at_80_columns()
    {
        // A job id of 64 characters (the most) and the job name do not fit in 80 columns: wrapped, they would not share a line.
        var longId = "cohort-2026-" + new string('x', 52);
        var (submitExit, _, submitErr) = await Fedcare("submit", RepositoryPaths.Example("fedavg.json"), "--job-id", longId);
        Assert.True(submitExit == 0, submitErr);

        var (exitCode, stdout, _) = await Fedcare("jobs");

        Assert.Equal(0, exitCode);
        var row = Assert.Single(stdout.Split('\n'), l => l.Contains(longId, StringComparison.Ordinal));
        Assert.Contains("heart-disease-fedavg", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_as_json_and_logs_show_the_jobs_coordinator_side_events()
    {
        var (statusExit, status, _) = await Fedcare("status", _jobId, "--output", "json");
        var (logsExit, logs, stderr) = await Fedcare("logs", _jobId, "--output", "json");

        Assert.Equal(0, statusExit);
        using (var document = JsonDocument.Parse(status)) Assert.Equal(_jobId, document.RootElement.GetProperty("jobId").GetString());
        Assert.True(logsExit == 0, stderr);
        using var events = JsonDocument.Parse(logs);
        Assert.Equal(_jobId, events.RootElement.GetProperty("jobId").GetString());
        var all = events.RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(all, e => e.GetProperty("action").GetString() == "job.started" && e.GetProperty("jobId").GetString() == _jobId);
        Assert.All(all, e => Assert.Equal(_jobId, e.GetProperty("jobId").GetString()));
    }

    [Fact]
    public async Task Logs_of_an_unknown_job_is_not_found()
    {
        var (exitCode, stdout, stderr) = await Fedcare("logs", "no-such-job");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.StartsWith("NotFound: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clone_submits_a_copy_of_the_spec_with_the_overrides_and_prints_the_new_id()
    {
        var (exitCode, stdout, stderr) = await Fedcare("clone", _jobId, "--rounds", "3", "--seed", "11");

        Assert.True(exitCode == 0, stderr);
        var cloneId = stdout.Trim();
        Assert.NotEqual(_jobId, cloneId);
        var (_, json, _) = await Fedcare("jobs", "--output", "json");
        using var document = JsonDocument.Parse(json);
        var clone = Assert.Single(document.RootElement.GetProperty("jobs").EnumerateArray(), j => j.GetProperty("jobId").GetString() == cloneId);
        Assert.Equal(3, clone.GetProperty("rounds").GetInt32());
        Assert.Equal("heart-disease-fedavg", clone.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Delete_refuses_a_waiting_job_and_removes_an_aborted_one_with_an_audit_entry()
    {
        var (refusedExit, _, refused) = await Fedcare("delete", _jobId);
        Assert.Equal(1, refusedExit);
        Assert.StartsWith("FailedPrecondition: ", refused, StringComparison.Ordinal);
        Assert.Equal(0, (await Fedcare("abort", _jobId)).ExitCode);

        var (exitCode, stdout, stderr) = await Fedcare("delete", _jobId);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal($"deleted job {_jobId} (Aborted)", stdout);
        var (_, jobs, _) = await Fedcare("jobs", "--output", "json");
        using (var document = JsonDocument.Parse(jobs)) Assert.Empty(document.RootElement.GetProperty("jobs").EnumerateArray());
        var (_, audit, _) = await Fedcare("audit", "--job", _jobId, "--output", "json");
        using var entries = JsonDocument.Parse(audit);
        Assert.Equal(["job.started", "job.aborted", "job.deleted"],
            entries.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(1, (await Fedcare("status", _jobId)).ExitCode);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Fedcare(params string[] args) =>
        FedcareProcess.RunAsync(["-c", _coordinator.Address.ToString(), .. args]);
}

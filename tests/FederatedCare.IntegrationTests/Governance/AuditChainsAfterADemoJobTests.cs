using System.Text.Json.Nodes;
using FederatedCare.IntegrationTests.Cli;
using FederatedCare.NodeAgent.Commands;
using FederatedCare.NodeAgent.Governance;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.IntegrationTests.Governance;

/// <summary>
/// The demo's FedAvg job on the heart-disease data with a real coordinator and four real agents, each keeping its
/// audit log in a state folder: afterwards <c>fedcare audit --verify</c> verifies the coordinator's chain, each
/// region's <c>audit verify</c> verifies its own, each region's log holds one <c>released</c> entry per message it
/// sent, and changing, removing or reordering one entry of a real log fails naming that entry.
/// </summary>
public sealed class AuditChainsAfterADemoJobTests
{
    [Fact]
    public async Task Both_audit_chains_verify_after_a_full_demo_job()
    {
        var state = RepositoryPaths.TempDirectory();
        string StateOf(string region) => Path.Combine(state, Federation.ConfigName(region));
        await using var federation = await Federation.StartAsync(Federation.Regions.Select(r => (string[])
        [
            "--config", Path.Combine(RepositoryPaths.Root, "examples", "heart-disease", "nodes", Federation.ConfigName(r.Region) + ".json"),
            $"--NodeAgent:StateDirectory={StateOf(r.Region)}",
        ]).ToList());
        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));

        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(4));
        Assert.True(status.State == JobState.Succeeded, status.Message);

        // The coordinator's chain, read page by page and recomputed by fedcare.
        var (exitCode, stdout, stderr) = await FedcareProcess.RunAsync("-c", federation.Coordinator.Address.ToString(), "audit", "--verify");
        Assert.True(exitCode == 0, stderr);
        Assert.Matches(@"^OK: \d+ entries, last hash [0-9a-f]{64}$", stdout.Trim());
        var listed = await federation.Operator.ListAuditAsync(new ListAuditRequest { JobId = status.JobId, Action = "update.accepted", Limit = 1000 });
        Assert.True(listed.Records.Count >= 4 * spec.Rounds, $"{listed.Records.Count} accepted updates");
        Assert.All(listed.Records, r => Assert.Equal((status.JobId, "update.accepted"), (r.JobId, r.Action)));
        Assert.True(AuditChain.Verify((await federation.Operator.ListAuditAsync(new ListAuditRequest())).Records).Valid);
        // The same entries as fedcare writes them: CSV and JSON, filtered by job and action; filters and --verify do not mix.
        var address = federation.Coordinator.Address.ToString();
        var csv = Path.Combine(state, "audit.csv");
        var json = Path.Combine(state, "audit.json");
        Assert.Equal(0, (await FedcareProcess.RunAsync("-c", address, "audit", "--job", status.JobId, "--action", "update.accepted", "--csv", csv)).ExitCode);
        Assert.Equal(0, (await FedcareProcess.RunAsync("-c", address, "audit", "--job", status.JobId, "--action", "update.accepted", "--json", json)).ExitCode);
        var csvLines = File.ReadAllLines(csv);
        Assert.Equal("seq,time,actor,action,job_id,round,detail,prev_hash,hash", csvLines[0]);
        Assert.Equal(listed.Records.Count, csvLines.Length - 1);
        Assert.Equal(listed.Records, ListAuditResponse.Parser.ParseJson(File.ReadAllText(json)).Records);
        var (mixed, _, mixedError) = await FedcareProcess.RunAsync("-c", address, "audit", "--verify", "--job", status.JobId);
        Assert.NotEqual(0, mixed);
        Assert.Contains("--verify checks the whole chain", mixedError, StringComparison.Ordinal);

        // Each region's own chain, and what it says left: one entry per update, statistics and metrics report sent.
        var fromRegions = federation.Recorder.Received.Where(r => r.Method.StartsWith("/federatedcare.v1.Federation/", StringComparison.Ordinal))
            .Select(r => r.Message).ToList();
        var released = new List<JsonObject>();
        foreach (var (region, _) in Federation.Regions)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var config = Path.Combine(StateOf(region), "node.json");
            File.WriteAllText(config, """{"NodeAgent": {"StateDirectory": "."}}""");
            Assert.True(AuditCommand.Verify(config, null, output, error) == 0, error.ToString());
            Assert.StartsWith("OK: ", output.ToString(), StringComparison.Ordinal);
            released.AddRange(File.ReadLines(Path.Combine(StateOf(region), RegionAuditLog.FileName))
                .Select(l => JsonNode.Parse(l)!.AsObject()).Where(e => e["action"]!.GetValue<string>() == RegionAuditActions.Released)
                .Select(e => e["detail"]!.AsObject()));
        }
        string Kind(JsonObject d) => d["kind"]!.GetValue<string>();
        var headers = fromRegions.OfType<UpdateChunk>().Where(c => c.PayloadCase == UpdateChunk.PayloadOneofCase.Header).Select(c => c.Header).ToList();
        Assert.Equal(headers.Count(h => h.Kind == UpdateKind.Delta), released.Count(d => Kind(d) == "update"));
        Assert.Equal(headers.Count(h => h.Kind == UpdateKind.InitialModel), released.Count(d => Kind(d) == "initial_model"));
        Assert.Equal(headers.Where(h => h.Kind == UpdateKind.Delta).Select(h => h.NumExamples).Order(),
            released.Where(d => Kind(d) == "update").Select(d => d["num_examples"]!.GetValue<long>()).Order());
        Assert.All(released.Where(d => Kind(d) == "update"), d => Assert.True(d["l2_norm"]!.GetValue<double>() > 0));
        Assert.Equal(fromRegions.OfType<ReportStatisticsRequest>().Count(), released.Count(d => Kind(d) == "statistics"));
        Assert.Equal(fromRegions.OfType<ReportMetricsRequest>().Count(), released.Count(d => Kind(d) == "metrics"));

        // One entry of a real log changed, removed or moved: verification names it.
        var lines = File.ReadAllLines(Path.Combine(StateOf("Halland"), RegionAuditLog.FileName));
        Assert.True(lines.Length > 6);
        string[] changed = [.. lines];
        changed[4] = changed[4].Replace("\"time\":\"", "\"time\":\"1", StringComparison.Ordinal);
        string[] removed = [.. lines.Take(4), .. lines.Skip(5)];
        string[] moved = [.. lines.Take(4), lines[5], lines[4], .. lines.Skip(6)];
        foreach (var (tampered, expected) in new[] { (changed, "entry 5: hash"), (removed, "entry 5: seq"), (moved, "entry 5: seq") })
        {
            var file = Path.Combine(state, "tampered.jsonl");
            File.WriteAllLines(file, tampered);
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.Equal(AuditCommand.Broken, AuditCommand.Verify(null, file, output, error));
            Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        }
    }
}

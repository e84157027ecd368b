using System.Text.Json.Nodes;
using FederatedCare.NodeAgent.Commands;
using FederatedCare.NodeAgent.Governance;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.NodeAgent.Tests.Governance;

/// <summary><c>audit verify</c> over a node configuration or a file: OK with the count, or the broken entry and exit 1.</summary>
public sealed class AuditCommandTests
{
    private static (string Config, string Log) NodeWithLog(TempDir dir, int entries)
    {
        var config = dir.Write("node.json", """{"NodeAgent": {"Region": "Halland", "StateDirectory": "state"}}""");
        var log = Path.Combine(dir.Path, "state", RegionAuditLog.FileName);
        var audit = new RegionAuditLog(log, new FakeTimeProvider());
        for (int i = 0; i < entries; i++) audit.Append(RegionAuditActions.Released, "job-1", RegionReleaseAudit.Actor, new JsonObject { ["num_examples"] = i });
        return (config, log);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var (config, file) = (Value(args, "--config"), Value(args, "--file"));
        int code = AuditCommand.Verify(config, file, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string? Value(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 ? args[i + 1] : null;

    [Fact]
    public void The_log_named_by_the_node_configuration_verifies_with_its_count()
    {
        using var dir = new TempDir();
        var (config, log) = NodeWithLog(dir, 3);

        var (code, output, _) = Run("--config", config);

        Assert.Equal(0, code);
        Assert.StartsWith($"OK: {log}: 3 entries, last hash ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_entry_fails_naming_it_and_exits_non_zero()
    {
        using var dir = new TempDir();
        var (_, log) = NodeWithLog(dir, 3);
        var lines = File.ReadAllLines(log);
        lines[1] = lines[1].Replace("\"num_examples\":1", "\"num_examples\":7", StringComparison.Ordinal);
        File.WriteAllLines(log, lines);

        var (code, output, error) = Run("--file", log);

        Assert.Equal(AuditCommand.Broken, code);
        Assert.Empty(output);
        Assert.Contains("entry 2: hash does not match", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_without_a_state_folder_or_a_missing_log_is_a_clear_error()
    {
        using var dir = new TempDir();
        var config = dir.Write("memory.json", """{"NodeAgent": {"Region": "Halland"}}""");

        Assert.Equal(AuditCommand.NoLog, Run("--config", config).Code);
        Assert.Contains("names no NodeAgent:StateDirectory", Run("--config", config).Error, StringComparison.Ordinal);
        Assert.Equal(AuditCommand.NoLog, Run("--file", Path.Combine(dir.Path, "none.jsonl")).Code);
    }

    [Fact]
    public async Task The_agent_program_dispatches_the_verb_and_checks_its_options()
    {
        using var dir = new TempDir();
        var (config, _) = NodeWithLog(dir, 2);

        Assert.Equal(0, await NodeAgentCommands.RunAsync(["audit", "verify", "--config", config]));
        Assert.NotEqual(0, await NodeAgentCommands.RunAsync(["audit", "verify"]));
    }
}

using System.Text.Json.Nodes;
using FederatedCare.NodeAgent.Governance;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.NodeAgent.Tests.Governance;

public sealed class RegionAuditLogTests
{
    static string[] WriteThree(string path)
    {
        var log = new RegionAuditLog(path, new FakeTimeProvider());
        log.Append(RegionAuditActions.JobSeen, "job-1", "operator", new JsonObject { ["spec_sha256"] = "ab" });
        log.Append(RegionAuditActions.Approved, "job-1", "policy");
        log.Append(RegionAuditActions.Released, "job-1", null, new JsonObject { ["num_examples"] = 100 });
        return File.ReadAllLines(path);
    }

    [Fact]
    public void A_written_log_verifies_and_continues_its_chain_after_a_restart()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, RegionAuditLog.FileName);
        WriteThree(path);
        new RegionAuditLog(path, new FakeTimeProvider()).Append(RegionAuditActions.Refused, "job-2", "policy");

        var result = RegionAuditLog.Verify(path);
        Assert.True(result.Valid, result.Error);
        Assert.Equal(4, result.Entries);
    }

    [Fact]
    public void Changing_removing_or_reordering_an_entry_fails_naming_it()
    {
        using var dir = new TempDir();
        var lines = WriteThree(Path.Combine(dir.Path, RegionAuditLog.FileName));

        string[] changed = [lines[0], lines[1].Replace("\"policy\"", "\"someone\""), lines[2]];
        Assert.StartsWith("entry 2: hash", RegionAuditLog.Verify(changed).Error);
        Assert.StartsWith("entry 2: seq", RegionAuditLog.Verify([lines[0], lines[2]]).Error);
        Assert.StartsWith("entry 1: seq", RegionAuditLog.Verify([lines[1], lines[0], lines[2]]).Error);
    }

    [Fact]
    public void A_broken_log_stops_the_agent_instead_of_being_continued()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, RegionAuditLog.FileName);
        var lines = WriteThree(path);
        File.WriteAllLines(path, [lines[0], lines[2]]);

        var error = Assert.Throws<InvalidDataException>(() => new RegionAuditLog(path, new FakeTimeProvider()));
        Assert.Contains("entry 2", error.Message);
    }

    [Fact]
    public void Without_a_path_the_log_is_kept_in_memory_and_verifies()
    {
        var log = new RegionAuditLog(null, new FakeTimeProvider());
        log.Append(RegionAuditActions.JobSeen, "job-1", "operator");
        log.Append(RegionAuditActions.Released, "job-1", null);
        Assert.True(RegionAuditLog.Verify(log.Lines).Valid);
    }
}

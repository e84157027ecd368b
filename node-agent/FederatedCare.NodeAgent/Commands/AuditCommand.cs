using System.CommandLine;
using FederatedCare.NodeAgent.Governance;

namespace FederatedCare.NodeAgent.Commands;

/// <summary>
/// <c>audit verify [--config node.json | --file PATH]</c>: checks the hash chain of the region's audit log
/// (<see cref="RegionAuditLog.Verify(string)"/>) and prints <c>OK: N entries</c>, or the first broken entry.
/// Exit codes: 0 the chain verifies, 1 it is broken, 2 no log to check (missing file, configuration without a state folder).
/// </summary>
public static class AuditCommand
{
    /// <summary>Exit code when the chain is broken.</summary>
    public const int Broken = 1;

    /// <summary>Exit code when there is no log to check.</summary>
    public const int NoLog = 2;

    /// <summary>Builds <c>audit</c> with its <c>verify</c> subcommand.</summary>
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "The node configuration file; the log is <StateDirectory>/" + RegionAuditLog.FileName + "." };
        var file = new Option<string?>("--file") { Description = "The audit log file itself." };
        var verify = new Command("verify", "Check the hash chain of this region's audit log: every entry unchanged, none removed or moved.") { config, file };
        verify.Validators.Add(result =>
        {
            if ((result.GetValue(config) is null) == (result.GetValue(file) is null)) result.AddError("Give exactly one of --config and --file.");
        });
        verify.SetAction(parse => Verify(parse.GetValue(config), parse.GetValue(file), Console.Out, Console.Error));
        return new Command("audit", "The region's own audit log (every job seen, approval, refusal and release).") { verify };
    }

    /// <summary>Verifies the log named by <paramref name="config"/> or <paramref name="file"/> and writes the result.</summary>
    /// <returns>0, <see cref="Broken"/> or <see cref="NoLog"/>.</returns>
    public static int Verify(string? config, string? file, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string path;
        try
        {
            path = file ?? Path.Combine(NodeStateDirectory.FromConfig(config!), RegionAuditLog.FileName);
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine(e.Message);
            return NoLog;
        }
        if (!File.Exists(path))
        {
            error.WriteLine($"{path}: no audit log (the agent writes it on its first entry).");
            return NoLog;
        }
        var result = RegionAuditLog.Verify(path);
        if (!result.Valid)
        {
            error.WriteLine($"BROKEN: {path}: {result.Error}");
            return Broken;
        }
        output.WriteLine($"OK: {path}: {result.Entries} entries, last hash {result.LastHash}");
        return 0;
    }
}

using System.CommandLine;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Governance;

namespace FederatedCare.NodeAgent.Commands;

/// <summary>
/// The agent's command line: a region's data team runs a command verb (<c>audit verify …</c>, <c>approvals list …</c>) against the node's
/// state; without one the agent runs (<see cref="NodeAgentHost.RunAsync"/>) with the arguments as configuration.
/// </summary>
public static class NodeAgentCommands
{
    /// <summary>The command verbs; a new node-side command is one more entry here.</summary>
    public static IReadOnlyList<Command> Verbs() => [AuditCommand.Create(), ApprovalsCommand.Create()];

    /// <summary>Runs the verb <paramref name="args"/> starts with, or else the agent.</summary>
    /// <returns>The command's exit code, or the agent's (<see cref="NodeAgentHost.RunAsync"/>).</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var verbs = Verbs();
        if (args.Length == 0 || !verbs.Any(v => v.Name == args[0])) return await NodeAgentHost.RunAsync(args).ConfigureAwait(false);
        var root = new RootCommand("FederatedCare node agent: run without a command to join the federation; the commands act on this node's own state.");
        foreach (var verb in verbs) root.Subcommands.Add(verb);
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}

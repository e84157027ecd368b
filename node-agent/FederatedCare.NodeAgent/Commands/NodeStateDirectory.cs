using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Configuration;

namespace FederatedCare.NodeAgent.Commands;

/// <summary>The state folder (<c>NodeAgent:StateDirectory</c>) a node configuration file names, as the agent resolves it.</summary>
public static class NodeStateDirectory
{
    /// <summary>
    /// Reads <paramref name="configPath"/> (the agent's <c>--config</c> file) and returns its state folder, resolved
    /// against the file's folder like the agent does (<see cref="ConfigFile.ResolvePaths"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The file does not exist, is not JSON, or names no state folder.</exception>
    public static string FromConfig(string configPath)
    {
        // As the agent reads it: environment variables (NodeAgent__StateDirectory), then the file.
        var configuration = new ConfigurationManager();
        configuration.AddEnvironmentVariables();
        try
        {
            ConfigFile.Add(configuration, [ConfigFile.Switch, configPath]);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new InvalidOperationException($"Configuration file '{configPath}' is not valid JSON: {e.GetBaseException().Message}", e);
        }
        var options = new NodeAgentOptions
        {
            StateDirectory = configuration[$"{NodeAgentOptions.SectionName}:{nameof(NodeAgentOptions.StateDirectory)}"] ?? "",
            ConfigDirectory = configuration[$"{NodeAgentOptions.SectionName}:{nameof(NodeAgentOptions.ConfigDirectory)}"] ?? "",
        };
        ConfigFile.ResolvePaths(options);
        if (string.IsNullOrWhiteSpace(options.StateDirectory))
            throw new InvalidOperationException($"Configuration file '{configPath}' names no NodeAgent:StateDirectory: this node keeps its audit log in memory only.");
        return options.StateDirectory;
    }
}

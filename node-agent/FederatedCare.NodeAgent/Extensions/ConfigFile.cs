using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;

namespace FederatedCare.NodeAgent.Extensions;

/// <summary>
/// <c>--config FILE</c>: a JSON node configuration (the same shape as appsettings.json, e.g.
/// <c>{"NodeAgent": {"Region": "Halland", "Datasets": {...}}}</c>) that a region's data team keeps next to its data.
/// It sits after appsettings.json and environment variables and before the command line (so it overrides the
/// defaults of appsettings.json, e.g. the coordinator address and TLS, and <c>--NodeAgent:...</c> still overrides it),
/// and relative paths in it resolve against the file's folder.
/// </summary>
public static class ConfigFile
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--config";

    /// <summary>Adds the file named by <c>--config FILE</c> (or <c>--config=FILE</c>), if any, to <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">The file does not exist.</exception>
    public static void Add(ConfigurationManager configuration, string[] args)
    {
        string? path = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == Switch && i + 1 < args.Length) path = args[i + 1];
            else if (args[i].StartsWith(Switch + "=", StringComparison.Ordinal)) path = args[i][(Switch.Length + 1)..];
        }
        if (path is null) return;
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new InvalidOperationException($"Configuration file '{full}' (--config) does not exist.");
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        // HostApplicationBuilder has two command-line sources: the host configuration's, added before appsettings.json,
        // and the app configuration's, the last source. The file goes just before the last one; before the first, the
        // defaults in appsettings.json would override it.
        int at = sources.ToList().FindLastIndex(s => s is CommandLineConfigurationSource);
        var json = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false)
            .AddInMemoryCollection([new($"{NodeAgentOptions.SectionName}:{nameof(NodeAgentOptions.ConfigDirectory)}", Path.GetDirectoryName(full))])
            .Sources;
        foreach (var source in json.Reverse()) sources.Insert(at < 0 ? sources.Count : at, source);
    }

    /// <summary>Resolves relative data, split, profile, state and TLS paths against <see cref="NodeAgentOptions.ConfigDirectory"/>.</summary>
    public static void ResolvePaths(NodeAgentOptions options)
    {
        var baseDir = options.ConfigDirectory;
        if (string.IsNullOrWhiteSpace(baseDir)) return;
        string Resolve(string p) => string.IsNullOrWhiteSpace(p) || Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(baseDir, p));
        options.ProfileDirectory = Resolve(options.ProfileDirectory);
        options.StateDirectory = Resolve(options.StateDirectory);
        options.Tls.CertificatePath = Resolve(options.Tls.CertificatePath);
        options.Tls.KeyPath = Resolve(options.Tls.KeyPath);
        options.Tls.CaPath = Resolve(options.Tls.CaPath);
        foreach (var dataset in options.Datasets.Values)
        {
            if (dataset is null) continue;
            dataset.Path = Resolve(dataset.Path);
            dataset.SplitFile = Resolve(dataset.SplitFile);
        }
    }
}

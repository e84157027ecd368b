using FederatedCare.NodeAgent.Agent;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Options;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Node.Sdk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Extensions;

/// <summary>Builds and runs the agent's host; turns configuration and data errors into a one-line exit.</summary>
public static partial class NodeAgentHost
{
    /// <summary>Exit code for invalid configuration.</summary>
    public const int ConfigurationError = 2;

    /// <summary>Exit code for a missing or malformed data file.</summary>
    public const int DataError = 3;

    /// <summary>Exit code when another agent registered as this agent's region and replaced it.</summary>
    public const int Replaced = 4;

    /// <summary>
    /// Configuration: appsettings.json next to the executable, then environment variables (<c>NodeAgent__Region</c>),
    /// then a node configuration file (<c>--config FILE</c>, see <see cref="ConfigFile"/>), then the command line
    /// (<c>--NodeAgent:Region=Halland</c>).
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="configureServices">Runs after the agent's registrations, e.g. to register another <see cref="INodeTrainer"/> (load tests).</param>
    public static HostApplicationBuilder CreateBuilder(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        // Content root = the app's folder, so appsettings.json is found whatever the working directory; relative
        // dataset paths still resolve against the working directory, where the operator expects them.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ConfigFile.Add(builder.Configuration, args);
        builder.Services.AddNodeAgent(builder.Configuration);
        builder.Services.AddNodeAgentLogging(builder.Configuration);
        configureServices?.Invoke(builder.Services);
        return builder;
    }

    /// <summary>
    /// Runs the agent until SIGTERM / Ctrl-C. Options, the torch runtime, every dataset and the TLS files are resolved
    /// before the host starts, so a bad setting or file ends the process at once with one clear line on stderr and a
    /// non-zero exit code instead of a stack trace.
    /// </summary>
    /// <returns>0 after a clean stop, <see cref="ConfigurationError"/>, <see cref="DataError"/> or <see cref="Replaced"/>.</returns>
    /// <param name="args">The command line.</param>
    /// <param name="configureServices">As in <see cref="CreateBuilder"/>.</param>
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        IHost built;
        try
        {
            built = CreateBuilder(args, configureServices).Build();
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"Cannot start: {e.Message}").ConfigureAwait(false);
            return ConfigurationError;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            // A configuration file that is not JSON: the parser's own message (innermost) names the line and position.
            await Console.Error.WriteLineAsync($"Cannot start: {e.Message} {(e.GetBaseException() == e ? "" : e.GetBaseException().Message)}".TrimEnd()).ConfigureAwait(false);
            return ConfigurationError;
        }
        using var host = built;
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FederatedCare.NodeAgent");
        try
        {
            var options = host.Services.GetRequiredService<IOptions<NodeAgentOptions>>().Value;
            var runtime = host.Services.GetRequiredService<TorchRuntime>();
            var catalog = host.Services.GetRequiredService<DatasetCatalog>();
            foreach (var d in catalog.All)
                LogDataset(logger, d.Name, d.SourcePath, d.Train.Rows, d.Test.Rows, d.Width);
            foreach (var (name, d) in catalog.Tabular)
                LogTabular(logger, name, d.Format, d.Path);
            host.Services.GetRequiredService<CoordinatorChannel>();
            LogStarting(logger, options.Region, options.CoordinatorAddress, runtime.DeviceName, options.TorchThreads);
            if (options.Policy is null) Governance.GovernanceLog.NoPolicy(logger);
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) LogStartupError(logger, failure);
            return ConfigurationError;
        }
        catch (DataFileException e)
        {
            LogStartupError(logger, e.Message);
            return DataError;
        }
        catch (InvalidOperationException e)
        {
            // Configuration values of the wrong type (e.g. TorchThreads=abc), unknown keys (the binder's own message is
            // generic; its inner one names the key), an unavailable CUDA device and TLS files that hold no usable
            // certificate or key (TlsConfigurationException).
            LogStartupError(logger, StartupReason(e));
            return ConfigurationError;
        }
        await host.RunAsync().ConfigureAwait(false);
        return Environment.ExitCode; // 0, or Replaced when the worker stopped the host for that reason
    }

    /// <summary>
    /// The line to print for a configuration the binder refused: its innermost message, which names the key (the
    /// binder wraps one generic message per nesting level, e.g. a dataset's mapping sits three dictionaries deep).
    /// </summary>
    public static string StartupReason(InvalidOperationException e)
    {
        Exception reason = e;
        while (reason.InnerException is InvalidOperationException inner) reason = inner;
        // The binder's text for a misspelt key is about BinderOptions; say what it means instead.
        var unknown = UnknownKeys().Match(reason.Message);
        return unknown.Success
            ? $"{unknown.Groups["keys"].Value} is not a setting of {unknown.Groups["type"].Value} (misspelt? the README's node settings list them)."
            : reason.Message;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"properties were not found on the instance of (?:[\w.]+\.)?(?<type>\w+): (?<keys>.+)$")]
    private static partial System.Text.RegularExpressions.Regex UnknownKeys();

    [LoggerMessage(1, LogLevel.Information, "Dataset {Dataset}: {Path}, {TrainRows} train / {TestRows} test rows, {Features} features")]
    private static partial void LogDataset(ILogger logger, string dataset, string path, int trainRows, int testRows, int features);

    [LoggerMessage(4, LogLevel.Information, "Dataset {Dataset}: {Format} file {Path}, read and checked per job with the job's schema")]
    private static partial void LogTabular(ILogger logger, string dataset, string format, string path);

    [LoggerMessage(2, LogLevel.Information, "Node agent for region {RegionName} starting: coordinator {Coordinator}, device {Device}, {Threads} torch thread(s)")]
    private static partial void LogStarting(ILogger logger, string regionName, string coordinator, string device, int threads);

    [LoggerMessage(3, LogLevel.Critical, "Cannot start: {Reason}")]
    private static partial void LogStartupError(ILogger logger, string reason);
}

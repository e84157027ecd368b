using System.Globalization;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace FederatedCare.NodeAgent.Extensions;

/// <summary>Serilog for the agent: one compact console line per event, tagged with the region.</summary>
public static class LoggingExtensions
{
    /// <summary>The console line format. The region comes first after the level so that four agents sharing a terminal stay readable.</summary>
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Region}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Replaces the default logging with Serilog: levels (and extra sinks) from the <c>Serilog</c> configuration
    /// section, a console sink writing errors to stderr (so a failed start shows its reason there), property
    /// <c>Region</c> on every event.
    /// </summary>
    public static IServiceCollection AddNodeAgentLogging(this IServiceCollection services, IConfiguration configuration)
    {
        var region = configuration[$"{NodeAgentOptions.SectionName}:{nameof(NodeAgentOptions.Region)}"];
        return services.AddSerilog(logger => logger
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Region", string.IsNullOrWhiteSpace(region) ? "-" : region)
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: CultureInfo.InvariantCulture,
                standardErrorFromLevel: LogEventLevel.Error));
    }
}

using Serilog;
using Serilog.Formatting.Compact;

namespace FederatedCare.Coordinator.Extensions;

/// <summary>Serilog: levels from the <c>Serilog</c> section, console always, compact JSON file when Coordinator:LogFile is set.</summary>
internal static class LoggingExtensions
{
    public static WebApplicationBuilder AddCoordinatorLogging(this WebApplicationBuilder builder, CoordinatorOptions options)
    {
        // preserveStaticLogger: several coordinators may run in one test process; none may own the global Log.Logger.
        builder.Services.AddSerilog((_, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrWhiteSpace(options.LogFile))
                logger.WriteTo.File(new CompactJsonFormatter(), options.LogFile);
        }, preserveStaticLogger: true);
        return builder;
    }
}

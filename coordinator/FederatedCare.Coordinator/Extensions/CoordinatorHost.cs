using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using FederatedCare.Coordinator.Settings;

namespace FederatedCare.Coordinator.Extensions;

/// <summary>
/// Starts the real coordinator (same wiring as Program.cs) inside the calling process, on an ephemeral loopback port
/// unless <c>--urls</c> says otherwise: for integration tests and tools.
/// </summary>
/// <example>
/// <code>
/// await using var coordinator = await CoordinatorHost.StartAsync(["--Coordinator:DataDirectory=" + dir]);
/// var client = new Operator.OperatorClient(coordinator.CreateChannel());
/// </code>
/// </example>
public static class CoordinatorHost
{
    /// <summary>Exit code when the coordinator cannot start (bad address, port in use, data directory locked or unreadable).</summary>
    public const int StartupError = 2;

    /// <summary>
    /// The coordinator's command line: <c>--help</c> prints the settings (<see cref="CoordinatorHelp"/>) and starts
    /// nothing; otherwise it builds the host and runs it until SIGTERM / Ctrl-C. Unknown keys, values of the wrong type,
    /// invalid values, the TLS files (when <c>Coordinator:Tls</c> is set) and the store (and the data directory's lock)
    /// are checked before the server starts, so a start-up failure ends the process with one line per problem on
    /// stderr and <see cref="StartupError"/> instead of an unhandled exception.
    /// </summary>
    /// <returns>0 after help or a clean stop; <see cref="StartupError"/>.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        if (CoordinatorHelp.IsRequested(args))
        {
            CoordinatorHelp.Write(Console.Out);
            return 0;
        }
        try
        {
            var builder = CreateBuilder(args);
            builder.AddCoordinator();
            await using var app = builder.Build();
            app.MapCoordinator();
            app.Services.GetService<Security.TlsCredentialsHolder>();
            app.Services.GetRequiredService<FederatedCare.Federation.Core.Storage.ICoordinatorStore>();
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"Cannot start the coordinator: {failure}").ConfigureAwait(false);
            return StartupError;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or UriFormatException
                                      or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync($"Cannot start the coordinator: {e.Message}").ConfigureAwait(false);
            return StartupError;
        }
    }

    /// <summary>Builds, maps and starts the coordinator; returns once it listens.</summary>
    /// <param name="args">Command-line style configuration, e.g. <c>--Coordinator:DataDirectory=DIR</c>, <c>--urls URL</c>.</param>
    /// <param name="configure">Optional last word on the builder, e.g. replacing <see cref="TimeProvider"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<RunningCoordinator> StartAsync(string[] args, Action<WebApplicationBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        // Ephemeral ports for gRPC and the web endpoint alike, so that tests can run coordinators side by side.
        var builder = CreateBuilder(args, new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0", ["Coordinator:Web:Urls"] = "http://127.0.0.1:0" });
        // In-process hosts are for tests: warnings only, unless the environment or args say otherwise. This source
        // goes right after the JSON files so that it beats appsettings.json but not environment or args.
        var sources = builder.Configuration.Sources;
        int afterFiles = sources.Select((source, i) => (source, i)).Where(x => x.source is FileConfigurationSource).Select(x => x.i + 1).DefaultIfEmpty(1).Max();
        sources.Insert(afterFiles, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Warning" },
        });
        builder.AddCoordinator();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapCoordinator();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningCoordinator(app, new Uri(address));
    }

    /// <summary>
    /// The coordinator's <see cref="WebApplicationBuilder"/>: content root = the application folder (so appsettings.json
    /// is found whatever the working directory) and, at the lowest priority, HTTP/2-only endpoints, since gRPC over
    /// cleartext needs h2c and Kestrel's default (HTTP/1.1 + HTTP/2) means HTTP/1.1 only without TLS.
    /// </summary>
    /// <param name="args">Command-line configuration.</param>
    /// <param name="defaults">More lowest-priority settings, e.g. <c>urls</c>.</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? defaults = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(CoordinatorHost).Assembly.GetName().Name,
        });
        var data = new Dictionary<string, string?> { ["Kestrel:EndpointDefaults:Protocols"] = "Http2" };
        foreach (var (key, value) in defaults ?? new Dictionary<string, string?>()) data[key] = value;
        // Lowest priority, so appsettings.json, environment variables and args still win.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = data });
        return builder;
    }
}

/// <summary>A coordinator started by <see cref="CoordinatorHost.StartAsync"/>; dispose to stop it.</summary>
public sealed class RunningCoordinator(WebApplication app, Uri address) : IAsyncDisposable
{
    /// <summary>The running application (its <c>Services</c> give access to the store and registry).</summary>
    public WebApplication App { get; } = app;

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; } = address;

    /// <summary>
    /// The web endpoint's first bound address (dashboard, <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>), e.g.
    /// <c>http://127.0.0.1:41235/</c>; null when <c>Coordinator:Web:Urls</c> is empty.
    /// </summary>
    public Uri? WebAddress => App.Services.GetRequiredService<Web.WebEndpointHost>().Addresses.FirstOrDefault();

    /// <summary>
    /// A plaintext gRPC channel to the coordinator with HTTP/2 windows large enough for fast model streams. A coordinator
    /// with <c>Coordinator:Tls</c> needs a channel that presents a federation certificate instead.
    /// </summary>
    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { InitialHttp2StreamWindowSize = 16 * 1024 * 1024, EnableMultipleHttp2Connections = true },
    });

    /// <summary>Stops the host and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}

using System.Net;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Coordinator.Security;
using FederatedCare.Coordinator.Web.Access;
using FederatedCare.Coordinator.Web.Dashboard;
using FederatedCare.Coordinator.Web.Health;
using FederatedCare.Federation.Core.Metrics;
using FederatedCare.Federation.Core.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FederatedCare.Coordinator.Web;

/// <summary>
/// The web endpoint (<see cref="WebOptions"/>) as a server of its own next to the gRPC one, started and stopped with the
/// coordinator: the gRPC services are not mapped there and the web routes not on the gRPC port, whatever a request's
/// Host header says. It shares the coordinator's store, registry, job events, meters and log; HTTP/1.1 and HTTP/2;
/// HTTPS with the coordinator's certificate (client certificates asked for, not required: a token also signs in).
/// </summary>
internal sealed class WebEndpointHost(IServiceProvider coordinator, IOptions<CoordinatorOptions> options) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The bound addresses, e.g. <c>http://127.0.0.1:5080</c>; empty before start or without a web endpoint.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoints = WebEndpoints.Parse(options.Value.Web.Urls ?? "");
        if (endpoints.Count == 0) return;
        var metrics = coordinator.GetRequiredService<FederationMetrics>();
        // The meters' jobs-by-state gauge starts from what the store holds; every later change comes through JobEvents.
        var store = coordinator.GetRequiredService<ICoordinatorStore>();
        foreach (var job in await store.Jobs.ListAsync(cancellationToken).ConfigureAwait(false)) metrics.JobChanged(job.JobId, job.State);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WebEndpointHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var endpoint in endpoints) Listen(kestrel, endpoint);
        });
        var services = builder.Services;
        services.AddRouting();
        // The coordinator's own instances: one store, one registry, one event fan-out, one log for both servers.
        services.Replace(ServiceDescriptor.Singleton(coordinator.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(store);
        services.AddSingleton(coordinator.GetRequiredService<NodeRegistry>());
        services.AddSingleton(coordinator.GetRequiredService<JobEvents>());
        services.AddSingleton(options.Value.Web);
        services.AddSingleton(new DashboardEvents(coordinator.GetRequiredService<JobEvents>(), options.Value.Web,
            coordinator.GetRequiredService<IHostApplicationLifetime>()));
        services.AddSingleton(new WebSignIn(options.Value.Web));
        // The coordinator's host owns Ctrl-C and SIGTERM; this server only follows its start and stop.
        services.AddSingleton<IHostLifetime, FollowingLifetime>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("fedcare-coordinator"))
            .WithMetrics(m => m.AddMeter(FederationMetrics.MeterName).AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));

        var app = builder.Build();
        var signIn = app.Services.GetRequiredService<WebSignIn>();
        app.Use(signIn.InvokeAsync);
        HealthEndpoints.Map(app);
        app.MapPrometheusScrapingEndpoint("/metrics");
        DashboardAssets.Map(app);
        DashboardApi.Map(app);
        DashboardEvents.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        WebLog.Listening(coordinator.GetRequiredService<ILoggerFactory>().CreateLogger<WebEndpointHost>(), string.Join(", ", Addresses));
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void Listen(KestrelServerOptions kestrel, WebEndpoint endpoint)
    {
        void Configure(ListenOptions listen)
        {
            // HTTP/2 needs TLS's protocol negotiation; plaintext (loopback) is HTTP/1.1, which browsers and curl speak.
            listen.Protocols = endpoint.Https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            if (!endpoint.Https) return;
            // The holder, not one set: a renewed certificate (TlsFileReloader) is served on the next handshake here too.
            var credentials = coordinator.GetRequiredService<TlsCredentialsHolder>();
            var validator = coordinator.GetRequiredService<ClientCertificateValidator>();
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificateSelector = (_, _) => credentials.Current.ServerCertificate,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (certificate, _, _) => validator.IsValid(certificate),
                CheckCertificateRevocation = false,
            });
        }
        if (endpoint.Address.Equals(IPAddress.IPv6Any)) kestrel.ListenAnyIP(endpoint.Port, Configure);
        else kestrel.Listen(endpoint.Address, endpoint.Port, Configure);
    }
}

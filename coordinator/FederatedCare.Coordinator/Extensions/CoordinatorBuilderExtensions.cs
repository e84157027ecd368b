using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Coordinator.Diagnostics;
using FederatedCare.Coordinator.Federation;
using FederatedCare.Coordinator.Framing;
using FederatedCare.Coordinator.Jobs;
using FederatedCare.Federation.Core.Privacy;
using FederatedCare.Coordinator.Services;
using FederatedCare.Coordinator.Settings;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Strategies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Grpc.AspNetCore.HealthChecks;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Extensions;

/// <summary>The coordinator's wiring, shared by Program.cs and the in-process <see cref="CoordinatorHost"/>.</summary>
public static class CoordinatorBuilderExtensions
{
    /// <summary>
    /// Registers options (section <c>Coordinator</c>), Serilog, Kestrel HTTP/2 limits and transport security
    /// (<c>Coordinator:Tls</c>), the store, node registry, job runner, strategies and the gRPC services with health
    /// checks and reflection, and the web endpoint (<c>Coordinator:Web</c>: dashboard, metrics, probes; see WebExtensions).
    /// </summary>
    public static WebApplicationBuilder AddCoordinator(this WebApplicationBuilder builder)
    {
        // A misspelt key, a value of the wrong type or an invalid value stops the host here, naming the key, before
        // anything (Kestrel's limits included) is configured from it.
        CoordinatorSettings.ThrowIfUnknown(builder.Configuration);
        var section = builder.Configuration.GetSection(CoordinatorOptions.SectionName);
        builder.Services.AddOptions<CoordinatorOptions>().Bind(section);
        var options = section.Get<CoordinatorOptions>() ?? new CoordinatorOptions();
        if (new CoordinatorOptionsValidator().Validate(null, options) is { Failed: true } invalid)
            throw new OptionsValidationException(CoordinatorOptions.SectionName, typeof(CoordinatorOptions), invalid.Failures);
        CoordinatorStoreFactory.Validate(section.Get<StoreOptions>() ?? new StoreOptions());

        builder.AddCoordinatorLogging(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Large windows so model chunks stream back to back instead of waiting for WINDOW_UPDATE frames; a connection
            // window that every stream's window fits in, so streams waiting for an upload buffer cannot starve the one
            // being decoded (see CoordinatorOptions.Http2WindowBytes).
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.Http2MaxStreamsPerConnection;
            kestrel.Limits.Http2.InitialStreamWindowSize = options.Http2WindowBytes;
            kestrel.Limits.Http2.InitialConnectionWindowSize =
                (int)Math.Min(int.MaxValue, (long)options.Http2WindowBytes * (options.Http2MaxStreamsPerConnection + 1));
        });
        builder.AddCoordinatorTls(options.Tls);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => DataDirectoryLock.Acquire(sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.DataDirectory));
        builder.Services.AddOptions<StoreOptions>().Bind(section);
        services.AddSingleton(sp =>
        {
            // The lock comes first: the store must never open a database or model folder another coordinator is using.
            sp.GetRequiredService<DataDirectoryLock>();
            // Opened (and migrated) once at start-up, on the thread that resolves it, before the server takes calls.
            return CoordinatorStoreFactory.OpenAsync(sp.GetRequiredService<IOptions<StoreOptions>>().Value,
                sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.DataDirectory, sp.GetRequiredService<TimeProvider>()).GetAwaiter().GetResult();
        });
        foreach (var factory in BuiltInStrategies.All) services.AddSingleton(factory);
        services.AddSingleton<StrategyRegistry>();
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<UpdateValidator>();
        services.AddSingleton<RefusalAudit>();
        services.AddSingleton<UploadSlots>();
        services.AddSingleton<RoundBoard>();
        services.AddSingleton<ChaosHook>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobCancellations>();
        services.AddSingleton<ShutdownOrder>();
        services.AddSingleton<JobEvents>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton(sp => new NoiseKey(sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value.PrivacyNoiseKeyPath));
        // The job engine's seams: the node registry is its client manager, the watchers its event sink.
        services.AddSingleton<IClientManager>(sp => sp.GetRequiredService<NodeRegistry>());
        services.AddSingleton<IJobEventSink>(sp => sp.GetRequiredService<JobEvents>());
        services.AddSingleton<IChaosHook>(sp => sp.GetRequiredService<ChaosHook>());
        services.AddSingleton(sp =>
        {
            var coordinator = sp.GetRequiredService<IOptions<CoordinatorOptions>>().Value;
            return new JobEngineOptions
            {
                DefaultRoundDeadlineSeconds = coordinator.DefaultRoundDeadlineSeconds,
                ApprovalPollSeconds = coordinator.ApprovalPollSeconds,
                EvaluationSplits = coordinator.EvaluationSplits,
                Aggregation = coordinator.Aggregation,
                Retention = coordinator.Retention,
                Metrics = sp.GetRequiredService<FederatedCare.Federation.Core.Metrics.FederationMetrics>(),
            };
        });
        services.AddSingleton<JobEngine>();
        services.AddHostedService<JobRunner>();
        services.AddSingleton<NodeLivenessMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeLivenessMonitor>());
        services.AddCoordinatorWeb();

        services.AddGrpc();
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<StoreHealthCheck>(StoreHealthCheck.Name);
        services.Configure<GrpcHealthChecksOptions>(o => o.Services.Map(StoreHealthCheck.Name, r => r.Name == StoreHealthCheck.Name));
        return builder;
    }

    /// <summary>
    /// Maps the Federation, Operator and Research services, grpc.health.v1 and server reflection, behind the gRPC
    /// framing check (<see cref="GrpcFramingMiddleware"/>: malformed message headers are InvalidArgument).
    /// </summary>
    public static WebApplication MapCoordinator(this WebApplication app)
    {
        app.UseMiddleware<GrpcFramingMiddleware>();
        app.MapGrpcService<FederationService>();
        app.MapGrpcService<OperatorService>();
        app.MapGrpcService<ResearchService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}

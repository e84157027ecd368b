using FederatedCare.Coordinator.Extensions;
using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.IntegrationTests.Security;

/// <summary>A coordinator with mutual TLS on, without node agents, and the certificates of its federation.</summary>
public sealed class TlsCoordinatorFixture : IAsyncLifetime
{
    internal TestPki Pki { get; } = TestPki.Provision();

    internal RunningCoordinator Coordinator { get; private set; } = null!;

    internal ICoordinatorStore Store => Coordinator.App.Services.GetRequiredService<ICoordinatorStore>();

    public async Task InitializeAsync() =>
        Coordinator = await CoordinatorHost.StartAsync([$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}", .. Pki.CoordinatorArgs()]);

    public async Task DisposeAsync() => await Coordinator.DisposeAsync();
}

using FederatedCare.Federation.Core.Jobs;
using Grpc.Core;

namespace FederatedCare.Coordinator.Diagnostics;

/// <summary>Forwards messages and, after the first one, pauses at a chaos point: "mid-download" with the manifest sent.</summary>
internal sealed class PausingStreamWriter<T>(IAsyncStreamWriter<T> inner, ChaosHook chaos, string point, int round, CancellationToken ct)
    : IAsyncStreamWriter<T>
{
    private bool _first = true;

    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        if (!_first) return;
        _first = false;
        await chaos.PauseAsync(point, round, ct).ConfigureAwait(false);
    }
}

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// The order of a graceful stop (SIGTERM, <see cref="IHostApplicationLifetime.ApplicationStopping"/>): the running job
/// is stopped first, where it stands, and only then do the nodes' task streams end. With the streams first the job went
/// on for a moment with no region connected, found nobody to evaluate the round in flight and recorded that round as
/// not evaluated — for good, since a recorded round is not redone. Stopped first, the job leaves the round unrecorded
/// and redoes it after the restart, exactly as after a kill.
/// </summary>
internal sealed class ShutdownOrder : IDisposable
{
    private readonly CancellationTokenSource _jobs = new();
    private readonly CancellationTokenSource _streams = new();
    private readonly CancellationTokenRegistration _stopping;

    /// <summary>Registers the stop on the host's <see cref="IHostApplicationLifetime.ApplicationStopping"/>.</summary>
    public ShutdownOrder(IHostApplicationLifetime lifetime) => _stopping = lifetime.ApplicationStopping.Register(Stop);

    /// <summary>Cancelled first when the host stops: the job runner's jobs.</summary>
    public CancellationToken Jobs => _jobs.Token;

    /// <summary>Cancelled once <see cref="Jobs"/> is: the nodes' task streams.</summary>
    public CancellationToken Streams => _streams.Token;

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopping.Dispose();
        _jobs.Dispose();
        _streams.Dispose();
    }

    // Cancel runs the job's callbacks synchronously, so whatever sees a stream closed sees the job cancelled too.
    private void Stop()
    {
        _jobs.Cancel();
        _streams.Cancel();
    }
}

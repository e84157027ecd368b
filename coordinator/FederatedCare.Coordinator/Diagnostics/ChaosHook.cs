using System.Globalization;
using FederatedCare.Federation.Core.Jobs;
using Microsoft.Extensions.Options;

namespace FederatedCare.Coordinator.Diagnostics;

/// <summary>
/// Crash-test hook: when <see cref="CoordinatorOptions.ChaosPauseAt"/> names a point and round, the first time the
/// coordinator reaches it, it logs a critical line, writes <c>chaos-reached</c> into the data directory and then
/// waits until the process is killed (or the call is cancelled, or the host stops), so the state on disk is exactly that of the point.
/// Costs one comparison when unset.
/// </summary>
internal sealed partial class ChaosHook : IChaosHook
{
    private readonly string? _point;
    private readonly int _round;
    private readonly string _marker;
    private readonly ILogger<ChaosHook> _logger;
    private readonly CancellationToken _stopping;
    private int _fired;

    public ChaosHook(IOptions<CoordinatorOptions> options, IHostApplicationLifetime lifetime, ILogger<ChaosHook> logger)
    {
        _logger = logger;
        _stopping = lifetime.ApplicationStopping;
        _marker = Path.Combine(options.Value.DataDirectory, "chaos-reached");
        var spec = options.Value.ChaosPauseAt;
        if (string.IsNullOrWhiteSpace(spec)) return;
        var parts = spec.Split(':', 2);
        if (parts.Length != 2 || !ChaosPoints.All.Contains(parts[0]) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _round))
            throw new OptionsValidationException(CoordinatorOptions.SectionName, typeof(CoordinatorOptions),
                [$"Coordinator:ChaosPauseAt '{spec}' must be POINT:ROUND with POINT one of {string.Join(", ", ChaosPoints.All)}."]);
        _point = parts[0];
    }

    /// <summary>Whether this is the armed point and round (and it has not fired yet).</summary>
    public bool Armed(string point, int round) => _point == point && _round == round && Volatile.Read(ref _fired) == 0;

    /// <summary>At the armed point and round: marks it reached and never returns normally; otherwise returns at once.</summary>
    public async ValueTask PauseAsync(string point, int round, CancellationToken ct)
    {
        if (!Armed(point, round) || Interlocked.Exchange(ref _fired, 1) != 0) return;
        Reached(_logger, point, round);
        await File.WriteAllTextAsync(_marker, $"{point}:{round}\n", CancellationToken.None).ConfigureAwait(false);
        // A graceful stop (SIGTERM) ends the pause too, like any other in-flight call.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping);
        await Task.Delay(Timeout.Infinite, linked.Token).ConfigureAwait(false);
    }

    [LoggerMessage(901, LogLevel.Critical, "CHAOS: reached {Point} of round {Round}; waiting to be killed")]
    private static partial void Reached(ILogger logger, string point, int round);
}

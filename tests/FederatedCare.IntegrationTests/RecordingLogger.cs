using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FederatedCare.IntegrationTests;

/// <summary>A logger that keeps every entry (event id, level, formatted message), for tests of what a service logs.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries => [.. _entries];

    /// <summary>The messages logged with event id <paramref name="eventId"/>, in order.</summary>
    public IReadOnlyList<string> Messages(int eventId) => [.. _entries.Where(e => e.Id.Id == eventId).Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((eventId, logLevel, formatter(state, exception)));
}

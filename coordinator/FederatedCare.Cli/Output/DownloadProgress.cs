using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;
using Spectre.Console;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Reads a global model's chunk stream (<see cref="ModelStream.ReadAsync(IAsyncStreamReader{ModelChunk}, CancellationToken, string?, long)"/>)
/// with a progress bar of the bytes received against the manifest's size when stderr is a terminal
/// (<see cref="TerminalProgress"/>).
/// </summary>
public static class DownloadProgress
{
    /// <summary>The model the stream carries; its checks and exceptions are <see cref="ModelStream"/>'s.</summary>
    public static Task<ModelParameters> ReadAsync(IAsyncStreamReader<ModelChunk> reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!TerminalProgress.Shown) return ModelStream.ReadAsync(reader, ct);
        return TerminalProgress.RunAsync(context =>
        {
            var task = context.AddTask("model", maxValue: 1);
            return ModelStream.ReadAsync(Counted(reader.ReadAllAsync(ct), task), ct);
        }, bytes: true);
    }

    private static async IAsyncEnumerable<ModelChunk> Counted(IAsyncEnumerable<ModelChunk> chunks, ProgressTask task)
    {
        await foreach (var chunk in chunks)
        {
            // Float16 wire encodings carry fewer bytes than the manifest's float32 total: clamp, and finish at the end.
            if (chunk.PayloadCase == ModelChunk.PayloadOneofCase.Manifest) task.MaxValue = Math.Max(1, chunk.Manifest.TotalBytes);
            else task.Value = Math.Min(task.MaxValue, task.Value + chunk.Data.Length);
            yield return chunk;
        }
        task.Value = task.MaxValue;
    }
}

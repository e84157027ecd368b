using FederatedCare.Federation.Core.Storage;

namespace FederatedCare.Coordinator.Storage;

/// <summary>
/// An exclusive lock on the coordinator's data directory (the file <c>coordinator.lock</c>), held for the process's
/// lifetime: two coordinators on one directory would both drive the same jobs and write the same database and model
/// files. The operating system releases it when the process ends, however it ends (kill -9 included).
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, creating the directory if needed.</summary>
    /// <exception cref="IOException">Another process holds the lock; the message names the directory and that process.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var root = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, "coordinator.lock");
        FileStream file;
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            var holder = File.Exists(path) ? TryReadHolder(path) : null;
            throw new IOException($"The data directory {root} is in use by another coordinator{(holder is null ? "" : $" (process {holder})")}.", e);
        }
        file.SetLength(0);
        using (var writer = new StreamWriter(file, leaveOpen: true)) writer.Write(Environment.ProcessId);
        file.Flush(flushToDisk: true);
        return new DataDirectoryLock(file);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _file.Dispose();

    private static string? TryReadHolder(string path)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd().Trim() is { Length: > 0 } pid ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

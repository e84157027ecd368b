using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>
/// <see cref="IModelStore"/> with files on disk, <c>&lt;models&gt;/&lt;job&gt;/&lt;name&gt;.safetensors</c> (the name
/// URI-escaped), and the <c>model_names</c> table mapping each name to its model's SHA-256, for both database engines.
/// Files are written and read with asynchronous file streams in 1-MiB pieces (on Linux .NET still runs each piece on
/// the thread pool, but no thread is held for a whole multi-GB model). The final fsync is one blocking call.
/// </summary>
internal sealed class SqlModelStore(SqlDatabase db, string modelDirectory) : IModelStore
{
    private const int FileBufferBytes = 1 << 20;

    /// <summary>The folder holding one subfolder of model files per job.</summary>
    public string ModelDirectory { get; } = modelDirectory;

    public async Task<string> SaveAsync(string jobId, string name, ModelParameters model, string? knownSha256 = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var sha = (knownSha256 ?? model.ComputeSha256()).ToLowerInvariant();
        var path = FilePath(jobId, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        // The file first, then its name: a name never points at a model that is not on disk.
        await using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, FileBufferBytes, FileOptions.Asynchronous))
        {
            // The model's own metadata (a global model's input columns and normalisation) and where it belongs.
            var metadata = new Dictionary<string, string>(model.Metadata, StringComparer.Ordinal)
            {
                ["job_id"] = jobId,
                ["name"] = name,
                ["sha256"] = sha,
            };
            await SafeTensorStreams.WriteAsync(model, stream, metadata, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        await db.WriteAsync(async (c, tx, t) =>
        {
            await using var cmd = c.Command("""
                INSERT INTO model_names (job_id, name, sha256) VALUES (@id, @name, @sha)
                ON CONFLICT (job_id, name) DO UPDATE SET sha256 = excluded.sha256
                """, tx).With("id", jobId).With("name", name).With("sha", sha);
            return await cmd.ExecuteNonQueryAsync(t).ConfigureAwait(false);
        }, CancellationToken.None).ConfigureAwait(false);
        return sha;
    }

    public async Task<Stream?> OpenReadAsync(string jobId, string sha256, CancellationToken ct = default)
    {
        var names = await db.ReadAsync(async (c, t) =>
        {
            await using var cmd = c.Command("SELECT name FROM model_names WHERE job_id = @id AND sha256 = @sha ORDER BY name")
                .With("id", jobId).With("sha", sha256.ToLowerInvariant());
            return await SqlRows.ReadAllAsync(cmd, r => r.GetString(0), t).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        foreach (var name in names)
        {
            try
            {
                return new FileStream(FilePath(jobId, name), FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes, FileOptions.Asynchronous);
            }
            catch (FileNotFoundException)
            {
                // Another name of the same model may still have its file.
            }
        }
        return null;
    }

    public async Task<ModelParameters?> ReadAsync(string jobId, string sha256, CancellationToken ct = default)
    {
        await using var stream = await OpenReadAsync(jobId, sha256, ct).ConfigureAwait(false);
        return stream is null ? null : await SafeTensorStreams.ReadAsync(stream, ct).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string jobId, string name, CancellationToken ct = default)
    {
        // The name first: a name never points at a model that is not on disk (a crash in between leaves an orphan file).
        await db.WriteAsync(async (c, tx, t) =>
        {
            await using var cmd = c.Command("DELETE FROM model_names WHERE job_id = @id AND name = @name", tx).With("id", jobId).With("name", name);
            return await cmd.ExecuteNonQueryAsync(t).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        File.Delete(FilePath(jobId, name));
    }

    public Task<IReadOnlyList<(string Name, string Sha256)>> ListAsync(string jobId, string prefix, CancellationToken ct = default) =>
        db.ReadAsync<IReadOnlyList<(string, string)>>(async (c, t) =>
        {
            await using var cmd = c.Command("""
                SELECT name, sha256 FROM model_names WHERE job_id = @id AND substr(name, 1, length(@prefix)) = @prefix ORDER BY name
                """).With("id", jobId).With("prefix", prefix);
            return await SqlRows.ReadAllAsync(cmd, r => (r.GetString(0), r.GetString(1)), t).ConfigureAwait(false);
        }, ct);

    /// <summary>Deletes the job's folder of model files, if any (after its names are gone: <see cref="SqlCoordinatorStore.DeleteJobAsync"/>).</summary>
    public void DeleteJobFiles(string jobId)
    {
        var folder = Path.Combine(ModelDirectory, jobId);
        // A job id is letters, digits, '.', '_' and '-' (JobSpecValidator), but never delete outside the model folder.
        if (Path.GetDirectoryName(Path.GetFullPath(folder)) != ModelDirectory.TrimEnd(Path.DirectorySeparatorChar)) return;
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private string FilePath(string jobId, string name) => Path.Combine(ModelDirectory, jobId, Uri.EscapeDataString(name) + ".safetensors");
}

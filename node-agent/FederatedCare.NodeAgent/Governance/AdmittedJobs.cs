using System.Collections.Concurrent;
using FederatedCare.Protos.V1;
using Google.Protobuf;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// The jobs this region admitted, with the spec it admitted: every later task of a job is checked against it (a task
/// of a job not here is refused). Kept in <c>&lt;StateDirectory&gt;/policy/admitted/&lt;job&gt;.spec</c> (the spec's protobuf
/// bytes) so that an agent restarted mid-job goes on with the jobs it admitted; in memory only without a state folder.
/// </summary>
/// <param name="folder">The folder for the files; null: memory only.</param>
public sealed class AdmittedJobs(string? folder)
{
    private readonly ConcurrentDictionary<string, JobSpec> _jobs = new(StringComparer.Ordinal);

    /// <summary>Records that the job <paramref name="jobId"/> with <paramref name="spec"/> is admitted.</summary>
    /// <exception cref="ArgumentException">The job id is not a safe file name (see <see cref="StateFiles.IsSafeName"/>).</exception>
    public void Add(string jobId, JobSpec spec)
    {
        if (!StateFiles.IsSafeName(jobId)) throw new ArgumentException($"job id '{jobId}' is not a valid job id.", nameof(jobId));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, jobId + ".spec");
            File.WriteAllBytes(path + ".tmp", spec.ToByteArray());
            File.Move(path + ".tmp", path, overwrite: true);
        }
        _jobs[jobId] = spec;
    }

    /// <summary>The admitted spec of <paramref name="jobId"/>, or null when this region did not admit the job.</summary>
    public JobSpec? Find(string jobId)
    {
        if (_jobs.TryGetValue(jobId, out var spec)) return spec;
        if (folder is null || !StateFiles.IsSafeName(jobId)) return null;
        var path = Path.Combine(folder, jobId + ".spec");
        if (!File.Exists(path)) return null;
        return _jobs.GetOrAdd(jobId, JobSpec.Parser.ParseFrom(File.ReadAllBytes(path)));
    }

    /// <summary>Forgets an admission (the job's spec changed, or the region refused it since).</summary>
    public void Remove(string jobId)
    {
        _jobs.TryRemove(jobId, out _);
        // File.Delete ignores a missing file but not a missing folder (nothing admitted yet).
        if (folder is not null && StateFiles.IsSafeName(jobId) && Directory.Exists(folder)) File.Delete(Path.Combine(folder, jobId + ".spec"));
    }
}

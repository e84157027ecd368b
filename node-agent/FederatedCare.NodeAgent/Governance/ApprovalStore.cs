using System.Text.Json;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// Manual approval's records, one file per spec hash in <c>&lt;StateDirectory&gt;/approvals</c>: the running agent writes
/// a pending record for a new spec and re-reads the file whenever the coordinator asks again, and the node-side
/// <c>approvals</c> command lists, approves and refuses them; so decisions survive restarts and reach a running agent
/// without one. Files are written atomically.
/// </summary>
/// <param name="folder">The approvals folder.</param>
public sealed class ApprovalStore(string folder)
{
    /// <summary>The approvals folder's name in the state folder.</summary>
    public const string FolderName = "approvals";

    /// <summary>The folder the records live in.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The record of <paramref name="sha256"/>, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is not an approval record.</exception>
    public ApprovalRecord? Find(string sha256)
    {
        if (!StateFiles.IsSafeName(sha256)) return null;
        var path = PathOf(sha256);
        return File.Exists(path) ? Read(path) : null;
    }

    /// <summary>Every record, oldest request first.</summary>
    public IReadOnlyList<ApprovalRecord> All() => !Directory.Exists(Folder) ? []
        : Directory.EnumerateFiles(Folder, "*.json").Select(Read).OrderBy(r => r.RequestedAt, StringComparer.Ordinal).ToList();

    /// <summary>Writes <paramref name="record"/> (replacing the file of its hash).</summary>
    public void Save(ApprovalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        StateFiles.WriteAtomically(PathOf(record.SpecSha256), JsonSerializer.Serialize(record, ApprovalRecord.Json));
    }

    private string PathOf(string sha256) => Path.Combine(Folder, sha256 + ".json");

    private static ApprovalRecord Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ApprovalRecord>(File.ReadAllText(path), ApprovalRecord.Json)
                ?? throw new InvalidDataException($"{path}: empty approval record.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not an approval record ({e.Message}).", e);
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// <see cref="IRegionAudit"/> as an append-only, hash-chained JSON Lines file. Each line is one JSON object
/// <c>{"seq":n,"time":…,"action":…,"job_id":…,"actor":…,"detail":{…},"prev":"…","hash":"…"}</c> whose <c>hash</c>
/// (always the last property) is the SHA-256 (hex) of the line's text without it — <c>{…,"prev":"…"}</c> — and whose
/// <c>prev</c> is the previous line's hash (64 zeros for the first). Changing, removing or reordering any line breaks
/// the chain at that line (<see cref="Verify(string)"/>). The chain is continued from the file's last line after a restart.
/// Without a path (no <c>NodeAgent:StateDirectory</c>) the lines are kept in memory only (<see cref="Lines"/>).
/// </summary>
public sealed class RegionAuditLog : IRegionAudit
{
    /// <summary>The <c>prev</c> of the first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";
    /// <summary>The log's file name in the agent's state folder.</summary>
    public const string FileName = "region-audit.jsonl";
    const string HashProperty = ",\"hash\":\"";

    readonly string? _path;
    readonly List<string>? _memory;
    readonly TimeProvider _time;
    readonly Lock _lock = new();
    long _seq;
    string _last = GenesisHash;

    /// <summary>Opens (or creates) the log at <paramref name="path"/> and continues its chain.</summary>
    /// <exception cref="InvalidDataException">The existing file's chain does not verify (the message names the line).</exception>
    public RegionAuditLog(string? path, TimeProvider time)
    {
        _path = path;
        _time = time;
        if (path is null) { _memory = []; return; }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!File.Exists(path)) return;
        var result = Verify(path);
        if (!result.Valid) throw new InvalidDataException($"audit log {path}: {result.Error}");
        (_seq, _last) = (result.Entries, result.LastHash);
    }

    /// <inheritdoc />
    public void Append(string action, string? jobId, string? actor, JsonObject? detail = null)
    {
        lock (_lock)
        {
            var body = new JsonObject
            {
                ["seq"] = _seq + 1,
                ["time"] = _time.GetUtcNow().ToString("O"),
                ["action"] = action,
                ["job_id"] = jobId,
                ["actor"] = actor,
                ["detail"] = detail?.DeepClone(),
                ["prev"] = _last,
            }.ToJsonString();
            var hash = Hash(body);
            var line = string.Concat(body.AsSpan(0, body.Length - 1), HashProperty, hash, "\"}\n");
            if (_memory is not null) _memory.Add(line[..^1]);
            else
            {
                try
                {
                    using var file = new FileStream(_path!, FileMode.Append, FileAccess.Write, FileShare.Read);
                    file.Write(Encoding.UTF8.GetBytes(line));
                    file.Flush(flushToDisk: true);
                }
                catch (UnauthorizedAccessException e)
                {
                    // As IOException, the one failure IRegionAudit names: the caller then releases nothing.
                    throw new IOException($"audit log {_path}: {e.Message}", e);
                }
            }
            (_seq, _last) = (_seq + 1, hash);
        }
    }

    /// <summary>The lines written so far when kept in memory (tests, or an agent without a state folder); else empty.</summary>
    public IReadOnlyList<string> Lines => _memory is null ? [] : [.. _memory];

    /// <summary>
    /// Checks the chain of the log at <paramref name="path"/>: every line parses, its <c>seq</c> follows the previous
    /// one, its <c>prev</c> is the previous line's hash and its hash matches its text.
    /// </summary>
    /// <returns>The number of entries and the last hash, or the first broken entry (line number and why).</returns>
    public static AuditVerification Verify(string path) => Verify(File.ReadLines(path));

    /// <summary>Checks the chain of <paramref name="lines"/> (the lines of a log file, in order).</summary>
    public static AuditVerification Verify(IEnumerable<string> lines)
    {
        string prev = GenesisHash;
        long line = 0;
        foreach (var text in lines)
        {
            line++;
            var at = text.LastIndexOf(HashProperty, StringComparison.Ordinal);
            if (at < 0 || !text.EndsWith("\"}", StringComparison.Ordinal))
                return AuditVerification.Broken(line, "no hash");
            var body = text[..at] + "}";
            var hash = text[(at + HashProperty.Length)..^2];
            JsonObject entry;
            try { entry = JsonNode.Parse(body)!.AsObject(); }
            catch (JsonException) { return AuditVerification.Broken(line, "not a JSON object"); }
            if (entry["seq"]?.GetValue<long>() != line) return AuditVerification.Broken(line, $"seq is {entry["seq"]}, expected {line} (an entry was removed or moved)");
            if (entry["prev"]?.GetValue<string>() != prev) return AuditVerification.Broken(line, "prev does not match the previous entry's hash (an entry was removed, moved or changed)");
            if (Hash(body) != hash) return AuditVerification.Broken(line, "hash does not match the entry (the entry was changed)");
            prev = hash;
        }
        return new AuditVerification(true, line, prev, null);
    }

    static string Hash(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}

/// <summary>The result of <see cref="RegionAuditLog.Verify(string)"/>: valid with <see cref="Entries"/> entries, or the first broken entry.</summary>
/// <param name="Valid">Whether the whole chain verifies.</param>
/// <param name="Entries">Entries checked (valid: all; broken: the broken entry's line number).</param>
/// <param name="LastHash">The hash of the last valid entry.</param>
/// <param name="Error">Why the chain is broken, naming the entry (<c>entry 7: …</c>); null when valid.</param>
public sealed record AuditVerification(bool Valid, long Entries, string LastHash, string? Error)
{
    internal static AuditVerification Broken(long line, string why) => new(false, line, "", $"entry {line}: {why}");
}

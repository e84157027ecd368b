using System.Globalization;
using System.Text;
using FederatedCare.Protos.V1;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Writes audit entries as CSV with the header <c>seq,time,actor,action,job_id,round,detail,prev_hash,hash</c>, in
/// chain order, times as ISO 8601 UTC; a field holding a comma, a quote or a line break is quoted (RFC 4180).
/// </summary>
public static class AuditCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "seq,time,actor,action,job_id,round,detail,prev_hash,hash";

    /// <summary>Writes the entries to a file (UTF-8, LF line ends).</summary>
    public static void Write(string path, IEnumerable<AuditRecord> records) => File.WriteAllText(path, Format(records), new UTF8Encoding(false));

    /// <summary>The entries as CSV text.</summary>
    public static string Format(IEnumerable<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return CsvText.Format(Header.Split(','), records.Select(r => new[]
        {
            r.Seq.ToString(CultureInfo.InvariantCulture), Time(r), r.Actor, r.Action, r.JobId,
            r.HasRound ? r.Round.ToString(CultureInfo.InvariantCulture) : "", r.Detail, r.PrevHash, r.Hash,
        }));
    }

    /// <summary>The entry's time, ISO 8601 UTC to the millisecond.</summary>
    public static string Time(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return DateTimeOffset.FromUnixTimeMilliseconds(record.TimeUnixMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
    }
}

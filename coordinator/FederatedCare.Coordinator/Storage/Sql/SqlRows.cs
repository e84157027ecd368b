using System.Data.Common;
using System.Text.Json;
using FederatedCare.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>Conversions between rows and messages shared by the SQL repositories: times as Unix milliseconds, JSON columns.</summary>
internal static class SqlRows
{
    /// <summary>The job columns every job query selects, in <see cref="ReadJob"/>'s order.</summary>
    public const string JobColumns = "job_id, spec, state, current_round, message, created_at, updated_at, submitted_by";

    /// <summary>The metric columns every metrics query selects first, in <see cref="ReadMetrics"/>'s order.</summary>
    public const string MetricColumns = "round, region, split, num_examples, loss, accuracy, extra";

    public static long ToMs(Timestamp? t) => t is null ? 0 : t.ToDateTimeOffset().ToUnixTimeMilliseconds();

    public static Timestamp FromMs(long ms) => Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    public static JobStatus ReadJob(DbDataReader r) => new()
    {
        JobId = r.GetString(0),
        Spec = JobSpec.Parser.ParseFrom((byte[])r.GetValue(1)),
        State = (JobState)r.GetInt32(2),
        CurrentRound = r.GetInt32(3),
        Message = r.GetString(4),
        CreatedAt = FromMs(r.GetInt64(5)),
        UpdatedAt = FromMs(r.GetInt64(6)),
        SubmittedBy = r.GetString(7),
    };

    /// <summary>Columns 0-6 as <see cref="MetricColumns"/>.</summary>
    public static RegionMetrics ReadMetrics(DbDataReader r)
    {
        var m = new RegionMetrics
        {
            Round = r.GetInt32(0),
            Region = r.GetString(1),
            Split = r.GetString(2),
            NumExamples = r.GetInt64(3),
            Loss = r.GetDouble(4),
            Accuracy = r.GetDouble(5),
        };
        m.Extra.Add(JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(6)) ?? []);
        return m;
    }

    /// <summary>Extra metrics as a JSON object with its keys in ordinal order (the same text whatever the map's order).</summary>
    public static string SerializeExtra(RegionMetrics m) =>
        JsonSerializer.Serialize(m.Extra.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value));

    public static string SerializeParticipants(RoundSummary round) => JsonSerializer.Serialize(round.Participants.ToArray());

    public static IEnumerable<string> ReadParticipants(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>Reads every row with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await using var r = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<T>();
        while (await r.ReadAsync(ct).ConfigureAwait(false)) rows.Add(read(r));
        return rows;
    }
}

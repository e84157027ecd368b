using System.Security.Cryptography;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Privacy;
using FederatedCare.Protos.V1;
using Google.Protobuf;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// What a job spec asks of a region, worked out by the node itself from the spec it received: the spec's SHA-256, the
/// job's kinds, the columns it uses, its rounds and its planned privacy. The policy judges these; manual approval
/// shows them to the data team.
/// </summary>
/// <param name="SpecSha256">SHA-256 (lower-case hex) of the spec's protobuf bytes as the node re-encodes what it received.</param>
/// <param name="Kinds">The job's kinds (<see cref="PolicyOptions.AllKinds"/>): training, or the kinds of its analyses.</param>
/// <param name="Columns">Every column the job uses: features, label, event column and analysis variables (ordinal order).</param>
/// <param name="Rounds">Training rounds (local mode: 1); 0 for analysis jobs.</param>
/// <param name="Privacy">The job's differential privacy, or null.</param>
/// <param name="PlannedEpsilon">ε of the whole job at <see cref="PrivacySettings.Delta"/> (+∞ without noise); null without privacy.</param>
public sealed record JobFacts(string SpecSha256, IReadOnlyList<string> Kinds, IReadOnlyList<string> Columns, int Rounds,
    PrivacySettings? Privacy, double? PlannedEpsilon)
{
    /// <summary>Whether the job trains a model (else it is an analysis job).</summary>
    public bool Training => Kinds.Contains(PolicyOptions.TrainingKind);

    /// <summary>The facts of <paramref name="spec"/>.</summary>
    public static JobFacts Of(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sha = Convert.ToHexStringLower(SHA256.HashData(spec.ToByteArray()));
        var privacy = spec.Analysis is null ? PrivacySettings.From(spec) : null;
        int rounds = spec.Analysis is not null ? 0 : spec.Mode == JobMode.Local ? 1 : spec.Rounds;
        return new JobFacts(sha, KindsOf(spec), ColumnsOf(spec), rounds, privacy, privacy is null ? null : EpsilonAfter(privacy, rounds));
    }

    /// <summary>
    /// ε after <paramref name="rounds"/> rounds with the coordinator's accountant and its sampling rate q = 1 (the
    /// coordinator accounts every round at q = 1: its seeded selection can be recomputed, so sampling does not amplify).
    /// </summary>
    public static double EpsilonAfter(PrivacySettings privacy, int rounds)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        var accountant = new PrivacyAccountant();
        for (int r = 0; r < rounds; r++) accountant.AddRound(1, privacy.NoiseMultiplier);
        return rounds == 0 ? 0 : accountant.Spent(privacy.Delta).Epsilon;
    }

    private static List<string> KindsOf(JobSpec spec)
    {
        if (spec.Analysis is null) return [PolicyOptions.TrainingKind];
        return spec.Analysis.Steps.Select(step => step.KindCase switch
        {
            AnalysisStep.KindOneofCase.Table1 or AnalysisStep.KindOneofCase.Crosstab => PolicyOptions.StatisticsKind,
            _ => PolicyOptions.SurvivalKind,
        }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static List<string> ColumnsOf(JobSpec spec)
    {
        var columns = new SortedSet<string>(StringComparer.Ordinal);
        if (spec.Schema is { } schema)
        {
            foreach (var feature in schema.Features) columns.Add(feature.Name);
            if (schema.Label is { } label)
            {
                if (label.Name.Length > 0) columns.Add(label.Name);
                if (label.EventColumn.Length > 0) columns.Add(label.EventColumn);
            }
        }
        foreach (var step in spec.Analysis is { } analysis ? analysis.Steps : [])
        {
            if (step.Table1 is { } table1)
            {
                columns.UnionWith(table1.Numeric);
                columns.UnionWith(table1.Categorical.Select(c => c.Column));
            }
            if (step.Crosstab is { } crosstab) columns.UnionWith([crosstab.Rows, crosstab.Columns]);
        }
        columns.Remove("");
        return [.. columns];
    }
}

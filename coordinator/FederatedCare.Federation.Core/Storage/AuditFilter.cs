namespace FederatedCare.Federation.Core.Storage;

/// <summary>Which audit entries to list (<see cref="IAuditRepository.ListChainAsync"/>); null: any.</summary>
/// <param name="JobId">Entries of this job.</param>
/// <param name="Region">Entries a region's node made: actor <c>Halland</c>, or <c>node:Halland</c> with mutual TLS.</param>
/// <param name="Action">Entries with this action (e.g. <c>job.refused</c>).</param>
public sealed record AuditFilter(string? JobId = null, string? Region = null, string? Action = null)
{
    /// <summary>No filter: the whole chain.</summary>
    public static readonly AuditFilter All = new();

    /// <summary>Whether <paramref name="entry"/> passes the filter.</summary>
    public bool Matches(Protos.V1.AuditRecord entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (JobId is null || entry.JobId == JobId) && (Action is null || entry.Action == Action)
            && (Region is null || entry.Actor == Region || entry.Actor == NodeActor(Region));
    }

    /// <summary>The actor name of a region's node under mutual TLS.</summary>
    public static string NodeActor(string region) => "node:" + region;
}

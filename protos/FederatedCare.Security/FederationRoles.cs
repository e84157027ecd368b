namespace FederatedCare.Protos.Security;

/// <summary>
/// The roles a federation certificate can carry, in its subject's OU: a region's node agent, an operator who starts
/// and aborts jobs, or a researcher who reads results.
/// </summary>
public static class FederationRoles
{
    /// <summary>A region's node agent; the certificate's CN is the region.</summary>
    public const string Node = "node";

    /// <summary>An operator: starts, aborts and watches jobs, lists nodes, and reads results.</summary>
    public const string Operator = "operator";

    /// <summary>A researcher: reads jobs, rounds, metrics and models, nothing else.</summary>
    public const string Researcher = "researcher";

    /// <summary>Every role, in the order provisioning issues them.</summary>
    public static IReadOnlyList<string> All { get; } = [Node, Operator, Researcher];
}

namespace FederatedCare.Protos.Wire;

/// <summary>
/// The local optimizers a node agent trains with (<c>LocalTrainingSpec.optimizer</c>), shared so the coordinator can
/// refuse an unknown one at submission instead of every node refusing its fit task.
/// </summary>
public static class LocalOptimizers
{
    /// <summary>Plain SGD (no momentum, no weight decay): the default.</summary>
    public const string Sgd = "sgd";

    /// <summary>Adam with PyTorch's defaults.</summary>
    public const string Adam = "adam";

    /// <summary>The optimizer an empty name means.</summary>
    public const string Default = Sgd;

    /// <summary>Every known name.</summary>
    public static IReadOnlyList<string> Known { get; } = [Sgd, Adam];

    /// <summary>The canonical name: trimmed, lower case, empty meaning <see cref="Default"/>.</summary>
    public static string Normalize(string? name) => (name ?? "").Trim().ToLowerInvariant() is { Length: > 0 } n ? n : Default;

    /// <summary>Whether <paramref name="name"/> (case-insensitive, empty allowed) is a known optimizer.</summary>
    public static bool IsKnown(string? name) => Known.Contains(Normalize(name));
}

using FederatedCare.Protos.Wire;

namespace FederatedCare.Federation.Core.Storage;

/// <summary>
/// Content-addressed model files of each job (safetensors): a model is found by its SHA-256
/// (<see cref="ModelParameters.ComputeSha256"/>, so any match holds the same values), and a name of the job
/// (<see cref="ModelNames"/>) points at the hash of the last model saved under it. Reads and writes are asynchronous
/// streams, never a whole file in one blocking call.
/// </summary>
public interface IModelStore
{
    /// <summary>
    /// Writes the model (atomically: a temporary file, flushed, then renamed) and points <paramref name="name"/> at it,
    /// replacing what the name pointed at. Returns the model's SHA-256 (lower-case hex).
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="name">e.g. <c>round-3</c>, <c>local-Halland</c>, <c>control-2</c>; any non-empty text.</param>
    /// <param name="model">The tensors.</param>
    /// <param name="knownSha256">The model's SHA-256 when the caller has it (saves a pass over a large model); not checked.</param>
    /// <param name="ct">Cancels the write; the name then still points at its previous model.</param>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    Task<string> SaveAsync(string jobId, string name, ModelParameters model, string? knownSha256 = null, CancellationToken ct = default);

    /// <summary>The safetensors bytes of the job's model with this SHA-256 as an asynchronous read stream, or null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string jobId, string sha256, CancellationToken ct = default);

    /// <summary>The job's model with this SHA-256, read asynchronously, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The stored file is not valid safetensors.</exception>
    Task<ModelParameters?> ReadAsync(string jobId, string sha256, CancellationToken ct = default);

    /// <summary>
    /// Removes <paramref name="name"/> (its name first, then its file), so the model is no longer found under it; a model
    /// stays readable by its hash while another name points at it. Nothing happens when the name does not exist.
    /// </summary>
    Task DeleteAsync(string jobId, string name, CancellationToken ct = default);

    /// <summary>The job's names starting with <paramref name="prefix"/>, ordered by name (ordinal), with the SHA-256 each points at.</summary>
    Task<IReadOnlyList<(string Name, string Sha256)>> ListAsync(string jobId, string prefix, CancellationToken ct = default);
}

/// <summary>The names a job's models are stored under.</summary>
public static class ModelNames
{
    /// <summary>The prefix of the global models' names.</summary>
    public const string RoundPrefix = "round-";

    /// <summary>The name of the global model after a round: <c>round-&lt;r&gt;</c>.</summary>
    public static string Round(int round) => RoundPrefix + round.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The prefix of SCAFFOLD's server control variates: <c>control-&lt;r&gt;</c>, announced with round r's fit task.</summary>
    public const string ControlPrefix = "control-";

    /// <summary>The name of the server control variate announced with round <paramref name="round"/>'s fit task.</summary>
    public static string Control(int round) => ControlPrefix + round.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The prefix of a strategy's server state after a round: <c>strategy-r&lt;r&gt;-&lt;name&gt;</c>.</summary>
    public const string StrategyStatePrefix = "strategy-r";
}

namespace FederatedCare.Benchmarks.Scale;

/// <summary>The node agent with <see cref="NoOpTrainer"/>: <c>FederatedCare.Benchmarks noop-agent AGENT-ARGS...</c>.</summary>
public static class NoOpAgent
{
    /// <summary>The first argument that selects it.</summary>
    public const string Command = "noop-agent";
}

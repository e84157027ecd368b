namespace FederatedCare.Cli.Commands;

/// <summary>Command descriptions for <c>--help</c>: what the command does, then an example line.</summary>
internal static class Help
{
    /// <summary><paramref name="description"/> followed by <c>Example: <paramref name="example"/></c> on its own line.</summary>
    public static string WithExample(string description, string example) => $"{description}\nExample: {example}";
}

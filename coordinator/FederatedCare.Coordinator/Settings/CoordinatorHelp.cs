using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Xml.Linq;

namespace FederatedCare.Coordinator.Settings;

/// <summary>
/// <c>FederatedCare.Coordinator --help</c>: how to start the coordinator and every setting of the <c>Coordinator</c>
/// section with its default, read from <see cref="CoordinatorOptions"/> itself. Descriptions come from the assembly's
/// XML documentation file, which ships beside it (GenerateDocumentationFile), so the help never drifts from the
/// options' doc comments; without that file the keys and defaults are still listed.
/// </summary>
public static class CoordinatorHelp
{
    /// <summary>Whether the command line asks for help (<c>--help</c>, <c>-h</c> or <c>-?</c>).</summary>
    public static bool IsRequested(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>Writes the help text.</summary>
    public static void Write(TextWriter output)
    {
        output.WriteLine("""
            FederatedCare coordinator: gRPC server for node agents (Federation), operators (Operator) and researchers (Research).

            Usage: dotnet FederatedCare.Coordinator.dll [--urls http://127.0.0.1:5050] [--Coordinator:KEY=VALUE ...]

            Settings come from appsettings.json beside the program, then environment variables (Coordinator__DataDirectory),
            then the command line (--Coordinator:DataDirectory=DIR). An unknown key or an invalid value stops the coordinator
            with one line naming the key. Settings of the Coordinator section (default in brackets):
            """);
        var docs = new Dictionary<Assembly, Dictionary<string, string>>();
        foreach (var (key, property, value) in CoordinatorSettings.All())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  --{key}=... [{Format(value)}]"));
            var assembly = property.DeclaringType!.Assembly;
            if (!docs.TryGetValue(assembly, out var summaries)) docs[assembly] = summaries = LoadSummaries(assembly);
            if (summaries.TryGetValue($"P:{property.DeclaringType.FullName}.{property.Name}", out var summary))
                output.WriteLine($"      {summary}");
        }
        output.WriteLine("""

            Also: --urls (listen addresses; default http://localhost:5000, HTTP/2 only) and Serilog:MinimumLevel:Default.
            Exit codes: 0 after SIGTERM / Ctrl-C, 2 when it cannot start (setting, port, data directory, TLS files).
            """);
    }

    private static string Format(object? value) => value switch
    {
        null => "unset",
        string { Length: 0 } => "empty",
        IEnumerable and not string => string.Join(",", ((IEnumerable)value).Cast<object>()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Member summaries of the assembly's XML documentation, flattened to one line each; empty when absent.</summary>
    private static Dictionary<string, string> LoadSummaries(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path)) return [];
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Flatten(m.Element("summary")!), StringComparer.Ordinal);
    }

    // <see cref="T:X.Y"/> and <c>code</c> become their short text; whitespace folds to single spaces.
    private static string Flatten(XElement summary)
    {
        var parts = summary.Nodes().Select(n => n switch
        {
            XText text => text.Value,
            XElement { Name.LocalName: "see" } see => ((string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? "").Split('.', ':')[^1],
            XElement element => element.Value,
            _ => "",
        });
        return string.Join(' ', string.Concat(parts).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}

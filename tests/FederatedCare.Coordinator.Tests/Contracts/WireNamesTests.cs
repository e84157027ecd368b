using System.Reflection;
using System.Text.RegularExpressions;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Tests.Contracts;

/// <summary>
/// Wire names live in one place: no C# source outside <see cref="WireNames"/> spells a header name, metric key,
/// model label, tensor prefix or node-side strategy name as a string literal. Both ends then agree by construction,
/// which is how "the coordinator reads train_accuracy, which no node sends" went unnoticed.
/// </summary>
public sealed partial class WireNamesTests
{
    /// <summary>
    /// Not scanned: the one place, and the test projects, whose literals are fixtures (expected values, file formats),
    /// except the node fakes, which speak the protocol like an agent.
    /// </summary>
    private static bool Exempt(string path) =>
        path == "protos/FederatedCare.Contracts/WireNames.cs"
        || (path.StartsWith("tests/", StringComparison.Ordinal) && !IsNodeFake(path));

    private static bool IsNodeFake(string path) => Path.GetFileName(path) is "FakeNode.cs" or "AutoNode.cs" or "LoadNode.cs";

    /// <summary>The scanned names: distinctive enough that a literal is the wire name, not an English word.</summary>
    private static readonly Type[] ScannedGroups =
        [typeof(WireNames.Headers), typeof(WireNames.FitMetrics), typeof(WireNames.TensorPrefixes), typeof(WireNames.ModelLabels), typeof(WireNames.Strategies)];

    private static readonly string[] ScannedMetrics = [WireNames.Metrics.Auc, WireNames.Metrics.F1, WireNames.Metrics.Rmse, WireNames.Metrics.Mae, WireNames.Metrics.R2];

    [Fact]
    public void No_source_outside_WireNames_spells_a_wire_name_as_a_literal()
    {
        var root = RepositoryRoot();
        var names = ScannedGroups
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!))
            .Concat(ScannedMetrics)
            .ToHashSet(StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var path = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (path.Split('/').Any(part => part is "obj" or "bin") || Exempt(path))
                continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                foreach (Match m in StringLiteral().Matches(WithoutComment(lines[i])))
                    if (names.Contains(m.Groups[1].Value)) found.Add($"{path}:{i + 1}: \"{m.Groups[1].Value}\"");
        }
        Assert.True(found.Count == 0, "Wire names spelt as literals (use WireNames):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_recognises_a_literal_and_ignores_comments()
    {
        Assert.Equal("x-node-id", StringLiteral().Match(WithoutComment("var h = \"x-node-id\"; // \"auc\"")).Groups[1].Value);
        Assert.Empty(StringLiteral().Matches(WithoutComment("/// <paramref name=\"global\"/> is the model")));
    }

    [Fact]
    public void Wire_names_are_unique_within_each_group()
    {
        foreach (var group in typeof(WireNames).GetNestedTypes())
        {
            var values = group.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
            Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
        }
    }

    // Line comments (and doc comments) removed: names in prose are not literals.
    private static string WithoutComment(string line) => line.IndexOf("//", StringComparison.Ordinal) is var i and >= 0 ? line[..i] : line;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FederatedCare.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No FederatedCare.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex StringLiteral();
}

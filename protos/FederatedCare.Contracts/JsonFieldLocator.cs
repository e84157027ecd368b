using System.Globalization;
using System.Text.Json.Nodes;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// Finds which field of a JSON document a parser refuses, for parsers (such as protobuf's JsonParser) whose messages
/// name the bad value but not where it is. Narrows down by parsing reduced copies of the document: at each level it
/// keeps one property (or array element) at a time, everything else removed, and descends into the first one the
/// parser still refuses. Each copy is a valid document of the same type, so this works for nested messages, maps
/// and repeated fields alike without knowing the schema.
/// </summary>
public static class JsonFieldLocator
{
    /// <summary>
    /// The dotted path of the innermost property whose value <paramref name="parse"/> refuses, e.g.
    /// <c>strategy.parameters.mu</c> or <c>schema.features[3].type</c>; null when the document is not a JSON object,
    /// or when the refusal needs several properties together.
    /// </summary>
    /// <param name="json">The whole document.</param>
    /// <param name="parse">Parses a document; throws on a value it refuses.</param>
    public static string? Find(string json, Action<string> parse)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        if (root is not JsonObject) return null;
        var path = new List<object>(); // property names and array indices, from the root
        while (Children(Resolve(root, path)) is { Count: > 0 } children)
        {
            object? bad = children.FirstOrDefault(child => !Parses(Keep(root, [.. path, child]), parse));
            if (bad is null) break;
            path.Add(bad);
        }
        return path.Count == 0 ? null : Format(path);
    }

    private static bool Parses(string json, Action<string> parse)
    {
        try
        {
            parse(json);
            return true;
        }
        catch (Exception)
        {
            // Any refusal counts: which exception types the parser throws is its own business.
            return false;
        }
    }

    // A copy of the document in which every object and array on the path keeps only the next step.
    private static string Keep(JsonNode root, IReadOnlyList<object> path)
    {
        var copy = root.DeepClone();
        var node = copy;
        foreach (var step in path)
        {
            switch (node, step)
            {
                case (JsonObject o, string name):
                    foreach (var other in o.Select(p => p.Key).Where(k => k != name).ToList()) o.Remove(other);
                    node = o[name]!;
                    break;
                case (JsonArray a, int index):
                    var kept = a[index]!;
                    a.Clear();
                    a.Add(kept.DeepClone());
                    node = a[0]!;
                    break;
            }
        }
        return copy.ToJsonString();
    }

    private static JsonNode? Resolve(JsonNode root, IReadOnlyList<object> path)
    {
        JsonNode? node = root;
        foreach (var step in path) node = step is string name ? node?[name] : node?[(int)step];
        return node;
    }

    private static List<object> Children(JsonNode? node) => node switch
    {
        JsonObject o => o.Select(p => (object)p.Key).ToList(),
        JsonArray a => Enumerable.Range(0, a.Count).Select(i => (object)i).ToList(),
        _ => [],
    };

    private static string Format(IEnumerable<object> path) => string.Concat(path.Select((step, i) => step switch
    {
        int index => string.Create(CultureInfo.InvariantCulture, $"[{index}]"),
        _ => i == 0 ? (string)step : "." + step,
    }));
}

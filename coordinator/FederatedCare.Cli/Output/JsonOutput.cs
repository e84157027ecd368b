using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FederatedCare.Cli.Output;

/// <summary>
/// Writes <c>--output json</c>: one indented JSON document on stdout, property names in camelCase, numbers as JSON
/// numbers (NaN and infinities, which JSON has no number for, as the strings <c>"NaN"</c>, <c>"Infinity"</c>),
/// non-ASCII text such as <c>Örebro</c> as is.
/// </summary>
public static class JsonOutput
{
    /// <summary>The serializer settings of every document.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes <paramref name="document"/> (a record or anonymous object) to stdout, with a final line break.</summary>
    public static void Write(object document) => Console.Out.Write(JsonSerializer.Serialize(document, Options) + "\n");
}

using FederatedCare.Protos.V1;
using Google.Protobuf;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// Reads a job spec from a JSON file in protobuf's JSON mapping (field names as in jobs.proto, snake_case or
/// lowerCamelCase; enums by their .proto names, e.g. <c>"mode": "JOB_MODE_LOCAL"</c>). Unknown fields and enum values are
/// errors, so a typo never silently falls back to a default; the message of a bad enum value lists the valid ones.
/// </summary>
public static class JobSpecFile
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    // The parser refuses an unknown enum name with "Invalid enum value: sgd for enum type: federatedcare.v1.LocalOptimizer".
    private static readonly System.Text.RegularExpressions.Regex EnumRefusal = new(@"for enum type: ([\w.]+)");

    /// <summary>Loads and parses the file.</summary>
    /// <exception cref="InvalidDataException">The file is missing or is not a valid job spec.</exception>
    public static JobSpec Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"Job spec '{path}' does not exist.");
        var json = File.ReadAllText(path);
        try
        {
            return Parser.Parse<JobSpec>(json);
        }
        catch (InvalidProtocolBufferException e)
        {
            // The parser names the bad value, not its field ("Invalid numeric value for type: abc"): find the field.
            var field = JsonFieldLocator.Find(json, text => Parser.Parse<JobSpec>(text));
            throw new InvalidDataException($"Job spec '{path}' is not valid: {(field is null ? "" : field + ": ")}{e.Message}{ValidValues(e.Message)}{TextHint(e.Message)}", e);
        }
        catch (InvalidJsonException e)
        {
            throw new InvalidDataException($"Job spec '{path}' is not valid JSON: {e.Message}", e);
        }
    }

    // Text fields (model hyperparameters, strategy parameters are maps of strings) refuse a bare number or boolean.
    private static string TextHint(string refusal) =>
        refusal.Contains("for field type String", StringComparison.Ordinal) ? " (this value is text: write it in quotes, e.g. \"8\")" : "";

    // " (valid values: JOB_MODE_FEDERATED, JOB_MODE_LOCAL)" when the parser refused an enum value, else "". The
    // *_UNSPECIFIED member is left out: it is the unset default, never a value to write.
    private static string ValidValues(string refusal) =>
        EnumRefusal.Match(refusal) is { Success: true } m && ProtoEnums.ValuesOf(m.Groups[1].Value) is { } values
            ? $" (valid values: {string.Join(", ", values.Where(v => !v.EndsWith("_UNSPECIFIED", StringComparison.Ordinal)))})"
            : "";
}

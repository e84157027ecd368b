using System.Globalization;
using System.Text;
using FederatedCare.NodeAgent.Options;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>How a node reads its file, from its <see cref="DatasetOptions"/>: delimiter, numbers, header, missing markers, encoding.</summary>
public sealed record TableReadSettings(string Delimiter, NumberFormatInfo Numbers, bool HasHeader, IReadOnlyList<string> ColumnNames,
    IReadOnlySet<string> MissingMarkers, Encoding Encoding)
{
    /// <summary>The markers used when none are configured.</summary>
    public static IReadOnlyList<string> DefaultMissingMarkers { get; } = ["", "NA"];

    /// <summary>Reads the settings from <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Unknown culture or encoding, or an unusable separator.</exception>
    public static TableReadSettings From(DatasetOptions options)
    {
        var separator = options.DecimalSeparator;
        if (string.IsNullOrEmpty(separator))
            separator = string.IsNullOrWhiteSpace(options.Culture) ? "." : CultureInfo.GetCultureInfo(options.Culture).NumberFormat.NumberDecimalSeparator;
        if (separator is not ("." or ","))
            throw new ArgumentException($"DecimalSeparator '{separator}' must be '.' or ','.");
        if (string.IsNullOrEmpty(options.Delimiter)) throw new ArgumentException("Delimiter must not be empty.");
        if (separator == options.Delimiter) throw new ArgumentException($"Delimiter and DecimalSeparator are both '{separator}'.");
        var numbers = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        numbers.NumberDecimalSeparator = separator;
        numbers.NumberGroupSeparator = "\u0001"; // never a thousands separator: "1,5" must not read as 15
        var encoding = options.Encoding.Trim().ToLowerInvariant() switch
        {
            "" or "utf-8" or "utf8" => (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            "latin1" or "iso-8859-1" => Encoding.Latin1,
            var other => throw new ArgumentException($"Encoding '{other}' is not supported; use utf-8 or latin1."),
        };
        var markers = options.MissingMarkers.Count > 0 ? options.MissingMarkers : DefaultMissingMarkers;
        return new TableReadSettings(options.Delimiter, numbers, options.HasHeader, options.ColumnNames,
            new HashSet<string>(markers, StringComparer.Ordinal), encoding);
    }
}

using System.Text.RegularExpressions;

namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// A data or split file is missing or malformed. The message always names the file and, where there is one, the
/// 1-based line number and the field, e.g. <c>/data/processed.va.data:12: field 4 (trestbps): 'abc' is not a number</c>,
/// so an operator can fix the file without reading a stack trace.
/// </summary>
public sealed partial class DataFileException : FederatedCare.Node.Sdk.NodeTaskRejectedException
{
    /// <summary>Creates the exception; the message is built from the location and the detail.</summary>
    /// <param name="filePath">The file at fault.</param>
    /// <param name="lineNumber">1-based line number, or null when the whole file is at fault.</param>
    /// <param name="detail">What is wrong.</param>
    /// <param name="field">The field at fault, if any, e.g. <c>field 4 (trestbps)</c>.</param>
    /// <param name="inner">The underlying error (e.g. an <see cref="IOException"/>).</param>
    public DataFileException(string filePath, int? lineNumber, string detail, string? field = null, Exception? inner = null)
        : base(Format(filePath, lineNumber, detail, field), inner)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Field = field;
        Detail = detail;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number, or null.</summary>
    public int? LineNumber { get; }

    /// <summary>The field at fault, or null.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }

    /// <summary>
    /// The message for outside the region (a refusal sent to the coordinator): the file's name without its folder,
    /// the line and the field, and for a problem on a line the detail with every quoted text replaced by '…', since
    /// those quote cell values — patient data. The full message stays in the node's own log and data profile.
    /// </summary>
    public string ForCoordinator() =>
        Format(Path.GetFileName(FilePath), LineNumber, LineNumber is null ? Detail : QuotedText().Replace(Detail, "'…'"), Field);

    /// <inheritdoc />
    public override string ReasonForCoordinator => ForCoordinator();

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedText();

    private static string Format(string path, int? line, string detail, string? field) =>
        (line is { } l ? $"{path}:{l}: " : $"{path}: ") + (field is null ? detail : $"{field}: {detail}");
}

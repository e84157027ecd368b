namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// A data or split file is missing or malformed. The message always names the file and, where there is one, the
/// 1-based line number and the field, e.g. <c>/data/processed.va.data:12: field 4 (trestbps): 'abc' is not a number</c>,
/// so an operator can fix the file without reading a stack trace. That full message stays in the region (the node's
/// log and data profile); outside it goes <see cref="ForCoordinator"/>, which carries no cell value.
/// </summary>
public sealed class DataFileException : FederatedCare.Node.Sdk.NodeTaskRejectedException
{
    /// <summary>Creates the exception; the message is built from the location and the detail.</summary>
    /// <param name="filePath">The file at fault.</param>
    /// <param name="lineNumber">1-based line number, or null when the whole file is at fault.</param>
    /// <param name="detail">What is wrong.</param>
    /// <param name="field">The field at fault, if any, e.g. <c>field 4 (trestbps)</c>.</param>
    /// <param name="inner">The underlying error (e.g. an <see cref="IOException"/>).</param>
    /// <param name="outside">What is wrong in words that hold nothing taken from a cell (the kind of problem, e.g.
    /// <c>not a number</c>), for <see cref="ForCoordinator"/>; null: <see cref="CellProblem"/> for a problem on a line,
    /// <paramref name="detail"/> for a problem of the whole file (whose details name columns and counts, never cells).</param>
    public DataFileException(string filePath, int? lineNumber, string detail, string? field = null, Exception? inner = null, string? outside = null)
        : base(Format(filePath, lineNumber, detail, field), inner)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Field = field;
        Detail = detail;
        OutsideDetail = outside ?? (lineNumber is null ? detail : CellProblem);
    }

    /// <summary>What a refusal says about a problem on a line when the thrower names no kind of problem.</summary>
    public const string CellProblem = "the value does not fit the job's schema (the region's log has the detail).";

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number, or null.</summary>
    public int? LineNumber { get; }

    /// <summary>The field at fault, or null.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Detail { get; }

    /// <summary>What is wrong in words that hold nothing taken from a cell (see the constructor's <c>outside</c>).</summary>
    public string OutsideDetail { get; }

    /// <summary>
    /// The message for outside the region (a refusal sent to the coordinator, its job message and audit table): the
    /// file's name without its folder, the line, the field and <see cref="OutsideDetail"/> — never a cell's value or
    /// text (patient data), not even a part of one. The full message stays in the node's own log and data profile,
    /// where the region's data team reads it.
    /// </summary>
    public string ForCoordinator() => Format(Path.GetFileName(FilePath), LineNumber, OutsideDetail, Field);

    /// <inheritdoc />
    public override string ReasonForCoordinator => ForCoordinator();

    private static string Format(string path, int? line, string detail, string? field) =>
        (line is { } l ? $"{path}:{l}: " : $"{path}: ") + (field is null ? detail : $"{field}: {detail}");
}

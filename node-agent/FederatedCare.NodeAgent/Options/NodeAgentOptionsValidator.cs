using FederatedCare.NodeAgent.Data;
using FederatedCare.Protos.V1;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Options;

/// <summary>Checks <see cref="NodeAgentOptions"/> at start and names every wrong setting by its configuration key.</summary>
public sealed class NodeAgentOptionsValidator : IValidateOptions<NodeAgentOptions>
{
    private static readonly string[] Devices = ["auto", "cpu", "cuda"];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NodeAgentOptions options)
    {
        const string s = NodeAgentOptions.SectionName;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Region))
            errors.Add($"{s}:Region is required (e.g. --{s}:Region=Halland).");
        else if (RegionNames.IdentifierProblem(RegionNames.Normalize(options.Region)) is { } regionProblem)
            errors.Add($"{s}:Region: {regionProblem} E.g. --{s}:Region=Jonkoping \"--{s}:DisplayName=Region Jönköpings län\".");
        if (RegionNames.DisplayNameProblem(RegionNames.Normalize(options.DisplayName)) is { } displayProblem)
            errors.Add($"{s}:DisplayName: {displayProblem}");

        if (!Uri.TryCreate(options.CoordinatorAddress, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            errors.Add($"{s}:CoordinatorAddress '{options.CoordinatorAddress}' must be an absolute http:// or https:// URL, e.g. http://127.0.0.1:5050.");

        ValidateTls(options, uri, errors);

        if (options.Datasets.Count == 0)
            errors.Add($"{s}:Datasets is empty; configure at least one, e.g. --{s}:Datasets:heart-disease:Path=data/heart-disease/processed.cleveland.data.");
        foreach (var (key, dataset) in options.Datasets)
        {
            if (dataset is null || string.IsNullOrWhiteSpace(dataset.Path))
                errors.Add($"{s}:Datasets:{key}:Path is required.");
            if (dataset is not null && !DatasetFormats.IsKnown(dataset.Format))
                errors.Add($"{s}:Datasets:{key}:Format '{dataset.Format}' is unknown; supported: {string.Join(", ", DatasetFormats.All)}.");
            if (dataset is not null && dataset.MinRows < 1)
                errors.Add($"{s}:Datasets:{key}:MinRows must be at least 1 (was {dataset.MinRows}).");
            if (dataset is not null && !(dataset.TestFraction >= 0 && dataset.TestFraction < 1))
                errors.Add($"{s}:Datasets:{key}:TestFraction must be in [0, 1) (was {dataset.TestFraction}).");
            if (dataset is not null && !string.IsNullOrWhiteSpace(dataset.SplitColumn) && !string.IsNullOrWhiteSpace(dataset.SplitFile))
                errors.Add($"{s}:Datasets:{key}: set SplitColumn or SplitFile, not both.");
            if (dataset is not null && !string.IsNullOrWhiteSpace(dataset.SplitColumn) && !DatasetFormats.IsSchemaDriven(dataset.Format))
                errors.Add($"{s}:Datasets:{key}:SplitColumn is for csv and parquet datasets.");
            if (dataset is not null && DatasetFormats.IsSchemaDriven(dataset.Format) && !dataset.HasHeader && dataset.ColumnNames.Count == 0)
                errors.Add($"{s}:Datasets:{key}:ColumnNames is required when HasHeader is false.");
            if (dataset is not null && DatasetFormats.IsSchemaDriven(dataset.Format) && dataset.HasHeader && dataset.ColumnNames.Count > 0)
                errors.Add($"{s}:Datasets:{key}:ColumnNames is set, but HasHeader is true and the file's header names the columns; set HasHeader=false if the file has no header line, or rename header columns with Mapping:Columns.");
            if (dataset is not null) MappingOptionsValidator.Validate($"{s}:Datasets:{key}", dataset, errors);
        }

        if (options.TorchThreads < 1)
            errors.Add($"{s}:TorchThreads must be at least 1 (was {options.TorchThreads}).");
        if (!Devices.Contains(options.Device, StringComparer.OrdinalIgnoreCase))
            errors.Add($"{s}:Device '{options.Device}' must be one of {string.Join(", ", Devices)}.");
        if (options.ModelCacheSize < 1)
            errors.Add($"{s}:ModelCacheSize must be at least 1 (was {options.ModelCacheSize}).");
        if (options.Analysis is null)
            errors.Add($"{s}:Analysis must not be empty.");
        else if (options.Analysis.MinCellCount < 1)
            errors.Add($"{s}:Analysis:MinCellCount must be at least 1 (was {options.Analysis.MinCellCount}).");
        if (options.Policy is not null) PolicyOptionsValidator.Validate(options, errors);
        if (!(options.CallTimeoutSeconds > 0))
            errors.Add($"{s}:CallTimeoutSeconds must be positive (was {options.CallTimeoutSeconds}).");

        var r = options.Reconnect;
        if (r.InitialDelayMs < 1) errors.Add($"{s}:Reconnect:InitialDelayMs must be at least 1 (was {r.InitialDelayMs}).");
        if (r.MaxDelayMs < r.InitialDelayMs) errors.Add($"{s}:Reconnect:MaxDelayMs ({r.MaxDelayMs}) must be at least InitialDelayMs ({r.InitialDelayMs}).");
        if (!(r.Multiplier >= 1)) errors.Add($"{s}:Reconnect:Multiplier must be at least 1 (was {r.Multiplier}).");
        if (!(r.Jitter >= 0 && r.Jitter <= 1)) errors.Add($"{s}:Reconnect:Jitter must be between 0 and 1 (was {r.Jitter}).");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>All three TLS files or none; each one present; an https:// coordinator address exactly when they are set; then a positive reload period.</summary>
    private static void ValidateTls(NodeAgentOptions options, Uri? coordinator, List<string> errors)
    {
        const string t = NodeAgentOptions.SectionName + ":Tls";
        var tls = options.Tls;
        if (!tls.IsConfigured)
        {
            // The agent would otherwise try TLS without a client certificate or the federation CA and retry for ever.
            if (coordinator is not null && coordinator.Scheme == Uri.UriSchemeHttps)
                errors.Add($"{NodeAgentOptions.SectionName}:CoordinatorAddress '{options.CoordinatorAddress}' is https:// but {t} is not set; set {t}:CertificatePath, KeyPath and CaPath (files from fedcare provision), or use http://.");
            return;
        }
        foreach (var (key, path) in new[] { ("CertificatePath", tls.CertificatePath), ("KeyPath", tls.KeyPath), ("CaPath", tls.CaPath) })
        {
            if (string.IsNullOrWhiteSpace(path))
                errors.Add($"{t}:{key} is not set; mutual TLS needs {t}:CertificatePath, KeyPath and CaPath together.");
            else if (!File.Exists(path))
                errors.Add($"{t}:{key}: file '{path}' does not exist.");
        }
        if (coordinator is not null && coordinator.Scheme != Uri.UriSchemeHttps)
            errors.Add($"{NodeAgentOptions.SectionName}:CoordinatorAddress '{options.CoordinatorAddress}' must be https:// when {t} is set.");
        if (!(tls.ReloadSeconds > 0 && double.IsFinite(tls.ReloadSeconds)))
            errors.Add($"{t}:ReloadSeconds must be a positive number of seconds (was {tls.ReloadSeconds}).");
    }
}

using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// The datasets configured for this region, loaded once when the catalog is created (at agent start, so a broken
/// file stops the agent immediately rather than at the first task).
/// </summary>
public sealed class DatasetCatalog
{
    private readonly Dictionary<string, LocalDataset> _datasets;

    /// <summary>Loads every dataset in <see cref="NodeAgentOptions.Datasets"/>.</summary>
    /// <exception cref="DataFileException">A data or split file is missing or malformed.</exception>
    public DatasetCatalog(IOptions<NodeAgentOptions> options)
    {
        _datasets = new Dictionary<string, LocalDataset>(StringComparer.Ordinal);
        foreach (var (name, config) in options.Value.Datasets)
            _datasets[name] = Load(name, config);
    }

    /// <summary>Dataset names, sorted.</summary>
    public IReadOnlyList<string> Names => _datasets.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>All loaded datasets.</summary>
    public IEnumerable<LocalDataset> All => _datasets.Values;

    /// <summary>The dataset called <paramref name="name"/>, if configured.</summary>
    public bool TryGet(string name, out LocalDataset dataset) => _datasets.TryGetValue(name, out dataset!);

    /// <summary>Loads one dataset according to its format.</summary>
    /// <exception cref="DataFileException">A file is missing or malformed.</exception>
    public static LocalDataset Load(string name, DatasetOptions config) => config.Format.ToLowerInvariant() switch
    {
        DatasetFormats.UciHeartDisease => UciHeartDiseaseLoader.Load(name, config.Path, config.ResolveSplitFile()),
        _ => throw new DataFileException(config.Path, null, $"unknown format '{config.Format}'."),
    };
}

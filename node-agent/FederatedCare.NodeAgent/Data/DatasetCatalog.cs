using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Options;

namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// The datasets configured for this region. Fixed-format datasets (<c>uci-heart-disease</c>) are loaded once when the
/// catalog is created (at agent start, so a broken file stops the agent immediately). CSV and Parquet datasets are
/// read per job with the job's schema (<see cref="Tabular.TabularPreparer"/>): a file that does not fit keeps the
/// region out of that job only.
/// </summary>
public sealed class DatasetCatalog
{
    private readonly Dictionary<string, LocalDataset> _datasets;
    private readonly Dictionary<string, DatasetOptions> _tabular = new(StringComparer.Ordinal);

    /// <summary>Loads every dataset in <see cref="NodeAgentOptions.Datasets"/>.</summary>
    /// <exception cref="DataFileException">A data or split file is missing or malformed.</exception>
    public DatasetCatalog(IOptions<NodeAgentOptions> options)
    {
        _datasets = new Dictionary<string, LocalDataset>(StringComparer.Ordinal);
        foreach (var (name, config) in options.Value.Datasets)
        {
            if (DatasetFormats.IsSchemaDriven(config.Format)) _tabular[name] = config;
            else _datasets[name] = Load(name, config);
        }
    }

    /// <summary>Dataset names, sorted.</summary>
    public IReadOnlyList<string> Names => _datasets.Keys.Concat(_tabular.Keys).Order(StringComparer.Ordinal).ToList();

    /// <summary>The CSV and Parquet datasets (read per job with the job's schema), by name.</summary>
    public IReadOnlyDictionary<string, DatasetOptions> Tabular => _tabular;

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

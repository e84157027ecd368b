namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// Builds a <see cref="LocalDataset"/> from a UCI Heart Disease file and FLamby's split, exactly as FLamby's
/// Fed-Heart-Disease: <see cref="HeartDiseaseFeatures"/>, rows from <see cref="FlambySplitFile"/> (in its order),
/// then <see cref="Standardizer"/> fitted on the training rows and applied to both splits.
/// Expected train/test sizes: Cleveland 199/104, Hungarian 172/89, Switzerland 30/16, VA 85/45.
/// </summary>
public static class UciHeartDiseaseLoader
{
    /// <summary>Loads one centre's file.</summary>
    /// <param name="name">The dataset name jobs use.</param>
    /// <param name="dataPath">The raw file, e.g. <c>processed.va.data</c>.</param>
    /// <param name="splitPath">flamby_split.csv.</param>
    /// <exception cref="DataFileException">A file is missing or malformed, or the split names a line that does not
    /// exist or that preprocessing drops (a missing value).</exception>
    public static LocalDataset Load(string name, string dataPath, string splitPath)
    {
        var raw = UciHeartDiseaseFile.Read(dataPath);
        var assignments = FlambySplitFile.Read(splitPath, Path.GetFileName(dataPath));

        var train = new Rows();
        var test = new Rows();
        var seen = new HashSet<int>();
        foreach (var a in assignments)
        {
            if (a.RowIndex >= raw.Count)
                throw new DataFileException(splitPath, a.SplitLine,
                    $"row {a.RowIndex} does not exist in {dataPath} ({raw.Count} lines, row_index is 0-based).", "row_index",
                    outside: "a row the data file does not have (row_index is 0-based).");
            if (!seen.Add(a.RowIndex))
                throw new DataFileException(splitPath, a.SplitLine, $"row {a.RowIndex} is assigned twice.", "row_index", outside: "a row assigned twice.");
            if (!HeartDiseaseFeatures.TryEncode(raw[a.RowIndex], out var features, out var label))
                throw new DataFileException(splitPath, a.SplitLine,
                    $"row {a.RowIndex} ({dataPath} line {a.RowIndex + 1}) has a missing value and cannot be used.", "row_index",
                    outside: "the row it names has a missing value and cannot be used.");
            (a.IsTrain ? train : test).Add(features, label, a.RowIndex);
        }
        if (train.Features.Count == 0)
            throw new DataFileException(splitPath, null, $"no training rows for '{Path.GetFileName(dataPath)}'.");

        int width = HeartDiseaseFeatures.Names.Count;
        var scaling = Standardizer.Fit(train.Features, width);
        return new LocalDataset(name, dataPath, HeartDiseaseFeatures.Names, train.ToSplit(scaling, width), test.ToSplit(scaling, width), scaling);
    }

    private sealed class Rows
    {
        public List<double[]> Features { get; } = [];
        private readonly List<float> _labels = [];
        private readonly List<int> _lines = [];

        public void Add(double[] features, float label, int line)
        {
            Features.Add(features);
            _labels.Add(label);
            _lines.Add(line);
        }

        public TabularSplit ToSplit(Standardizer scaling, int width) =>
            new(scaling.Transform(Features), _labels.ToArray(), width, _lines.ToArray());
    }
}

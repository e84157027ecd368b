using FederatedCare.NodeAgent.Data;

namespace FederatedCare.Benchmarks.Baselines;

/// <summary>The pooled baseline's training rows.</summary>
public static class PooledTraining
{
    /// <summary>
    /// The training rows of <paramref name="centres"/> concatenated in that order, z-scored per
    /// <paramref name="scaling"/>. <see cref="PooledScaling.Pooled"/> re-reads the raw files with the node agent's
    /// reader, features and split (the loaded datasets hold z-scores only).
    /// </summary>
    /// <exception cref="DataFileException">A file is missing or malformed.</exception>
    public static TabularSplit Load(string dataDirectory, IReadOnlyList<HeartCentre> centres, PooledScaling scaling)
    {
        if (scaling == PooledScaling.PerCentre)
            return Baseline.ConcatTraining(centres.Select(c => c.Load(dataDirectory)).ToList());

        var features = new List<double[]>();
        var labels = new List<float>();
        var lines = new List<int>();
        var splitPath = Path.Combine(dataDirectory, "flamby_split.csv");
        foreach (var centre in centres)
        {
            var raw = UciHeartDiseaseFile.Read(Path.Combine(dataDirectory, centre.File));
            foreach (var a in FlambySplitFile.Read(splitPath, centre.File).Where(a => a.IsTrain))
            {
                if (a.RowIndex >= raw.Count || !HeartDiseaseFeatures.TryEncode(raw[a.RowIndex], out var row, out var label))
                    throw new DataFileException(splitPath, a.SplitLine, $"row {a.RowIndex} of {centre.File} is missing or incomplete.", "row_index");
                features.Add(row);
                labels.Add(label);
                lines.Add(a.RowIndex);
            }
        }
        int width = HeartDiseaseFeatures.Names.Count;
        return new TabularSplit(Standardizer.Fit(features, width).Transform(features), labels.ToArray(), width, lines.ToArray());
    }
}

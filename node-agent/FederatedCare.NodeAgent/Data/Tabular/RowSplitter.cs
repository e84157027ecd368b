using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// Splits encoded rows into train and test: by a split file (FLamby's <c>center,file,split,row_index</c>, matched by
/// the data file's name, <c>row_index</c> = 0-based data row, rows in the split file's order; rows dropped for
/// missing values are skipped), by a split column of the file (<c>DatasetOptions.SplitColumn</c>, rows in file
/// order), or by a seeded stratified split (per class — per event for a survival label —, <c>round(n · fraction)</c>
/// test rows drawn with <see cref="Random"/>(seed); regression: one stratum), rows in file order.
/// </summary>
public static class RowSplitter
{
    /// <summary>Positions (into <paramref name="rows"/>) of the training and test rows.</summary>
    /// <param name="rows">The encoded rows.</param>
    /// <param name="task">The label's task (classes and survival events are strata of the seeded split).</param>
    /// <param name="dataPath">The data file (a split file's rows are matched by its name).</param>
    /// <param name="splitFile">A FLamby split file, or empty.</param>
    /// <param name="testFraction">The seeded split's test fraction.</param>
    /// <param name="seed">The seeded split's seed.</param>
    /// <param name="trainByRow">From a split column: per data row of the file whether it is a training row; null: none.</param>
    /// <exception cref="DataFileException">The split file is malformed or names a row the file does not have.</exception>
    public static (List<int> Train, List<int> Test) Split(EncodedRows rows, LabelTask task, string dataPath, string splitFile, double testFraction, int seed,
        IReadOnlyList<bool>? trainByRow = null)
    {
        var train = new List<int>();
        var test = new List<int>();
        if (trainByRow is not null)
        {
            for (int i = 0; i < rows.RowIndex.Count; i++) (trainByRow[rows.RowIndex[i]] ? train : test).Add(i);
            return (train, test);
        }
        if (!string.IsNullOrWhiteSpace(splitFile))
        {
            var position = new Dictionary<int, int>();
            for (int i = 0; i < rows.RowIndex.Count; i++) position[rows.RowIndex[i]] = i;
            foreach (var a in FlambySplitFile.Read(splitFile, Path.GetFileName(dataPath)))
            {
                if (a.RowIndex >= rows.Profile.RowsRead)
                    throw new DataFileException(splitFile, a.SplitLine,
                        $"row {a.RowIndex} does not exist in {dataPath} ({rows.Profile.RowsRead} data rows, row_index is 0-based).", "row_index",
                        outside: "a row the data file does not have (row_index is 0-based).");
                if (position.TryGetValue(a.RowIndex, out var p)) (a.IsTrain ? train : test).Add(p);
            }
            return (train, test);
        }
        var strata = task is LabelTask.Binary or LabelTask.Multiclass or LabelTask.Survival
            ? Enumerable.Range(0, rows.Labels.Count).GroupBy(i => rows.Labels[i]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList()
            : [Enumerable.Range(0, rows.Labels.Count).ToList()];
        var random = new Random(seed);
        foreach (var stratum in strata)
        {
            var shuffled = stratum.ToArray();
            random.Shuffle(shuffled);
            int nTest = (int)Math.Round(shuffled.Length * testFraction, MidpointRounding.AwayFromZero);
            test.AddRange(shuffled.Take(nTest));
            train.AddRange(shuffled.Skip(nTest));
        }
        train.Sort();
        test.Sort();
        return (train, test);
    }
}

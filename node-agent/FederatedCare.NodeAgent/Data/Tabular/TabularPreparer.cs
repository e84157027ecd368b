using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>
/// The generic data path of a CSV or Parquet dataset for one job: read (<see cref="TableFile"/>), check and encode
/// (<see cref="SchemaEncoder"/>), split (<see cref="RowSplitter"/>), impute missing values with the training rows'
/// statistics, count what may be reported, and normalise — none, z-score with the region's own training statistics,
/// or z-score with the federation's pooled statistics (<see cref="GlobalStatistics"/>).
/// </summary>
public static class TabularPreparer
{
    /// <summary>Prepares <paramref name="options"/>'s file for a job.</summary>
    /// <param name="name">The dataset name.</param>
    /// <param name="options">The region's configuration of the dataset.</param>
    /// <param name="schema">The job's schema.</param>
    /// <param name="global">The pooled statistics (federated z-score), or null when not yet known.</param>
    /// <exception cref="DataFileException">The file does not fit the schema, or has fewer usable training rows than
    /// <see cref="DatasetOptions.MinRows"/>.</exception>
    public static PreparedDataset Prepare(string name, DatasetOptions options, DatasetSchema schema, GlobalStatistics? global)
    {
        var table = TableFile.Read(options);
        var rows = SchemaEncoder.Encode(table, schema, options.SplitColumn);
        var task = schema.Label.Task;
        var (trainAt, testAt) = RowSplitter.Split(rows, task, options.Path, options.SplitFile, options.TestFraction, options.SplitSeed,
            string.IsNullOrWhiteSpace(options.SplitColumn) ? null : SplitColumn.Read(table, options.SplitColumn));
        var profile = rows.Profile;
        profile.TrainRows = trainAt.Count;
        profile.TestRows = testAt.Count;
        if (trainAt.Count < options.MinRows)
            throw new DataFileException(options.Path, null,
                $"only {trainAt.Count} usable training rows, fewer than the {options.MinRows} this region requires to join a job (MinRows).");
        if (task == LabelTask.Survival) SurvivalEvents.RequireOne(options.Path, schema.Label, trainAt.Count, trainAt.Count(i => rows.Labels[i] == 1f));

        var columns = rows.Columns;
        int width = columns.Count;
        var train = trainAt.Select(i => (double[])rows.Features[i].Clone()).ToList();
        var test = testAt.Select(i => (double[])rows.Features[i].Clone()).ToList();
        Impute(schema, columns, train, test);

        var statistics = new LocalStatistics { TrainRows = train.Count };
        var normalization = schema.Normalization ?? new Normalization();
        if (normalization.Kind == NormalizationKind.ZscoreFederated)
            for (int j = 0; j < width; j++)
                statistics.Columns.Add(new ColumnMoments
                {
                    Name = columns[j].Name,
                    Count = train.Count,
                    Sum = train.Sum(r => r[j]),
                    SumOfSquares = train.Sum(r => r[j] * r[j]),
                });
        if (schema.ShareLabelCounts && task is LabelTask.Binary or LabelTask.Multiclass)
            foreach (var g in trainAt.GroupBy(i => SchemaEncoder.ClassName(schema.Label, rows.Labels[i])))
                statistics.LabelCounts[g.Key] = g.Count();

        var skip = columns.Select(c => normalization.SkipCategorical && c.IsDummy).ToList();
        Standardizer? scaling = normalization.Kind switch
        {
            NormalizationKind.ZscoreLocal => Standardizer.Fit(train, width, normalization.SampleStd, normalization.Epsilon, skip),
            NormalizationKind.ZscoreFederated when global is null => null,
            NormalizationKind.ZscoreFederated => FromGlobal(options.Path, global, columns, normalization.Epsilon, skip),
            _ => Standardizer.Identity(width),
        };
        if (scaling is null) return new PreparedDataset(statistics, profile, null);
        int classes = task switch { LabelTask.Multiclass => schema.Label.Levels.Count, LabelTask.Regression => 1, _ => 2 };
        var data = new LocalDataset(name, options.Path, columns.Select(c => c.Name).ToList(),
            Split(scaling, train, trainAt, rows, width), Split(scaling, test, testAt, rows, width), scaling, task, classes);
        return new PreparedDataset(statistics, profile, data);
    }

    private static TabularSplit Split(Standardizer scaling, List<double[]> features, List<int> at, EncodedRows rows, int width) =>
        new(scaling.Transform(features), at.Select(i => rows.Labels[i]).ToArray(), width, at.Select(i => rows.RowIndex[i]).ToArray(),
            rows.Times.Count > 0 ? at.Select(i => rows.Times[i]).ToArray() : null);

    private static Standardizer FromGlobal(string path, GlobalStatistics global, IReadOnlyList<EncodedColumn> columns, double epsilon, IReadOnlyList<bool> skip)
    {
        if (!global.Columns.SequenceEqual(columns.Select(c => c.Name), StringComparer.Ordinal) || global.Mean.Count != columns.Count || global.Std.Count != columns.Count)
            throw new DataFileException(path, null,
                $"the federation's statistics cover the columns [{string.Join(", ", global.Columns)}] but this region encodes [{string.Join(", ", columns.Select(c => c.Name))}].");
        return Standardizer.From(global.Mean, global.Std, epsilon, skip);
    }

    // Constant, training-mean and indicator imputation, column by encoded column (a categorical column's one-hot
    // columns get their training frequencies).
    private static void Impute(DatasetSchema schema, IReadOnlyList<EncodedColumn> columns, List<double[]> train, List<double[]> test)
    {
        for (int j = 0; j < columns.Count; j++)
        {
            var missing = schema.Features[columns[j].Feature].Missing;
            var strategy = missing?.Strategy ?? MissingStrategy.Unspecified;
            if (strategy is MissingStrategy.Unspecified or MissingStrategy.DropRow) continue;
            double fill = strategy == MissingStrategy.ImputeConstant ? missing!.Constant : Mean(train, j);
            foreach (var r in train.Concat(test))
                if (double.IsNaN(r[j])) r[j] = fill;
        }
    }

    private static double Mean(List<double[]> rows, int j)
    {
        var present = rows.Select(r => r[j]).Where(v => !double.IsNaN(v)).ToList();
        return present.Count > 0 ? present.Average() : 0;
    }
}

using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Data.Tabular;
using FederatedCare.NodeAgent.Options;
using FederatedCare.Protos.V1;

namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// Reads, checks, encodes and splits a region's CSV/Parquet file for an analysis job: the same reader, schema checks
/// and split (split column, split file, or the node's seeded split stratified by the event) as for training, but with
/// treatment contrasts, no normalisation, double precision, and for a survival label the rule that the region's
/// training rows hold at least one event.
/// </summary>
public static class AnalysisDataPreparer
{
    /// <summary>Prepares <paramref name="options"/>'s file for an analysis job with <paramref name="schema"/>.</summary>
    /// <exception cref="DataFileException">The file does not fit the schema, has fewer training rows than
    /// <see cref="DatasetOptions.MinRows"/>, or (survival) no event among its training rows; the message names the
    /// file, column and line.</exception>
    public static AnalysisData Prepare(string name, DatasetOptions options, DatasetSchema schema)
    {
        var contrasts = schema.Clone();
        contrasts.Normalization = null;
        foreach (var feature in contrasts.Features)
            if (feature.Type == ColumnType.Categorical) feature.Encoding = CategoricalEncoding.OneHotDropFirst;
        var table = TableFile.Read(options);
        var rows = SchemaEncoder.Encode(table, contrasts, options.SplitColumn);
        var (trainAt, testAt) = RowSplitter.Split(rows, contrasts.Label.Task, options.Path, options.SplitFile, options.TestFraction, options.SplitSeed,
            string.IsNullOrWhiteSpace(options.SplitColumn) ? null : SplitColumn.Read(table, options.SplitColumn));
        rows.Profile.TrainRows = trainAt.Count;
        rows.Profile.TestRows = testAt.Count;
        if (trainAt.Count < options.MinRows)
            throw new DataFileException(options.Path, null,
                $"only {trainAt.Count} usable training rows, fewer than the {options.MinRows} this region requires to join a job (MinRows).");
        var train = Rows(rows, trainAt);
        if (contrasts.Label.Task == LabelTask.Survival) SurvivalEvents.RequireOne(options.Path, contrasts.Label, train.Count, train.EventCount);
        return new AnalysisData(name, Terms(contrasts), train, Rows(rows, testAt), rows.Profile);
    }

    // R's names of the design matrix columns: a categorical feature's levels after the first, pasted to its name.
    private static List<string> Terms(DatasetSchema schema) =>
        schema.Features.SelectMany(f => f.Type == ColumnType.Categorical ? f.Levels.Skip(1).Select(level => f.Name + level) : [f.Name]).ToList();

    private static AnalysisRows Rows(EncodedRows rows, List<int> at)
    {
        bool survival = rows.Times.Count > 0;
        return new AnalysisRows(at.Select(i => rows.Features[i]).ToArray(),
            survival ? at.Select(i => rows.Times[i]).ToArray() : [],
            survival ? at.Select(i => rows.Labels[i] == 1f).ToArray() : []);
    }
}

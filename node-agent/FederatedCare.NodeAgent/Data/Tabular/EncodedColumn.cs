namespace FederatedCare.NodeAgent.Data.Tabular;

/// <summary>One column of the encoded feature matrix.</summary>
/// <param name="Name">e.g. <c>age</c>, <c>cp_2</c> (one-hot), <c>chol_missing</c> (indicator).</param>
/// <param name="Feature">Index of the schema feature it comes from.</param>
/// <param name="IsDummy">One-hot or indicator column (0/1): left alone when normalisation skips categorical columns.</param>
public sealed record EncodedColumn(string Name, int Feature, bool IsDummy);

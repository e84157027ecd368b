namespace FederatedCare.NodeAgent.Data;

/// <summary>
/// FLamby's Fed-Heart-Disease features (du Terrail et al., NeurIPS 2022; owkin/FLamby <c>fed_heart_disease</c>):
/// drop slope, ca and thal; keep a row only when none of the other attributes is missing; label <c>num &gt; 0</c>;
/// one-hot cp (levels 1–4) and restecg (0–2) without their first level. 13 features.
/// </summary>
public static class HeartDiseaseFeatures
{
    /// <summary>The 13 features, in model input order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["age", "sex", "trestbps", "chol", "fbs", "thalach", "exang", "oldpeak", "cp_2", "cp_3", "cp_4", "restecg_1", "restecg_2"];

    // Raw columns copied as they are, in feature order.
    private static readonly int[] Numeric = [0, 1, 3, 4, 5, 7, 8, 9];

    // Raw columns that must be present for a row to be kept: everything but slope (10), ca (11), thal (12).
    private static readonly int[] Required = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13];

    /// <summary>
    /// Encodes one raw row (14 values, NaN = missing) into 13 features and a label, or returns false when FLamby
    /// drops the row because a kept attribute is missing.
    /// </summary>
    public static bool TryEncode(double[] raw, out double[] features, out float label)
    {
        features = [];
        label = 0;
        foreach (var c in Required)
            if (double.IsNaN(raw[c])) return false;

        features = new double[Names.Count];
        int k = 0;
        foreach (var c in Numeric) features[k++] = raw[c];
        int cp = (int)raw[UciHeartDiseaseFile.Cp];
        for (int level = 2; level <= 4; level++) features[k++] = cp == level ? 1 : 0;
        int restEcg = (int)raw[UciHeartDiseaseFile.RestEcg];
        for (int level = 1; level <= 2; level++) features[k++] = restEcg == level ? 1 : 0;
        label = raw[UciHeartDiseaseFile.Num] > 0 ? 1f : 0f;
        return true;
    }
}

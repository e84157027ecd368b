namespace FederatedCare.NodeAgent.Training;

/// <summary>
/// Area under the ROC curve of binary scores, via the Mann–Whitney U statistic (Hanley &amp; McNeil 1982):
/// <c>AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊·n₋)</c>, where R₊ is the sum of the positives' ranks among all scores and tied
/// scores share their average rank (so a positive tied with a negative counts ½). Equals scikit-learn's
/// <c>roc_auc_score</c>. Undefined — null, not NaN — when the labels hold one class.
/// </summary>
public static class RocAuc
{
    /// <summary>The AUC of <paramref name="scores"/> (higher = more likely positive) against <paramref name="labels"/>.</summary>
    /// <param name="scores">One score per row, e.g. a predicted probability; must be finite.</param>
    /// <param name="labels">One label per row; &gt; 0.5 is positive.</param>
    /// <returns>The AUC in [0, 1], or null without both a positive and a negative row.</returns>
    /// <exception cref="ArgumentException">Lengths differ, or a score is not finite.</exception>
    public static double? Compute(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels.", nameof(labels));
        int n = scores.Length;
        var order = new int[n];
        var sorted = new float[n];
        for (int i = 0; i < n; i++)
        {
            if (!float.IsFinite(scores[i])) throw new ArgumentException($"Score {i} is {scores[i]}.", nameof(scores));
            order[i] = i;
            sorted[i] = scores[i];
        }
        Array.Sort(sorted, order);

        double positiveRankSum = 0;
        long positives = 0;
        for (int start = 0; start < n;)
        {
            int end = start;
            while (end + 1 < n && sorted[end + 1] == sorted[start]) end++;
            double averageRank = (start + end) / 2.0 + 1; // 1-based ranks start+1 .. end+1
            for (int k = start; k <= end; k++)
            {
                if (labels[order[k]] <= 0.5f) continue;
                positiveRankSum += averageRank;
                positives++;
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return null;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}

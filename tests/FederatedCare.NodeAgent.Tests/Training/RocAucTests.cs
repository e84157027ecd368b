using FederatedCare.NodeAgent.Training;

namespace FederatedCare.NodeAgent.Tests.Training;

public sealed class RocAucTests
{
    [Theory]
    // (positive, negative) pairs ranked correctly / all pairs; a tie counts ½.
    [InlineData(new float[] { 0.1f, 0.4f, 0.35f, 0.8f }, new float[] { 0, 0, 1, 1 }, 0.75)]   // 3 of 4 pairs
    [InlineData(new float[] { 0.9f, 0.1f, 0.8f, 0.2f }, new float[] { 1, 0, 1, 0 }, 1.0)]
    [InlineData(new float[] { 0.9f, 0.1f, 0.8f, 0.2f }, new float[] { 0, 1, 0, 1 }, 0.0)]
    [InlineData(new float[] { 0.5f, 0.5f, 0.5f, 0.9f }, new float[] { 0, 1, 0, 1 }, 0.75)]    // ½ + ½ + 1 + 1 of 4
    [InlineData(new float[] { 0.2f, 0.6f, 0.6f, 0.6f, 0.9f }, new float[] { 0, 1, 0, 0, 1 }, 5.0 / 6)] // (1 + ½ + ½) + 3 of 6
    [InlineData(new float[] { 0.3f, 0.3f, 0.3f }, new float[] { 1, 0, 1 }, 0.5)]
    public void Auc_matches_hand_counted_pairs(float[] scores, float[] labels, double expected) =>
        Assert.Equal(expected, RocAuc.Compute(scores, labels)!.Value, 12);

    [Fact]
    public void One_class_or_no_rows_has_no_auc()
    {
        Assert.Null(RocAuc.Compute([0.1f, 0.7f], [1, 1]));
        Assert.Null(RocAuc.Compute([0.1f, 0.7f], [0, 0]));
        Assert.Null(RocAuc.Compute([], []));
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RocAuc.Compute([0.1f], [1, 0]));
        Assert.Throws<ArgumentException>(() => RocAuc.Compute([float.NaN, 0.2f], [1, 0]));
    }
}

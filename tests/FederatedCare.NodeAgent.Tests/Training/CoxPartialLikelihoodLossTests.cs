using FederatedCare.NodeAgent.Analysis;
using FederatedCare.NodeAgent.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>
/// The training loss of the <c>cox</c> model: the negative Breslow partial log-likelihood per row, checked against a
/// hand computation with tied event times, against the analysis jobs' independent double-precision implementation
/// (<see cref="CoxPartialLikelihood"/>, R's coxfit6 loop) with its analytic score as the gradient, and for stability.
/// </summary>
public sealed class CoxPartialLikelihoodLossTests
{
    private static (double Loss, double[] Gradient) LossAndGradient(double[][] x, double[] times, bool[] events, double[] beta)
    {
        using var scope = torch.NewDisposeScope();
        int n = x.Length, p = beta.Length;
        var features = torch.tensor(x.SelectMany(r => r).ToArray(), [n, p], ScalarType.Float64);
        var b = torch.tensor(beta, [p, 1], ScalarType.Float64).requires_grad_(true);
        var loss = CoxPartialLikelihoodLoss.Compute(features.matmul(b),
            torch.tensor(events.Select(e => e ? 1.0 : 0.0).ToArray(), [n, 1], ScalarType.Float64), torch.tensor(times, [n], ScalarType.Float64));
        loss.backward();
        return (loss.item<double>(), b.grad!.data<double>().ToArray());
    }

    [Fact]
    public void The_loss_is_the_hand_computed_Breslow_partial_likelihood_with_ties_in_any_row_order()
    {
        // One covariate, β = 0.5. Times 1 (event, x 0), 2 (event, x 1), 2 (event, x 0), 3 (censored, x 1), 4 (event, x 2).
        // Risk sets: t = 1 all five rows; t = 2 the last four, shared by both tied events (Breslow); t = 4 the last row.
        double e = Math.Exp(0.5);
        double loglik = (0 - Math.Log(2 + 2 * e + Math.E)) + (0.5 - Math.Log(1 + 2 * e + Math.E)) + (0 - Math.Log(1 + 2 * e + Math.E)) + (1 - 1);
        double[][] x = [[0], [1], [0], [1], [2]];
        double[] times = [1, 2, 2, 3, 4];
        bool[] events = [true, true, true, false, true];
        int[] shuffled = [3, 0, 4, 2, 1];

        var (inOrder, _) = LossAndGradient(x, times, events, [0.5]);
        var (reordered, _) = LossAndGradient(shuffled.Select(i => x[i]).ToArray(), shuffled.Select(i => times[i]).ToArray(), shuffled.Select(i => events[i]).ToArray(), [0.5]);

        Assert.Equal(-loglik / 5, inOrder, 12);
        Assert.Equal(-loglik / 5, reordered, 12);
    }

    [Fact]
    public void Loss_and_gradient_are_the_analysis_jobs_Breslow_loglik_and_score_divided_by_the_rows()
    {
        // 12 rows, 3 covariates, ties among events and between events and censored rows.
        double[][] x = [[0.5, -1, 2], [1, 0, -0.5], [-0.3, 1.2, 0], [2, -0.7, 1], [0, 0, 0], [-1.5, 0.4, 0.3],
            [0.8, 0.8, -1], [-0.2, -1.1, 0.6], [1.3, 0.1, -0.2], [-0.9, 2, 1.5], [0.4, -0.4, -0.8], [0.1, 0.6, 0.9]];
        double[] times = [5, 3, 3, 8, 1, 3, 10, 5, 7, 2, 5, 12];
        bool[] events = [true, true, false, true, true, true, false, true, false, true, true, false];
        double[] beta = [0.3, -0.2, 0.5];

        var (loss, gradient) = LossAndGradient(x, times, events, beta);
        var (reference, score, _) = CoxPartialLikelihood.Compute(new AnalysisRows(x, times, events), beta, efron: false);

        Assert.Equal(-reference / 12, loss, 12);
        for (int j = 0; j < beta.Length; j++) Assert.Equal(-score[j] / 12, gradient[j], 12);
    }

    [Fact]
    public void Large_risk_scores_do_not_overflow_a_shift_of_every_score_changes_nothing()
    {
        // The partial likelihood is invariant to adding a constant to every η; exp(1000) would overflow without
        // the log-sum-exp.
        using var scope = torch.NewDisposeScope();
        var eta = torch.tensor(new float[] { 0.2f, -1f, 0.7f, 1.5f, 0f }, [5, 1]);
        var events = torch.tensor(new float[] { 1, 0, 1, 1, 0 }, [5, 1]);
        var times = torch.tensor(new double[] { 4, 2, 2, 9, 1 }, [5]);

        float plain = CoxPartialLikelihoodLoss.Compute(eta, events, times).item<float>();
        float shifted = CoxPartialLikelihoodLoss.Compute(eta.add(1000), events, times).item<float>();

        Assert.True(float.IsFinite(shifted));
        Assert.Equal(plain, shifted, 3);
    }

    [Fact]
    public void A_batch_without_events_has_loss_and_gradient_zero()
    {
        var (loss, gradient) = LossAndGradient([[1.0], [2.0], [-1.0]], [3, 1, 2], [false, false, false], [0.7]);

        Assert.Equal(0, loss);
        Assert.Equal([0.0], gradient);
    }
}

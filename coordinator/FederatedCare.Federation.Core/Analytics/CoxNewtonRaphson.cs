using FederatedCare.Federation.Core.Jobs;
using MathNet.Numerics.LinearAlgebra;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// Newton–Raphson for the Cox partial likelihood as R's <c>coxph</c> runs it (survival's <c>coxfit6.c</c>): β₀ = 0;
/// each iteration evaluates the summed log-likelihood, gradient u and information I at the next β; converged when
/// |1 − ℓ_best/ℓ_new| ≤ tolerance (ℓ_best: the best log-likelihood accepted so far), then the variance is I⁻¹ at that
/// β; when ℓ falls (or a value is not finite) the step is halved towards the last accepted β (more each time it falls
/// again), otherwise β is accepted and the next is β + I⁻¹u. Out of iterations, the last accepted β is evaluated once
/// more and returned as not converged. Linear systems are solved by Cholesky (MathNet.Numerics). The coordinator never
/// sees a row: <see cref="Evaluate"/> asks the regions for their sums.
/// </summary>
public static class CoxNewtonRaphson
{
    /// <summary>The summed log-likelihood, gradient and information at β (iteration 0 is β₀ = 0).</summary>
    public delegate Task<CoxSums> Evaluate(double[] beta, int iteration, CancellationToken ct);

    /// <summary>Fits <paramref name="terms"/> coefficients.</summary>
    /// <param name="terms">The number of coefficients, ≥ 1.</param>
    /// <param name="tolerance">R's <c>eps</c> (coxph's default 1e-9).</param>
    /// <param name="maxIterations">R's <c>iter.max</c> (default 20), ≥ 1.</param>
    /// <param name="evaluate">The sums at a β.</param>
    /// <param name="ct">Cancels the fit.</param>
    /// <exception cref="JobFailedException">The information matrix is not positive definite (collinear or constant
    /// covariates, or no events), or the log-likelihood at β = 0 is not finite.</exception>
    public static async Task<CoxFit> FitAsync(int terms, double tolerance, int maxIterations, Evaluate evaluate, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(terms, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        ArgumentNullException.ThrowIfNull(evaluate);
        var beta = new double[terms];
        var first = await evaluate(beta, 0, ct).ConfigureAwait(false);
        if (!first.IsFinite) throw new JobFailedException("the partial log-likelihood at beta = 0 is not finite.");
        double loglikNull = first.Loglik, best = first.Loglik;
        var next = Add(beta, Solve(first.Information, first.Gradient));
        int halving = 0;
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            var sums = await evaluate(next, iteration, ct).ConfigureAwait(false);
            bool finite = sums.IsFinite;
            if (finite && Math.Abs(1 - best / sums.Loglik) <= tolerance)
                return new CoxFit(next, Invert(sums.Information), loglikNull, sums.Loglik, iteration, true, sums.Rows, sums.Events);
            if (!finite || sums.Loglik < best)
            {
                halving++;
                for (int i = 0; i < terms; i++) next[i] = (next[i] + halving * beta[i]) / (halving + 1.0);
            }
            else
            {
                halving = 0;
                best = sums.Loglik;
                beta = next;
                next = Add(next, Solve(sums.Information, sums.Gradient));
            }
        }
        var last = await evaluate(beta, maxIterations + 1, ct).ConfigureAwait(false);
        return new CoxFit(beta, Invert(last.Information), loglikNull, last.Loglik, maxIterations, false, last.Rows, last.Events);
    }

    private static double[] Add(double[] a, double[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    private static double[] Solve(double[,] information, double[] gradient) =>
        Cholesky(information).Solve(Vector<double>.Build.DenseOfArray(gradient)).ToArray();

    private static double[,] Invert(double[,] information)
    {
        int p = information.GetLength(0);
        return Cholesky(information).Solve(Matrix<double>.Build.DenseIdentity(p)).ToArray();
    }

    private static MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> Cholesky(double[,] information)
    {
        try
        {
            return Matrix<double>.Build.DenseOfArray(information).Cholesky();
        }
        catch (ArgumentException)
        {
            throw new JobFailedException("the information matrix is not positive definite: a covariate is constant, collinear with others, or there are no events.");
        }
    }
}

/// <summary>A fitted Cox model.</summary>
/// <param name="Beta">The coefficients.</param>
/// <param name="Variance">I⁻¹ at <paramref name="Beta"/>, [term, term].</param>
/// <param name="LoglikNull">The partial log-likelihood at β = 0.</param>
/// <param name="LoglikModel">The partial log-likelihood at <paramref name="Beta"/>.</param>
/// <param name="Iterations">Newton–Raphson iterations used (R's <c>fit$iter</c>).</param>
/// <param name="Converged">False when the iterations ran out.</param>
/// <param name="Rows">Training rows over all strata.</param>
/// <param name="Events">Events over all strata.</param>
public sealed record CoxFit(double[] Beta, double[,] Variance, double LoglikNull, double LoglikModel, int Iterations, bool Converged,
    long Rows, long Events);

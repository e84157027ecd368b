namespace FederatedCare.NodeAgent.Analysis;

/// <summary>
/// One stratum's Cox partial log-likelihood ℓ(β), its gradient (score) and its information matrix (−∂²ℓ/∂β²), as
/// R's survival computes them for one stratum (<c>coxfit6.c</c>, <c>coxfit6_iter</c>): rows visited from the latest
/// time to the earliest, the risk set at a time being every row with a time ≥ it; at a time with d tied events,
/// Breslow's approximation uses the whole risk set for each of them, Efron's removes k/d of the tied events' weight
/// for the k-th (k = 0..d−1); one event alone is the same under both. Covariates are centred by this stratum's mean
/// first, which leaves ℓ, gradient and information unchanged (each stratum's likelihood is invariant to a shift) and
/// keeps exp(x·β) in range.
/// </summary>
public static class CoxPartialLikelihood
{
    /// <summary>ℓ, gradient and information at <paramref name="beta"/> on <paramref name="rows"/> (a survival split).</summary>
    /// <param name="rows">The stratum's rows (covariates, times, events).</param>
    /// <param name="beta">One coefficient per covariate.</param>
    /// <param name="efron">Efron's ties (R's default); false: Breslow's.</param>
    /// <returns>ℓ, the gradient (length p) and the information matrix's lower triangle by rows (p(p+1)/2 values).</returns>
    /// <exception cref="ArgumentException"><paramref name="beta"/> does not have one value per covariate, or the rows carry no survival times.</exception>
    public static (double Loglik, double[] Gradient, double[] Information) Compute(AnalysisRows rows, IReadOnlyList<double> beta, bool efron)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(beta);
        int n = rows.Count, p = beta.Count;
        if (rows.Times.Length != n) throw new ArgumentException("the rows carry no survival times (the job's label is not a survival label).");
        if (n > 0 && rows.Covariates[0].Length != p)
            throw new ArgumentException($"beta has {p} values but the data has {rows.Covariates[0].Length} covariate terms.");
        var x = Centred(rows.Covariates, p);
        var order = Enumerable.Range(0, n).OrderByDescending(i => rows.Times[i]).ToArray();
        double loglik = 0;
        var u = new double[p];
        var imat = new double[p, p];
        // Risk-set sums: Σ r, Σ r·x, Σ r·x·xᵀ (lower triangle), r = exp(x·β); the same over the events of one time.
        double denom = 0;
        var a = new double[p];
        var cmat = new double[p, p];
        var a2 = new double[p];
        var cmat2 = new double[p, p];
        for (int at = 0; at < n;)
        {
            double time = rows.Times[order[at]];
            int deaths = 0;
            double denom2 = 0;
            Array.Clear(a2);
            Array.Clear(cmat2);
            for (; at < n && rows.Times[order[at]] == time; at++)
            {
                int person = order[at];
                var xi = x[person];
                double zbeta = 0;
                for (int i = 0; i < p; i++) zbeta += beta[i] * xi[i];
                double risk = Math.Exp(zbeta);
                if (!rows.Events[person])
                {
                    denom += risk;
                    Accumulate(a, cmat, xi, risk);
                }
                else
                {
                    deaths++;
                    denom2 += risk;
                    loglik += zbeta;
                    for (int i = 0; i < p; i++) u[i] += xi[i];
                    Accumulate(a2, cmat2, xi, risk);
                }
            }
            if (deaths == 0) continue;
            // Breslow's d terms are equal (and one event is the same under both): one step with weight d.
            int steps = efron && deaths > 1 ? deaths : 1;
            double weight = efron && deaths > 1 ? 1 : deaths;
            for (int k = 0; k < steps; k++)
            {
                denom += denom2 / steps;
                loglik -= weight * Math.Log(denom);
                for (int i = 0; i < p; i++)
                {
                    a[i] += a2[i] / steps;
                    double mean = a[i] / denom;
                    u[i] -= weight * mean;
                    for (int j = 0; j <= i; j++)
                    {
                        cmat[i, j] += cmat2[i, j] / steps;
                        imat[i, j] += weight * (cmat[i, j] - mean * a[j]) / denom;
                    }
                }
            }
        }
        var information = new double[p * (p + 1) / 2];
        for (int i = 0, k = 0; i < p; i++)
            for (int j = 0; j <= i; j++) information[k++] = imat[i, j];
        return (loglik, u, information);
    }

    private static void Accumulate(double[] sum, double[,] squares, double[] xi, double risk)
    {
        for (int i = 0; i < xi.Length; i++)
        {
            sum[i] += risk * xi[i];
            for (int j = 0; j <= i; j++) squares[i, j] += risk * xi[i] * xi[j];
        }
    }

    private static double[][] Centred(double[][] covariates, int p)
    {
        var mean = new double[p];
        foreach (var row in covariates)
            for (int i = 0; i < p; i++) mean[i] += row[i];
        for (int i = 0; i < p; i++) mean[i] /= Math.Max(1, covariates.Length);
        return covariates.Select(row => row.Select((v, i) => v - mean[i]).ToArray()).ToArray();
    }
}

using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.Federation.Core.Analytics;

/// <summary>
/// The stratified Cox model's partial log-likelihood, gradient (score) and information matrix (the negative Hessian)
/// at one β: the sums over the regions (strata) of what each computed on its own training rows — the stratified
/// partial likelihood is a product over strata, so these sums are exactly the pooled fit's.
/// </summary>
/// <param name="Loglik">Σ regions' partial log-likelihoods.</param>
/// <param name="Gradient">Σ gradients, one per term.</param>
/// <param name="Information">Σ information matrices, full and symmetric, [term, term].</param>
/// <param name="Rows">Training rows over all regions.</param>
/// <param name="Events">Events over all regions.</param>
public sealed record CoxSums(double Loglik, double[] Gradient, double[,] Information, long Rows, long Events)
{
    /// <summary>Whether the log-likelihood, gradient and information are all finite.</summary>
    public bool IsFinite => double.IsFinite(Loglik) && Gradient.All(double.IsFinite) && Information.Cast<double>().All(double.IsFinite);

    /// <summary>Checks each region's answer against <paramref name="terms"/> and sums them in region order.</summary>
    /// <exception cref="JobFailedException">An answer is of another kind, names other terms, has the wrong lengths,
    /// non-finite values or impossible counts; the message names the region.</exception>
    public static CoxSums Add(IReadOnlyDictionary<string, AnalysisAnswer> answers, IReadOnlyList<string> terms)
    {
        int p = terms.Count;
        double loglik = 0;
        var gradient = new double[p];
        var information = new double[p, p];
        long rows = 0, events = 0;
        foreach (var (region, answer) in answers)
        {
            var a = Check(region, answer, terms);
            loglik += a.Loglik;
            for (int i = 0, k = 0; i < p; i++)
            {
                gradient[i] += a.Gradient[i];
                for (int j = 0; j <= i; j++, k++)
                {
                    information[i, j] += a.Information[k];
                    if (j < i) information[j, i] += a.Information[k];
                }
            }
            rows += a.Rows;
            events += a.Events;
        }
        return new CoxSums(loglik, gradient, information, rows, events);
    }

    private static CoxIterationAnswer Check(string region, AnalysisAnswer answer, IReadOnlyList<string> terms)
    {
        if (answer.KindCase != AnalysisAnswer.KindOneofCase.CoxIteration)
            throw new JobFailedException($"region {region} answered a Cox iteration with {answer.KindCase}.");
        var a = answer.CoxIteration;
        if (!a.Terms.SequenceEqual(terms, StringComparer.Ordinal))
            throw new JobFailedException($"region {region} encodes the covariates as [{string.Join(", ", a.Terms)}], the job's schema as [{string.Join(", ", terms)}].");
        int p = terms.Count;
        if (a.Gradient.Count != p || a.Information.Count != p * (p + 1) / 2)
            throw new JobFailedException($"region {region} sent {a.Gradient.Count} gradient and {a.Information.Count} information values; " +
                $"{p} terms need {p} and {p * (p + 1) / 2}.");
        if (!double.IsFinite(a.Loglik) || !a.Gradient.All(double.IsFinite) || !a.Information.All(double.IsFinite))
            throw new JobFailedException($"region {region} sent a non-finite partial log-likelihood, gradient or information value.");
        if (a.Rows < 0 || a.Events < 0 || a.Events > a.Rows)
            throw new JobFailedException($"region {region} reports {a.Events} events in {a.Rows} rows.");
        return a;
    }
}

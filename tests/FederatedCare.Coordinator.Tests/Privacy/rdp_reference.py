#!/usr/bin/env python3
"""Reference values for PrivacyAccountantTests, standard library only (no numpy/scipy).

The Renyi DP of the sampled Gaussian mechanism at integer orders (Mironov, Talwar & Zhang 2019, arXiv:1908.10530,
Section 3.3) - the computation Opacus' _compute_log_a_for_int_alpha / compute_rdp perform - composed over rounds and
converted to (epsilon, delta) with Balle et al. 2020, Theorem 21 (Opacus' get_privacy_spent). Binomial coefficients
are exact integers here (math.comb); the C# side uses MathNet's BinomialLn, so the tests allow a 1e-9 relative error.

    python3 tests/FederatedCare.Coordinator.Tests/Privacy/rdp_reference.py
"""
import math


def log_add(x, y):
    low, high = min(x, y), max(x, y)
    return high if low == -math.inf else high + math.log1p(math.exp(low - high))


def rdp(q, z, alpha):
    """epsilon_RDP(alpha) of one sampled Gaussian mechanism with sampling rate q and noise multiplier z."""
    if q == 0:
        return 0.0
    if z == 0:
        return math.inf
    if q == 1:
        return alpha / (2 * z * z)
    log_a = -math.inf
    for k in range(alpha + 1):
        term = math.log(math.comb(alpha, k)) + k * math.log(q) + (alpha - k) * math.log1p(-q) + (k * k - k) / (2 * z * z)
        log_a = log_add(log_a, term)
    return log_a / (alpha - 1)


def epsilon(rounds, delta, orders=range(2, 257)):
    """(epsilon, order) after the rounds, each (q, z, count)."""
    best = (math.inf, None)
    for alpha in orders:
        total = sum(count * rdp(q, z, alpha) for q, z, count in rounds)
        eps = total + math.log((alpha - 1) / alpha) - (math.log(delta) + math.log(alpha)) / (alpha - 1)
        best = min(best, (eps, alpha))
    return best


if __name__ == "__main__":
    for q, z, alpha in [(0.5, 1.0, 2), (0.5, 1.0, 8), (0.25, 2.0, 16), (0.75, 0.8, 32), (0.01, 1.1, 64), (0.5, 3.0, 256)]:
        print(f"rdp(q={q}, z={z}, alpha={alpha}) = {rdp(q, z, alpha)!r}")
    for q, z, t, delta in [(0.5, 1.0, 10, 1e-5), (0.75, 2.0, 20, 1e-5), (0.25, 1.0, 100, 1e-6)]:
        print(f"epsilon(q={q}, z={z}, T={t}, delta={delta}) = {epsilon([(q, z, t)], delta)!r}")
    # Opacus' documented example: orders 2..32, expected (0.336, 23).
    print("opacus example:", epsilon([(1e-5, 1.0, 10), (1e-4, 3.0, 4)], 1e-5, range(2, 33)))

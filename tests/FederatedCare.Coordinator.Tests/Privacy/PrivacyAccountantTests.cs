using FederatedCare.Privacy;
using FederatedCare.Federation.Core.Privacy;

namespace FederatedCare.Coordinator.Tests.Privacy;

public class PrivacyAccountantTests
{
    private const double Delta = 1e-5;

    [Theory]
    [InlineData(1.0, 2)]
    [InlineData(0.7, 3)]
    [InlineData(5.0, 256)]
    public void Without_sampling_the_rdp_is_the_gaussian_mechanisms_alpha_over_two_z_squared(double z, int alpha) =>
        Assert.Equal(alpha / (2 * z * z), SampledGaussianRdp.Rdp(1.0, z, alpha));

    [Fact]
    public void Ten_full_rounds_at_z_1_match_the_hand_computed_epsilon()
    {
        var accountant = new PrivacyAccountant();
        for (int round = 0; round < 10; round++) accountant.AddRound(1.0, 1.0);

        // RDP after T = 10 rounds: T·α/(2z²) = 5α. Balle et al. 2020, Theorem 21:
        // ε(α) = 5α + ln((α − 1)/α) − (ln δ + ln α)/(α − 1); α = 2: 20.1266, α = 3: 19.8017, α = 4: 23.0878, so α = 3:
        // ε = 15 + ln(2/3) + (ln 1e5 − ln 3)/2 = 15 − 0.405465 + 5.207157 = 19.801691.
        double byHand = 15 + Math.Log(2.0 / 3) + (Math.Log(1e5) - Math.Log(3)) / 2;
        var (epsilon, order) = accountant.Spent(Delta);
        Assert.Equal(3, order);
        Assert.Equal(byHand, epsilon, 12);
        Assert.Equal(19.801691480042898, epsilon, 9);
    }

    // Reference values from tests/FederatedCare.Coordinator.Tests/Privacy/rdp_reference.py: a standard-library Python
    // port of the computation in Opacus' _compute_log_a_for_int_alpha / compute_rdp (exact integer binomials), printed
    // with repr(). The C# side takes ln C(α, k) from MathNet.Numerics, hence the relative tolerance.
    [Theory]
    [InlineData(0.5, 1.0, 2, 0.35737401950878855)]
    [InlineData(0.5, 1.0, 8, 3.2088792609697943)]
    [InlineData(0.25, 2.0, 16, 0.6082267837750818)]
    [InlineData(0.75, 0.8, 32, 24.703037860694934)]
    [InlineData(0.01, 1.1, 64, 21.768012866287314)]
    [InlineData(0.5, 3.0, 256, 13.526356817425285)]
    public void Subsampled_rdp_matches_the_python_reference(double q, double z, int alpha, double expected) =>
        Assert.Equal(expected, SampledGaussianRdp.Rdp(q, z, alpha), expected * 1e-9);

    [Fact]
    public void Subsampled_rdp_at_order_2_matches_the_hand_computed_sum()
    {
        // A₂ = (1 − q)² + 2q(1 − q) + q²·e^(1/z²); q = 0.5, z = 1: 0.75 + 0.25e; ε_RDP(2) = ln A₂ / 1.
        Assert.Equal(Math.Log(0.75 + 0.25 * Math.E), SampledGaussianRdp.Rdp(0.5, 1.0, 2), 14);
    }

    // Same provenance as above (rdp_reference.py, epsilon()).
    [Theory]
    [InlineData(0.5, 1.0, 10, 1e-5, 11.770582666023337, 3)]
    [InlineData(0.75, 2.0, 20, 1e-5, 9.445681032875346, 3)]
    [InlineData(0.25, 1.0, 100, 1e-6, 22.63004179278746, 2)]
    public void Composed_subsampled_rounds_match_the_python_reference(double q, double z, int rounds, double delta, double expected, int order)
    {
        var accountant = new PrivacyAccountant();
        for (int round = 0; round < rounds; round++) accountant.AddRound(q, z);
        var spent = accountant.Spent(delta);
        Assert.Equal(order, spent.Order);
        Assert.Equal(expected, spent.Epsilon, expected * 1e-9);
        Assert.Equal(rounds, accountant.Rounds);
    }

    [Fact]
    public void Opacus_documented_example_gives_its_epsilon_and_order()
    {
        // opacus/accountants/analysis/rdp.py, module docstring: [(q 1e-5, σ 1.0, 10 steps), (q 1e-4, σ 3.0, 4 steps)] at
        // δ = 1e-5 gives ε ≈ 0.336 at order 23 (rdp_reference.py: 0.33634406339259515).
        var accountant = new PrivacyAccountant();
        for (int i = 0; i < 10; i++) accountant.AddRound(1e-5, 1.0);
        for (int i = 0; i < 4; i++) accountant.AddRound(1e-4, 3.0);
        var (epsilon, order) = accountant.Spent(1e-5);
        Assert.Equal(23, order);
        Assert.Equal(0.33634406339259515, epsilon, 1e-9);
    }

    [Fact]
    public void Epsilon_grows_with_every_round_and_is_infinite_without_noise()
    {
        var accountant = new PrivacyAccountant();
        double previous = 0;
        for (int round = 0; round < 5; round++)
        {
            accountant.AddRound(0.5, 1.2);
            double epsilon = accountant.Spent(Delta).Epsilon;
            Assert.True(epsilon > previous, $"round {round}: {epsilon} <= {previous}");
            previous = epsilon;
        }
        var noNoise = new PrivacyAccountant();
        noNoise.AddRound(1.0, 0);
        Assert.Equal(double.PositiveInfinity, noNoise.Spent(Delta).Epsilon);
        Assert.Throws<ArgumentOutOfRangeException>(() => noNoise.Spent(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SampledGaussianRdp.Rdp(1.5, 1, 2));
    }
}

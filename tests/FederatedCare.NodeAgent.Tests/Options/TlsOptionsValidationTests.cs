using FederatedCare.NodeAgent.Options;

namespace FederatedCare.NodeAgent.Tests.Options;

/// <summary>NodeAgent:Tls is checked at start: all three files or none, each present, an https coordinator exactly when they are set, and a positive reload period.</summary>
public sealed class TlsOptionsValidationTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void Without_tls_nothing_about_it_is_checked()
    {
        Assert.Empty(Errors(Options("http://127.0.0.1:5050", new TlsOptions())));
    }

    [Fact]
    public void All_three_existing_files_and_an_https_address_pass()
    {
        var tls = new TlsOptions { CertificatePath = _dir.Write("c.pem", ""), KeyPath = _dir.Write("k.pem", ""), CaPath = _dir.Write("ca.pem", "") };

        Assert.Empty(Errors(Options("https://fed.example.org:5050", tls)));
    }

    [Fact]
    public void A_partial_setting_a_missing_file_and_a_plaintext_address_are_each_named()
    {
        var missing = Path.Combine(_dir.Path, "nowhere.pem");
        var tls = new TlsOptions { CertificatePath = _dir.Write("c.pem", ""), CaPath = missing };

        var errors = Errors(Options("http://127.0.0.1:5050", tls));

        Assert.Equal(
        [
            "NodeAgent:Tls:KeyPath is not set; mutual TLS needs NodeAgent:Tls:CertificatePath, KeyPath and CaPath together.",
            $"NodeAgent:Tls:CaPath: file '{missing}' does not exist.",
            "NodeAgent:CoordinatorAddress 'http://127.0.0.1:5050' must be https:// when NodeAgent:Tls is set.",
        ], errors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(double.PositiveInfinity)]
    public void A_reload_period_that_is_not_a_positive_number_of_seconds_is_named(double seconds)
    {
        var tls = new TlsOptions
        {
            CertificatePath = _dir.Write("c.pem", ""), KeyPath = _dir.Write("k.pem", ""), CaPath = _dir.Write("ca.pem", ""), ReloadSeconds = seconds,
        };

        Assert.Equal([$"NodeAgent:Tls:ReloadSeconds must be a positive number of seconds (was {seconds})."], Errors(Options("https://fed.example.org:5050", tls)));
    }

    [Fact]
    public void An_https_address_without_tls_settings_is_named()
    {
        var errors = Errors(Options("https://fed.example.org:5050", new TlsOptions()));

        Assert.Equal(["NodeAgent:CoordinatorAddress 'https://fed.example.org:5050' is https:// but NodeAgent:Tls is not set; " +
            "set NodeAgent:Tls:CertificatePath, KeyPath and CaPath (files from fedcare provision), or use http://."], errors);
    }

    public void Dispose() => _dir.Dispose();

    private NodeAgentOptions Options(string address, TlsOptions tls) => new()
    {
        Region = "Halland",
        CoordinatorAddress = address,
        Tls = tls,
        Datasets = { ["heart-disease"] = new DatasetOptions { Path = _dir.Write("data.csv", "") } },
    };

    private static IEnumerable<string> Errors(NodeAgentOptions options) =>
        new NodeAgentOptionsValidator().Validate(null, options).Failures ?? [];
}

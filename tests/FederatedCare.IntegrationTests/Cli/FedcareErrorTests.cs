namespace FederatedCare.IntegrationTests.Cli;

/// <summary>fedcare's answers to unusable command lines: one line on stderr and exit code 2, nothing sent anywhere.</summary>
public sealed class FedcareErrorTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1:5050")]
    [InlineData("127.0.0.1:5050")]
    public async Task A_coordinator_address_that_is_not_http_or_https_is_refused_in_one_line(string address)
    {
        var (exitCode, _, stderr) = await FedcareProcess.RunAsync("-c", address, "jobs");
        Assert.Equal(2, exitCode);
        Assert.Equal($"'{address}' is not a coordinator address (expected http:// or https://, e.g. http://127.0.0.1:5050)", stderr);
    }
}

using System.CommandLine;
using BenchmarkDotNet.Running;

namespace FederatedCare.Benchmarks.Micro;

/// <summary><c>micro [BenchmarkDotNet arguments, e.g. --filter *Aggregation*]</c>: runs the BenchmarkDotNet benchmarks.</summary>
public static class MicroCommand
{
    /// <summary>Builds the command; unmatched tokens go to BenchmarkDotNet.</summary>
    public static Command Create()
    {
        var command = new Command("micro", "BenchmarkDotNet micro-benchmarks (aggregation fold vs memcpy; wire encodings). Pass BenchmarkDotNet args after it.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(parse =>
        {
            BenchmarkSwitcher.FromAssembly(typeof(MicroCommand).Assembly).Run([.. parse.UnmatchedTokens]);
            return 0;
        });
        return command;
    }
}

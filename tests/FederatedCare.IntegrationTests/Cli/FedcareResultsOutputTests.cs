using System.Text.Json;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;

namespace FederatedCare.IntegrationTests.Cli;

/// <summary>
/// <c>rounds</c>, <c>metrics</c> and <c>crosssite</c> with <c>--output json|csv</c> after a real two-round job of the
/// four demo regions (with cross-site validation), as a script reads them.
/// </summary>
public sealed class FedcareResultsOutputTests
{
    [Fact]
    public async Task Rounds_metrics_and_the_cross_site_matrix_print_as_json_and_csv()
    {
        await using var federation = await Federation.StartAsync();
        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));
        spec.Rounds = 2;
        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));
        Assert.Equal(JobState.Succeeded, status.State);
        var address = federation.Coordinator.Address.ToString();

        var (roundsExit, rounds, roundsErr) = await FedcareProcess.RunAsync("-c", address, "rounds", status.JobId, "--output", "json");
        var (metricsExit, metrics, metricsErr) = await FedcareProcess.RunAsync("-c", address, "metrics", status.JobId, "--round", "2", "-o", "json");
        var (csvExit, csv, _) = await FedcareProcess.RunAsync("-c", address, "metrics", status.JobId, "--output", "csv");
        var (crossExit, cross, crossErr) = await FedcareProcess.RunAsync("-c", address, "crosssite", status.JobId, "--output", "json");

        Assert.True(roundsExit == 0, roundsErr);
        using (var document = JsonDocument.Parse(rounds))
        {
            Assert.Equal("accuracy", document.RootElement.GetProperty("headlineMetric").GetString());
            var all = document.RootElement.GetProperty("rounds").EnumerateArray().ToList();
            Assert.Equal([0, 1, 2], all.Select(r => r.GetProperty("round").GetInt32()));
            Assert.All(all, r => Assert.InRange(r.GetProperty("meanTest").GetDouble(), 0, 1));
            Assert.Equal(4, all[2].GetProperty("participants").GetArrayLength());
        }
        Assert.True(metricsExit == 0, metricsErr);
        using (var document = JsonDocument.Parse(metrics))
        {
            var rows = document.RootElement.GetProperty("metrics").EnumerateArray().Where(m => m.GetProperty("split").GetString() == WireNames.Splits.Test).ToList();
            Assert.Equal(["Halland", "Karolinska", "Sahlgrenska", "Örebro"], rows.Select(m => m.GetProperty("region").GetString()));
            Assert.All(rows, m => Assert.Equal(JsonValueKind.Number, m.GetProperty("accuracy").ValueKind));
            Assert.Equal(104, rows[0].GetProperty("numExamples").GetInt64());
        }
        Assert.Equal(0, csvExit);
        var header = csv.Split('\n')[0];
        Assert.Equal("round,region,split,num_examples,loss,accuracy,auc,f1,rmse,mae,r2,c_index", header);
        Assert.True(crossExit == 0, crossErr);
        using (var document = JsonDocument.Parse(cross))
        {
            var entries = document.RootElement.GetProperty("entries").EnumerateArray().ToList();
            Assert.Contains(entries, e => e.GetProperty("model").GetString() == "global");
            Assert.All(entries, e => Assert.Equal(JsonValueKind.Number, e.GetProperty("metrics").GetProperty("loss").ValueKind));
        }
    }
}

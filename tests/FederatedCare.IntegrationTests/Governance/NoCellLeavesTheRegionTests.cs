using System.Text;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.IntegrationTests.Governance;

/// <summary>
/// Every failure path of data preparation, each in its own region with a distinctive value planted in the bad cell
/// (<see cref="Number"/>, <see cref="Text"/>): real agents refuse a training job and a Cox analysis over loopback gRPC,
/// and no message a region sent — nor the job's message or the coordinator's audit table — holds the planted value
/// or any part of it. The refusals still name the file, the line and the column.
/// </summary>
public sealed class NoCellLeavesTheRegionTests
{
    private const string Number = "987654.321";
    private const string Text = "zzqx";
    // Pieces of the planted values that a formatted or hex-dumped copy would still show.
    private static readonly string[] Planted = [Text, "987654", "7A7A7178", "7a7a7178"];

    private static string Root => RepositoryPaths.Root;

    /// <summary>A corrupted copy of a region's file: what to change, and extra node settings.</summary>
    private sealed record Case(string Region, Func<string[], string[]> Corrupt, string[]? Settings = null, byte[]? RawLine = null);

    [Fact]
    public async Task Refusals_of_a_training_job_name_file_line_and_column_but_no_cell()
    {
        var dir = RepositoryPaths.TempDirectory();
        var source = File.ReadAllLines(Path.Combine(Root, "data", "heart-disease", "processed.cleveland.data"));
        var split = File.ReadAllLines(Path.Combine(Root, "data", "heart-disease", "flamby_split.csv"));
        // Columns: age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,num.
        Case[] cases =
        [
            new("TextInNumeric", l => Cell(l, 5, 0, Text)),
            new("OutOfRange", l => Cell(l, 5, 3, Number)),
            new("UnknownCategory", l => Cell(l, 5, 2, Text)),
            new("LabelNotANumber", l => Cell(l, 5, 13, Text)),
            new("RaggedRow", l => { l[5] += "," + Text + "," + Number; return l; }),
            new("UnmappedValue", l => Cell(l, 5, 1, Text), ["--NodeAgent:Datasets:heart-disease:Mapping:Columns:sex:Values:0.0=0", "--NodeAgent:Datasets:heart-disease:Mapping:Columns:sex:Values:1.0=1"]),
            new("MappedNotANumber", l => Cell(l, 5, 0, Text), ["--NodeAgent:Datasets:heart-disease:Mapping:Columns:age:Factor=2"]),
            new("NotUtf8", l => l, RawLine: [.. Encoding.ASCII.GetBytes("63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0," + Text), 0xD6, (byte)'\n']),
            new("SplitRowIndex", l => l, ["split:" + string.Join('\n', SplitWith(split, "0,processed.cleveland.data,train," + Text))]),
            new("SplitValue", l => l, ["split:" + string.Join('\n', SplitWith(split, "0,processed.cleveland.data," + Text + ",3"))]),
        ];
        var agents = cases.Select(c =>
        {
            // The split file names its rows by the Cleveland file's name: each region's copy keeps it, in its own folder.
            var path = Path.Combine(dir, c.Region, "processed.cleveland.data");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllLines(path, c.Corrupt((string[])source.Clone()));
            if (c.RawLine is { } bytes)
            {
                using var file = new FileStream(path, FileMode.Append);
                file.Write(bytes); // after the good rows
            }
            var splitPath = Path.Combine(RepositoryPaths.Root, "data", "heart-disease", "flamby_split.csv");
            var extra = new List<string>();
            foreach (var s in c.Settings ?? [])
            {
                if (s.StartsWith("split:", StringComparison.Ordinal))
                {
                    splitPath = Path.Combine(dir, c.Region + "-split.csv");
                    File.WriteAllText(splitPath, s["split:".Length..] + "\n");
                }
                else extra.Add(s);
            }
            return (string[])
            [
                "--config", Path.Combine(Root, "examples", "heart-disease", "nodes", "halland.json"),
                $"--NodeAgent:Region={c.Region}",
                $"--NodeAgent:Datasets:heart-disease:Path={path}",
                $"--NodeAgent:Datasets:heart-disease:SplitFile={splitPath}",
                .. extra,
            ];
        }).ToList();
        var spec = JobSpecFile.Load(Path.Combine(Root, "examples", "heart-disease", "fedavg.json"));
        spec.Schema.Features.Single(f => f.Name == "trestbps").Max = 300;
        spec.MinFitClients = 1;
        spec.MinAvailableClients = cases.Length;
        spec.Rounds = 1;

        await AssertNothingPlantedLeavesAsync(agents, spec, cases.Length);
    }

    [Fact]
    public async Task Refusals_of_a_survival_analysis_name_file_line_and_column_but_no_cell()
    {
        var dir = RepositoryPaths.TempDirectory();
        var source = File.ReadAllLines(Path.Combine(Root, "data", "breast-cancer-survival", "halland.csv"));
        // Columns: pid,age,meno,size,grade,nodes,pgr,er,hormon,rfstime,rfs,split (line 0 is the header).
        Case[] cases =
        [
            new("TimeNotANumber", l => Cell(l, 4, 9, Text)),
            new("NegativeTime", l => Cell(l, 4, 9, "-" + Number)),
            new("EventNotAnIndicator", l => Cell(l, 4, 10, Text)),
            new("UnknownLevel", l => Cell(l, 4, 3, Text)),
            new("SplitColumnValue", l => Cell(l, 4, 11, Text)),
            new("AgeOutOfRange", l => Cell(l, 4, 1, Number)),
        ];
        var agents = cases.Select(c =>
        {
            var path = Path.Combine(dir, c.Region + ".csv");
            File.WriteAllLines(path, c.Corrupt((string[])source.Clone()));
            return (string[])
            [
                "--config", Path.Combine(Root, "examples", "breast-cancer-survival", "nodes", "halland.json"),
                $"--NodeAgent:Region={c.Region}",
                $"--NodeAgent:Datasets:breast-cancer-survival:Path={path}",
            ];
        }).ToList();
        var spec = JobSpecFile.Load(Path.Combine(Root, "examples", "breast-cancer-survival", "cox.json"));
        spec.Schema.Features.Single(f => f.Name == "age").Max = 120;
        spec.MinFitClients = 1;
        spec.MinAvailableClients = cases.Length;

        await AssertNothingPlantedLeavesAsync(agents, spec, cases.Length);
    }

    private static async Task AssertNothingPlantedLeavesAsync(IReadOnlyList<string[]> agents, JobSpec spec, int regions)
    {
        await using var federation = await Federation.StartAsync(agents);
        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(2));

        Assert.Equal(JobState.Failed, status.State);
        var fromRegions = federation.Recorder.Received.Where(r => r.Method.StartsWith("/federatedcare.v1.Federation/", StringComparison.Ordinal)).ToList();
        var refusals = fromRegions.Select(r => r.Message).OfType<ReportStatisticsRequest>()
            .Where(r => r.OutcomeCase == ReportStatisticsRequest.OutcomeOneofCase.Refusal).Select(r => r.Refusal).ToList();
        // Every region refused, naming its file and, for a bad cell, the line and the column.
        Assert.Equal(regions, refusals.Count);
        Assert.All(refusals, r => Assert.Matches(@"^[\w.-]+\.(data|csv):\d+: ", r));
        Assert.Contains(refusals, r => r.Contains("column '", StringComparison.Ordinal));

        var sent = fromRegions.Select(r => JsonFormatter.Default.Format(r.Message) + " " + Convert.ToHexString(r.Message.ToByteArray())).ToList();
        var store = federation.Coordinator.App.Services.GetRequiredService<ICoordinatorStore>();
        var audit = await store.Audit.ListAsync(status.JobId);
        Assert.NotEmpty(audit);
        foreach (var text in sent.Append(status.Message).Concat(audit.Select(a => a.Detail)))
            foreach (var planted in Planted)
                Assert.DoesNotContain(planted, text, StringComparison.Ordinal);
    }

    private static string[] Cell(string[] lines, int line, int column, string value)
    {
        var cells = lines[line].Split(',');
        cells[column] = value;
        lines[line] = string.Join(',', cells);
        return lines;
    }

    private static string[] SplitWith(string[] split, string extra) => [.. split, extra];
}

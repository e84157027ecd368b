using FederatedCare.Node.Sdk;
using FederatedCare.Node.Sdk.FitMods;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Extensions.Logging.Abstractions;

namespace FederatedCare.NodeAgent.Tests.Sdk;

/// <summary>The SDK's fit mods around a scripted trainer step: DP clipping and SCAFFOLD's client state.</summary>
public sealed class FitModTests
{
    private const string Job = "job-1", GlobalSha = "global", ServerSha = "server-c";
    private const double LearningRate = 0.5;
    private static readonly NodeSession Session = new("node-1", "Halland");

    private static ModelParameters Model(params float[] values) => new([new NamedTensor("w", [values.Length], values)]);

    private static NodeTask FitTask(int round, string strategy = "fedavg", double clippingNorm = 0, LocalOptimizer optimizer = LocalOptimizer.Sgd) => new()
    {
        JobId = Job,
        Round = round,
        ModelSha256 = GlobalSha,
        Fit = new FitTask
        {
            Local = new LocalTrainingSpec { Optimizer = optimizer, LearningRate = LearningRate, BatchSize = 4, LocalSteps = 2 },
            Strategy = new StrategySpec { Name = strategy },
            ServerControlSha256 = strategy == Scaffold.Name ? ServerSha : "",
            ClippingNorm = clippingNorm,
        },
    };

    /// <summary>A trainer step that returns <paramref name="delta"/> after <paramref name="steps"/> steps and records the correction it was given.</summary>
    private sealed class ScriptedStep(ModelParameters delta, long steps = 2)
    {
        public List<ModelParameters?> Corrections { get; } = [];

        public Task<FitOutcome> Run(FitContext context, CancellationToken ct)
        {
            Corrections.Add(context.GradientCorrection);
            var copy = new ModelParameters(delta.Tensors.Select(t => t with { Values = (float[])t.Values.Clone() }).ToList());
            return Task.FromResult(new FitOutcome(new FitResult(copy, 10, steps, 0.25, new Dictionary<string, double>()), 0));
        }
    }

    private sealed class Models(Dictionary<string, ModelParameters> bySha) : IModelSource
    {
        public List<string> Downloads { get; } = [];

        public Task<ModelParameters> GetAsync(string jobId, string sha256, NodeSession session, CancellationToken cancellationToken)
        {
            Downloads.Add(sha256);
            return Task.FromResult(bySha[sha256]);
        }
    }

    private static FitContext Context(NodeTask task, ModelParameters global) => new(task, Session, global);

    [Fact]
    public async Task Clipping_bounds_the_upload_by_the_clipping_norm_and_keeps_its_direction()
    {
        var step = new ScriptedStep(Model(3, 4)); // norm 5
        var outcome = await FitPipeline.RunAsync([new ClippingFitMod(NullLogger<ClippingFitMod>.Instance)],
            Context(FitTask(1, clippingNorm: 1), Model(0, 0)), step.Run, CancellationToken.None);
        var values = outcome.Payload.Tensors[0].Values;
        Assert.InRange(UpdateNorm.L2(outcome.Payload), 0.999, 1 + DeltaClipping.Tolerance);
        Assert.Equal(0.75, values[0] / (double)values[1], 5);
    }

    [Fact]
    public async Task Clipping_leaves_an_update_within_the_norm_and_a_task_without_a_norm_unchanged()
    {
        foreach (var norm in new[] { 10.0, 0 })
        {
            var outcome = await FitPipeline.RunAsync([new ClippingFitMod(NullLogger<ClippingFitMod>.Instance)],
                Context(FitTask(1, clippingNorm: norm), Model(0, 0)), new ScriptedStep(Model(3, 4)).Run, CancellationToken.None);
            Assert.Equal([3f, 4f], outcome.Payload.Tensors[0].Values);
        }
    }

    [Fact]
    public async Task Scaffold_corrects_the_gradient_uploads_the_control_delta_and_persists_the_client_state_once_accepted()
    {
        using var dir = new TempDir();
        var global = Model(0, 0);
        var server = Model(1, -1);
        var models = new Models(new() { [ServerSha] = server });
        var store = new ControlVariateStore(files: new ControlVariateFiles(dir.Path));
        var step = new ScriptedStep(Model(-2, 4), steps: 2);

        var outcome = await FitPipeline.RunAsync([new ScaffoldFitMod(models, store)], Context(FitTask(1, Scaffold.Name), global), step.Run, CancellationToken.None);

        Assert.Equal([ServerSha], models.Downloads);
        Assert.Equal([1f, -1f], step.Corrections.Single()!.Tensors[0].Values); // c − cᵢ with cᵢ = 0
        // cᵢ⁺ − cᵢ = −Δ/(K·η) − c = (2, −4)/1 − (1, −1) = (1, −3)
        Assert.Equal(["w", Scaffold.ControlDeltaPrefix + "w"], outcome.Payload.Tensors.Select(t => t.Name));
        Assert.Equal([1f, -3f], outcome.Payload.Tensors[1].Values);
        Assert.Equal([0f, 0f], store.Get(Job, 2, global).Tensors[0].Values); // nothing committed before the answer

        foreach (var onUploaded in outcome.OnUploaded) onUploaded(new UploadUpdateResponse { Accepted = true });

        // A restarted agent (a new store over the same folder) continues from cᵢ⁺, and a repeated round 1 from cᵢ.
        var restarted = new ControlVariateStore(files: new ControlVariateFiles(dir.Path));
        Assert.Equal([1f, -3f], restarted.Get(Job, 2, global).Tensors[0].Values);
        Assert.Equal([0f, 0f], restarted.Get(Job, 1, global).Tensors[0].Values);
    }

    [Fact]
    public async Task Scaffold_keeps_the_client_state_when_the_upload_is_not_accepted()
    {
        var store = new ControlVariateStore();
        var global = Model(0, 0);
        var outcome = await FitPipeline.RunAsync([new ScaffoldFitMod(new Models(new() { [ServerSha] = Model(1, -1) }), store)],
            Context(FitTask(1, Scaffold.Name), global), new ScriptedStep(Model(-2, 4)).Run, CancellationToken.None);
        foreach (var onUploaded in outcome.OnUploaded) onUploaded(new UploadUpdateResponse { Accepted = false });
        Assert.Equal(0, store.Count);
        Assert.Equal([0f, 0f], store.Get(Job, 2, global).Tensors[0].Values);
    }

    [Fact]
    public async Task Clipping_outside_scaffold_bounds_delta_and_control_delta_together()
    {
        var mods = new IFitMod[]
        {
            new ClippingFitMod(NullLogger<ClippingFitMod>.Instance),
            new ScaffoldFitMod(new Models(new() { [ServerSha] = Model(1, -1) }), new ControlVariateStore()),
        };
        var outcome = await FitPipeline.RunAsync(mods, Context(FitTask(1, Scaffold.Name, clippingNorm: 0.5), Model(0, 0)),
            new ScriptedStep(Model(-2, 4)).Run, CancellationToken.None);
        Assert.Equal(2, outcome.Payload.Tensors.Count);
        Assert.InRange(UpdateNorm.L2(outcome.Payload), 0.499, 0.5 * (1 + DeltaClipping.Tolerance));
    }

    [Fact]
    public async Task Scaffold_refuses_a_job_that_does_not_train_with_sgd_before_training()
    {
        var step = new ScriptedStep(Model(1, 1));
        await Assert.ThrowsAsync<ArgumentException>(() => FitPipeline.RunAsync(
            [new ScaffoldFitMod(new Models(new() { [ServerSha] = Model(1, -1) }), new ControlVariateStore())],
            Context(FitTask(1, Scaffold.Name, optimizer: LocalOptimizer.Adam), Model(0, 0)), step.Run, CancellationToken.None));
        Assert.Empty(step.Corrections);
    }

    [Fact]
    public async Task Scaffold_leaves_other_strategies_alone()
    {
        var models = new Models([]);
        var step = new ScriptedStep(Model(1, 2));
        var outcome = await FitPipeline.RunAsync([new ScaffoldFitMod(models, new ControlVariateStore())],
            Context(FitTask(1, "fedprox"), Model(0, 0)), step.Run, CancellationToken.None);
        Assert.Empty(models.Downloads);
        Assert.Null(step.Corrections.Single());
        Assert.Equal([1f, 2f], outcome.Payload.Tensors.Single().Values);
        Assert.Empty(outcome.OnUploaded);
    }
}

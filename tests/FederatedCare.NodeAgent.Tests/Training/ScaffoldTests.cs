using FederatedCare.Node.Sdk;
using FederatedCare.Node.Sdk.FitMods;
using FederatedCare.NodeAgent.Agent;
using FederatedCare.NodeAgent.Data;
using FederatedCare.NodeAgent.Models;
using FederatedCare.NodeAgent.Training;
using FederatedCare.Protos.Wire;

namespace FederatedCare.NodeAgent.Tests.Training;

/// <summary>SCAFFOLD's client side, option II (Karimireddy et al. 2020), on one hand-computable row.</summary>
public sealed class ScaffoldTests
{
    // One row x = 2, y = 1; x (the global model) = (w, b) = (0, 0), where p = 0.5 and ∇ℓ = (−1, −0.5).
    private static readonly TabularSplit Row = TinyProblem.Rows([2], [1]);
    private static readonly ModelParameters Server = TinyProblem.Model(0.2, 0.1);  // c
    private static readonly ModelParameters Client = TinyProblem.Model(0.05, -0.1); // cᵢ

    [Fact]
    public void One_step_by_hand()
    {
        // Corrected gradient g − cᵢ + c = (−1 − 0.05 + 0.2, −0.5 + 0.1 + 0.1) = (−0.85, −0.3); η = 0.1:
        // y − x = (0.085, 0.03). cᵢ⁺ − cᵢ = (x − y)/(K·η) − c = (−0.85, −0.3) − (0.2, 0.1) = (−1.05, −0.4),
        // so cᵢ⁺ = (−1, −0.5): with K = 1, option II makes cᵢ⁺ the local gradient at x.
        var update = TinyProblem.Sgd(Row, TinyProblem.Model(0, 0), 0.1, 1, new LocalObjective(GradientCorrection: Scaffold.Correction(Server, Client)));
        var delta = TinyProblem.Values(update.Delta);
        Assert.Equal(0.085, delta.W, 6);
        Assert.Equal(0.03, delta.B, 6);
        var controlDelta = Scaffold.ControlDelta(update.Delta, Server, update.Steps, 0.1);
        Assert.Equal(-1.05, TinyProblem.Values(controlDelta).W, 5);
        Assert.Equal(-0.4, TinyProblem.Values(controlDelta).B, 5);
        var next = TinyProblem.Values(ModelParameterMapper.Add(Client, controlDelta));
        Assert.Equal(-1.0, next.W, 5);
        Assert.Equal(-0.5, next.B, 5);
    }

    [Fact]
    public void Two_steps_by_hand()
    {
        const double eta = 0.1;
        var (cw, cb) = TinyProblem.Values(Server);
        var (iw, ib) = TinyProblem.Values(Client);
        double w = 0, b = 0;
        for (int step = 0; step < 2; step++)
        {
            var g = TinyProblem.Gradient(w, b, 2, 1);
            (w, b) = (w - eta * (g.W - iw + cw), b - eta * (g.B - ib + cb));
        }
        var update = TinyProblem.Sgd(Row, TinyProblem.Model(0, 0), eta, 2, new LocalObjective(GradientCorrection: Scaffold.Correction(Server, Client)));
        var delta = TinyProblem.Values(update.Delta);
        Assert.Equal(w, delta.W, 6);
        Assert.Equal(b, delta.B, 6);
        var controlDelta = TinyProblem.Values(Scaffold.ControlDelta(update.Delta, Server, 2, eta));
        Assert.Equal(-w / (2 * eta) - cw, controlDelta.W, 5);
        Assert.Equal(-b / (2 * eta) - cb, controlDelta.B, 5);
    }

    [Fact]
    public void The_upload_is_the_delta_then_the_control_delta_in_model_order()
    {
        var payload = Scaffold.UploadPayload(TinyProblem.Model(1, 2), TinyProblem.Model(3, 4));
        Assert.Equal(["linear.weight", "linear.bias", "control_delta/linear.weight", "control_delta/linear.bias"], payload.Tensors.Select(t => t.Name));
        Assert.Equal([1f, 2f, 3f, 4f], payload.Tensors.Select(t => t.Values[0]));
        Assert.Equal([1L, 1L], payload.Tensors[2].Shape);
        Assert.Throws<InvalidDataException>(() => Scaffold.CheckLayout(
            new ModelParameters([new NamedTensor("linear.weight", [1, 1], [0])]), TinyProblem.Model(0, 0), "c"));
    }

    [Fact]
    public void The_store_starts_at_zero_and_a_repeated_round_starts_from_the_same_control_variate()
    {
        var store = new ControlVariateStore(capacity: 1);
        var model = TinyProblem.Model(5, 5);
        Assert.Equal((0.0, 0.0), TinyProblem.Values(store.Get("job", 1, model)));
        store.Commit("job", 1, TinyProblem.Model(0, 0), TinyProblem.Model(1, 1));
        Assert.Equal((0.0, 0.0), TinyProblem.Values(store.Get("job", 1, model))); // round 1 again
        Assert.Equal((1.0, 1.0), TinyProblem.Values(store.Get("job", 2, model)));
        store.Commit("other", 1, TinyProblem.Model(0, 0), TinyProblem.Model(2, 2));
        Assert.Equal(1, store.Count);
        Assert.Equal((0.0, 0.0), TinyProblem.Values(store.Get("job", 2, model))); // forgotten: zeros again
    }

    [Fact]
    public void With_a_state_directory_a_restarted_agent_continues_from_its_stored_control_variates()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cv-{Guid.NewGuid():N}");
        try
        {
            var model = TinyProblem.Model(5, 5);
            var before = new ControlVariateStore(files: new ControlVariateFiles(directory));
            before.Commit("job/1", 1, TinyProblem.Model(0, 0), TinyProblem.Model(1, 1));
            before.Commit("job/1", 2, TinyProblem.Model(1, 1), TinyProblem.Model(3, 3));

            var restarted = new ControlVariateStore(files: new ControlVariateFiles(directory));
            Assert.Equal((1.0, 1.0), TinyProblem.Values(restarted.Get("job/1", 2, model))); // round 2 retried
            Assert.Equal((3.0, 3.0), TinyProblem.Values(restarted.Get("job/1", 3, model)));
            Assert.Equal((0.0, 0.0), TinyProblem.Values(restarted.Get("another", 1, model)));
            Assert.Single(Directory.GetFiles(directory)); // round 1's file replaced by round 2's
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_job_forgotten_from_memory_is_deleted_from_disk_too()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cv-{Guid.NewGuid():N}");
        try
        {
            var store = new ControlVariateStore(capacity: 1, files: new ControlVariateFiles(directory));
            store.Commit("old", 1, TinyProblem.Model(0, 0), TinyProblem.Model(1, 1));
            store.Commit("new", 1, TinyProblem.Model(0, 0), TinyProblem.Model(2, 2));
            Assert.Null(new ControlVariateFiles(directory).Load("old"));
            Assert.Equal(1, new ControlVariateFiles(directory).Load("new")!.Value.Round);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}

using FederatedCare.Coordinator.Storage;
using Grpc.Health.V1;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>Choosing the store by configuration, and its health check.</summary>
public class StoreConfigurationTests
{
    [Theory]
    [InlineData("mysql", "", "Coordinator:Store must be 'sqlite' or 'postgres', not 'mysql'.")]
    [InlineData("postgres", "", "Coordinator:Postgres:ConnectionString is required when Coordinator:Store is 'postgres'.")]
    [InlineData("postgres", "Host=127.0.0.1;Nonsense=1", "Cannot open the store (Coordinator:Postgres:ConnectionString): ")]
    public async Task A_bad_store_setting_stops_with_one_line_naming_the_key(string store, string connectionString, string message)
    {
        var options = new StoreOptions { Store = store, Postgres = { ConnectionString = connectionString } };
        var e = await Assert.ThrowsAsync<StoreConfigurationException>(() => CoordinatorStoreFactory.OpenAsync(options, TestModels.TempDirectory(), TimeProvider.System));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task The_coordinator_does_not_start_on_an_unknown_store()
    {
        var e = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => TestCoordinator.StartAsync(null, "--Coordinator:Store=oracle"));
        Assert.Contains("Coordinator:Store", e.Message);
    }

    [Fact]
    public async Task The_store_health_service_answers_not_serving_when_the_model_folder_is_unusable()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var health = new Health.HealthClient(coordinator.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "store" })).Status);

        // A file where the model folder should be: nothing can be written there any more (even as root).
        var models = Path.Combine(coordinator.DataDirectory, "models");
        Directory.Delete(models, recursive: true);
        await File.WriteAllTextAsync(models, "not a folder");

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "store" })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
        File.Delete(models);
        Directory.CreateDirectory(models);
    }
}

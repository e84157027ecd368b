using FederatedCare.Coordinator.Extensions;

// The coordinator: gRPC over h2c for node agents (Federation), operators (Operator) and researchers (Research).
// All wiring lives in Extensions/ so tests can host the very same server in-process (see CoordinatorHost).
var builder = CoordinatorHost.CreateBuilder(args);
builder.AddCoordinator();

var app = builder.Build();
app.MapCoordinator();
return await CoordinatorHost.RunAsync(app);

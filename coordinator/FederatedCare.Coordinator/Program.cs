using FederatedCare.Coordinator.Extensions;

// The coordinator: gRPC for node agents (Federation), operators (Operator) and researchers (Research), over mutual TLS
// with the federation CA when Coordinator:Tls is set, otherwise over h2c.
// All wiring lives in Extensions/ so tests can host the very same server in-process (see CoordinatorHost).
var builder = CoordinatorHost.CreateBuilder(args);
builder.AddCoordinator();

var app = builder.Build();
app.MapCoordinator();
return await CoordinatorHost.RunAsync(app);

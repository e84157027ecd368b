using FederatedCare.Coordinator.Extensions;

// The coordinator: gRPC for node agents (Federation), operators (Operator) and researchers (Research), over mutual TLS
// with the federation CA when Coordinator:Tls is set, otherwise over h2c. `--help` lists every setting.
// All wiring lives in Extensions/ so tests can host the very same server in-process (see CoordinatorHost).
return await CoordinatorHost.RunAsync(args);

namespace FederatedCare.Coordinator.Storage;

/// <summary>The store's configuration is invalid or its database cannot be opened; the message names the configuration key.</summary>
public sealed class StoreConfigurationException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

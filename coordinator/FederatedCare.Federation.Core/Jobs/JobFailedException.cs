namespace FederatedCare.Federation.Core.Jobs;

/// <summary>The job cannot go on (e.g. a round missed min_fit_clients after every retry); the message is the job's.</summary>
public sealed class JobFailedException(string message) : Exception(message);

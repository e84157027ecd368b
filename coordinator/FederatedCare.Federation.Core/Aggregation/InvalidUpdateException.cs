namespace FederatedCare.Federation.Core.Aggregation;

/// <summary>
/// An update breaks the protocol or the round's rules (layout, size, hash, non-finite value, clipping bound). The
/// <see cref="RoundAccumulator"/> turns it into an <see cref="UploadStatus.Invalid"/> outcome; the message is for the node.
/// </summary>
public sealed class InvalidUpdateException(string message) : Exception(message);

using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk;

/// <summary>
/// The last few global models by SHA-256 (least recently used out first). A round usually evaluates a model and
/// then trains from it; the cache makes that one download. Models are content-addressed, so a hit is always right.
/// Not thread-safe: the agent handles tasks one at a time.
/// </summary>
public sealed class ModelCache(int capacity)
{
    private readonly LinkedList<(string Sha, ModelParameters Model)> _order = new();
    private readonly Dictionary<string, LinkedListNode<(string Sha, ModelParameters Model)>> _bySha = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Models held.</summary>
    public int Count => _bySha.Count;

    /// <summary>The model with this hash, if held (and marks it recently used).</summary>
    public bool TryGet(string sha256, out ModelParameters model)
    {
        if (_bySha.TryGetValue(sha256, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            model = node.Value.Model;
            return true;
        }
        model = null!;
        return false;
    }

    /// <summary>Adds a model, evicting the least recently used one beyond the capacity.</summary>
    public void Add(string sha256, ModelParameters model)
    {
        if (_bySha.TryGetValue(sha256, out var existing)) _order.Remove(existing);
        var node = _order.AddFirst((sha256, model));
        _bySha[sha256] = node;
        while (_bySha.Count > capacity)
        {
            var last = _order.Last!;
            _order.RemoveLast();
            _bySha.Remove(last.Value.Sha);
        }
    }
}

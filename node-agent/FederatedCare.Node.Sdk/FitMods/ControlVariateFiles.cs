using System.Globalization;
using FederatedCare.Protos.Wire;

namespace FederatedCare.Node.Sdk.FitMods;

/// <summary>
/// SCAFFOLD control variates on disk, so a node agent that restarts mid-job continues from its cᵢ instead of zeros
/// (the coordinator's c is the mean of every cᵢ it has seen; a node restarting from zeros would pull c off).
/// One safetensors file per job and committed round, <c>&lt;job&gt;.round-&lt;r&gt;.safetensors</c>, holding the cᵢ
/// before and after that round (tensor names prefixed <c>before/</c> and <c>after/</c>). The new file is written
/// atomically (temporary file, flush, rename) before older rounds' files are deleted, so a crash at any point leaves
/// a complete file to load.
/// </summary>
public sealed class ControlVariateFiles
{
    private const string Before = "before/", After = "after/";
    private readonly string _directory;

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public ControlVariateFiles(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Stores round <paramref name="round"/>'s values for the job, replacing earlier rounds'.</summary>
    public void Save(string jobId, int round, ModelParameters before, ModelParameters after)
    {
        var both = new ModelParameters(
            before.Tensors.Select(t => t with { Name = Before + t.Name })
                .Concat(after.Tensors.Select(t => t with { Name = After + t.Name })).ToList());
        var path = Path.Combine(_directory, $"{Prefix(jobId)}{round.ToString(CultureInfo.InvariantCulture)}.safetensors");
        SafeTensors.WriteFile(both, path);
        foreach (var (older, _) in Files(jobId).Where(f => f.Round != round)) File.Delete(older);
    }

    /// <summary>The job's latest stored round and values, or null when none is stored.</summary>
    /// <exception cref="InvalidDataException">The file is not a control-variate file.</exception>
    public (int Round, ModelParameters Before, ModelParameters After)? Load(string jobId)
    {
        var latest = Files(jobId).OrderByDescending(f => f.Round).FirstOrDefault();
        if (latest.Path is null) return null;
        var both = SafeTensors.ReadFile(latest.Path);
        ModelParameters Part(string prefix) => new(both.Tensors.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(t => t with { Name = t.Name[prefix.Length..] }).ToList());
        var (before, after) = (Part(Before), Part(After));
        if (before.Tensors.Count == 0 || before.Tensors.Count != after.Tensors.Count)
            throw new InvalidDataException($"{latest.Path} does not hold SCAFFOLD control variates (before/ and after/ tensors).");
        return (latest.Round, before, after);
    }

    /// <summary>Deletes the job's files.</summary>
    public void Delete(string jobId)
    {
        foreach (var (path, _) in Files(jobId)) File.Delete(path);
    }

    private IEnumerable<(string Path, int Round)> Files(string jobId)
    {
        var prefix = Prefix(jobId);
        foreach (var path in Directory.EnumerateFiles(_directory, prefix + "*.safetensors"))
        {
            var middle = Path.GetFileName(path)[prefix.Length..^".safetensors".Length];
            if (int.TryParse(middle, NumberStyles.None, CultureInfo.InvariantCulture, out var round)) yield return (path, round);
        }
    }

    private static string Prefix(string jobId) => Uri.EscapeDataString(jobId) + ".round-";
}

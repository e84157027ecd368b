using System.Text;
using System.Text.RegularExpressions;

namespace FederatedCare.NodeAgent.Governance;

/// <summary>
/// How governance state is written to the agent's state folder: whole files, atomically (temporary file, flush to disk,
/// rename over the old one), so a crash leaves the old file or the new one, never half of either.
/// </summary>
internal static partial class StateFiles
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, creating its folder.</summary>
    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Whether <paramref name="name"/> (a job id from the coordinator, a hash from the command line) is safe as a file
    /// name: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (the coordinator's job-id rule).
    /// </summary>
    public static bool IsSafeName(string name) => SafeName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex SafeName();
}

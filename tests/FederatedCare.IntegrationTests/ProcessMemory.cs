using System.Globalization;

namespace FederatedCare.IntegrationTests;

/// <summary>A running process's memory as Linux accounts it (<c>/proc/&lt;pid&gt;/status</c>, see proc(5)).</summary>
internal static class ProcessMemory
{
    /// <summary>
    /// The process's peak resident set size so far (<c>VmHWM</c>), in bytes: the most physical memory it has held at
    /// once since it started.
    /// </summary>
    /// <exception cref="IOException">The process has ended, or this is not Linux.</exception>
    /// <exception cref="InvalidDataException">The status file has no <c>VmHWM</c> line.</exception>
    public static long PeakResidentBytes(int pid) => Field(pid, "VmHWM");

    /// <summary>The process's resident set size now (<c>VmRSS</c>), in bytes.</summary>
    /// <inheritdoc cref="PeakResidentBytes" path="/exception"/>
    public static long ResidentBytes(int pid) => Field(pid, "VmRSS");

    // A "Name:   123456 kB" line of the status file, in bytes.
    private static long Field(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"/proc/{pid}/status has no {name} line.");
        var kilobytes = line[(name.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}

using System.Globalization;

namespace Governance.Scanner.Measurement;

/// <summary>Facts about the scanning host that llama.cpp does not report: CPU model, physical cores, peak RSS.</summary>
internal static class HostProbe
{
    /// <summary>"model name" of /proc/cpuinfo ("AMD EPYC 9654 96-Core Processor"), or null off Linux.</summary>
    public static string? CpuModel(string cpuinfo = "/proc/cpuinfo")
    {
        foreach (var line in ReadLines(cpuinfo))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                return line[(colon + 1)..].Trim();
        }
        return null;
    }

    /// <summary>
    /// Distinct (physical id, core id) pairs: llama-bench's default thread count is the physical cores
    /// (common_cpu_get_num_math), because a hyperthread sibling adds little to matrix work. Falls back to the
    /// logical processor count when /proc/cpuinfo does not say.
    /// </summary>
    public static int PhysicalCores(string cpuinfo = "/proc/cpuinfo")
    {
        var cores = new HashSet<(string, string)>();
        string physical = "0", core = "";
        foreach (var line in ReadLines(cpuinfo).Append(""))
        {
            if (line.Length == 0)
            {
                if (core.Length > 0) cores.Add((physical, core));
                (physical, core) = ("0", "");
            }
            else if (line.StartsWith("physical id", StringComparison.Ordinal)) physical = Value(line);
            else if (line.StartsWith("core id", StringComparison.Ordinal)) core = Value(line);
        }
        return cores.Count > 0 ? Math.Min(cores.Count, Environment.ProcessorCount) : Environment.ProcessorCount;
    }

    /// <summary>VmHWM of /proc/self/status: the most resident memory this process has had, in bytes.</summary>
    public static long? PeakRssBytes(string status = "/proc/self/status") => StatusKiB(status, "VmHWM:");

    /// <summary>
    /// Resets VmHWM to the current RSS (writing "5" to /proc/self/clear_refs, Linux 4.0+), so a long-running host
    /// reports each scan's own peak, not the largest model it ever loaded. Best effort: false when not allowed.
    /// </summary>
    public static bool ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static long? StatusKiB(string path, string key)
    {
        foreach (var line in ReadLines(path))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var parts = line[key.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries); // "VmHWM:\t  1234 kB"
            return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
        }
        return null;
    }

    private static string Value(string line) => line[(line.IndexOf(':') + 1)..].Trim();

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).ToList() : [];
        }
        catch (IOException)
        {
            return [];
        }
    }
}

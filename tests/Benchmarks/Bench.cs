namespace Governance.Benchmarks;

/// <summary>What the benchmark commands share: reading their options, and the line that says where and when one ran.</summary>
internal static class Bench
{
    /// <summary>The value after <paramref name="name"/> (<c>--out DIR</c>), or null.</summary>
    public static string? Text(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    /// <summary>The positive number after <paramref name="name"/>, or <paramref name="fallback"/> (also for 0 or less).</summary>
    public static int Option(string[] args, string name, int fallback) =>
        Text(args, name) is { } v && int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;

    /// <summary>The machine, the date and the load when the run began: a figure in docs/performance.md needs all three.</summary>
    public static string Machine =>
        $"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; " +
        $"load average at start {File.ReadAllText("/proc/loadavg").Split(' ')[0]}";
}

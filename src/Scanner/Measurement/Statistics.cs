namespace Governance.Scanner.Measurement;

/// <summary>llama-bench's arithmetic: tokens/s per repetition, their mean and sample standard deviation (n − 1).</summary>
internal static class Statistics
{
    public static double Mean(IReadOnlyList<double> samples) => samples.Count == 0 ? 0 : samples.Sum() / samples.Count;

    /// <summary>0 for fewer than two samples, as llama-bench's <c>stdev</c>.</summary>
    public static double SampleStddev(IReadOnlyList<double> samples)
    {
        if (samples.Count < 2) return 0;
        var mean = Mean(samples);
        var squares = samples.Sum(s => (s - mean) * (s - mean));
        return Math.Sqrt(squares / (samples.Count - 1));
    }
}

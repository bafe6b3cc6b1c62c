using Governance.Attestations;
using Governance.Scanner.Native;

namespace Governance.Scanner.Measurement;

/// <summary>One configuration of a sweep and what it measured.</summary>
internal sealed record SweepTrial(FootprintConfiguration Configuration, ModelMeasurement Measurement);

/// <summary>
/// Beyond llama-bench's single configuration: measures a small grid (n_ubatch 256/512/1024 × flash attention off/on,
/// and fewer GPU layers when the weights do not fit in the device's free memory) and picks the best for this host and
/// artifact, by generation rate first (what a served model waits on), then prompt rate. Each trial is a full
/// <see cref="Measurer.Measure"/> (its own load, from the page cache after the first), so no trial inherits another's
/// warm state.
/// </summary>
internal static class Sweep
{
    public const string Criterion = "tg";
    public static readonly uint[] UBatches = [256, 512, 1024];
    public static readonly bool[] FlashAttention = [false, true];

    public static (SweepTrial Best, IReadOnlyList<SweepTrial> Trials) Run(
        string path, BenchSettings settings, long? bytesReadPerToken, int? layers, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var grid = Grid(settings, layers, new FileInfo(path).Length, FreeDeviceBytes()).ToList();
        var trials = new List<SweepTrial>(grid.Count);
        foreach (var configuration in grid)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var trialSettings = settings with
            {
                UBatch = (uint)configuration.UBatch,
                Batch = Math.Max(settings.Batch, (uint)configuration.UBatch),
                FlashAttention = configuration.FlashAttention,
                GpuLayers = configuration.GpuLayers ?? settings.GpuLayers,
            };
            var measurement = Measurer.Measure(path, trialSettings, null, cancellationToken, bytesReadPerToken);
            trials.Add(new SweepTrial(configuration, measurement));
            progress?.Report((double)trials.Count / grid.Count);
        }
        return (Best(trials), trials);
    }

    /// <summary>The trial with the highest tg mean, then the highest pp mean; the first of equals.</summary>
    public static SweepTrial Best(IReadOnlyList<SweepTrial> trials) =>
        trials.OrderByDescending(t => Mean(t, gen: true)).ThenByDescending(t => Mean(t, gen: false)).First();

    /// <summary>
    /// The grid: every n_ubatch × flash attention; when the file is larger than the GPU's free memory, each of those
    /// again at ¾, ½ and ¼ of the layers offloaded (the rest run on the CPU).
    /// </summary>
    public static IEnumerable<FootprintConfiguration> Grid(BenchSettings settings, int? layers, long modelBytes, long? freeDeviceBytes)
    {
        int?[] offloads = freeDeviceBytes is { } free && modelBytes > free && layers is > 0 and var n
            ? [n * 3 / 4, n / 2, n / 4]
            : [settings.GpuLayers is >= 0 ? settings.GpuLayers : null];
        foreach (var gpuLayers in offloads)
            foreach (var ubatch in UBatches)
                foreach (var flash in FlashAttention)
                    yield return new FootprintConfiguration { UBatch = (int)ubatch, FlashAttention = flash, GpuLayers = gpuLayers };
    }

    private static long? FreeDeviceBytes()
    {
        var runtime = LlamaRuntime.Instance;
        return EnvironmentProbe.GpuDevice(runtime) is { } gpu ? (long)gpu.FreeBytes : null;
    }

    private static double Mean(SweepTrial trial, bool gen) =>
        trial.Measurement.Throughput.FirstOrDefault(t => gen ? t.NGen > 0 : t.NPrompt > 0)?.MeanTokensPerSecond ?? 0;
}

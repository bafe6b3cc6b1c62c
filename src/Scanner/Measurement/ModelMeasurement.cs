using Governance.Attestations;

namespace Governance.Scanner.Measurement;

/// <summary>
/// Everything one measurement found. The predicate's records are reused where they fit
/// (<see cref="ThroughputTest"/>, <see cref="DeviceBytes"/>, <see cref="FootprintEnvironment"/>); the rest (every
/// buffer, NVML's figure, context time) is for the report and the logs.
/// </summary>
internal sealed record ModelMeasurement
{
    public required long ModelBytes { get; init; }
    public required long Parameters { get; init; }
    /// <summary>llama_model_desc, e.g. "llama 8B Q4_K - Medium".</summary>
    public required string Description { get; init; }
    /// <summary>The context llama.cpp allocated (llama_n_ctx), which the footprint is at.</summary>
    public required uint ContextLength { get; init; }
    public required IReadOnlyList<BufferAllocation> Buffers { get; init; }
    /// <summary>
    /// Weights, KV cache and compute (with the logits output buffer) from llama.cpp's buffers on the device that runs
    /// the model (host RAM for the CPU backend). Total: NVML's measured growth of used GPU memory where NVML is
    /// present (it includes the CUDA context and library workspaces llama.cpp does not account), else the buffers' sum.
    /// </summary>
    public required DeviceBytes DeviceBytes { get; init; }
    /// <summary>Used GPU memory after the context was made minus before the load, per NVML; null without NVML.</summary>
    public long? NvmlUsedBytes { get; init; }
    public long? HostPeakRssBytes { get; init; }
    public required double LoadSeconds { get; init; }
    public required double ContextSeconds { get; init; }
    /// <summary>The first prompt decode after the load (cold), until its logits are ready: when a first token could be sampled.</summary>
    public double? TimeToFirstTokenSeconds { get; init; }
    public required IReadOnlyList<ThroughputTest> Throughput { get; init; }
    public required FootprintEnvironment Environment { get; init; }
    public double? BandwidthBytesPerSecond { get; init; }
    /// <summary>Weight bytes one generated token reads, which the roofline divides by.</summary>
    public required long BytesReadPerToken { get; init; }
    /// <summary>A <see cref="BytesPerTokenBasis"/> value: what <see cref="BytesReadPerToken"/> counts.</summary>
    public required string BytesReadPerTokenBasis { get; init; }
    /// <summary>Measured tg ÷ (bandwidth ÷ weight bytes read per token); GPU only.</summary>
    public double? RooflineFraction { get; init; }
    /// <summary>llama.cpp's warnings while loading, e.g. a compute buffer larger than expected.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

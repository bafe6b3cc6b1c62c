namespace Governance.Scanner.Measurement;

/// <summary>
/// What to measure, with llama-bench's defaults (v0.5.0 <c>cmd_params_defaults</c>): pp512, tg128, 5 repetitions,
/// n_batch 2048, n_ubatch 512. Zero prompt or generation tokens skips that test.
/// </summary>
internal sealed record BenchSettings
{
    public int PromptTokens { get; init; } = 512;
    public int GenerateTokens { get; init; } = 128;
    public int Repetitions { get; init; } = 5;
    public uint Batch { get; init; } = 2048;
    public uint UBatch { get; init; } = 512;

    /// <summary>Null: the host's physical cores, as llama-bench's <c>common_cpu_get_num_math</c> chooses.</summary>
    public int? Threads { get; init; }

    /// <summary>The context the footprint is measured at. Null or 0: the model's training context (llama.cpp's n_ctx = 0).</summary>
    public uint? ContextLength { get; init; }

    /// <summary>Layers offloaded to the GPU; null or negative: all (llama-bench's -ngl default).</summary>
    public int? GpuLayers { get; init; }

    /// <summary>Flash attention on or off; null leaves llama.cpp's (and llama-bench's) default, auto.</summary>
    public bool? FlashAttention { get; init; }

    /// <summary>Seed of the random prompt tokens, so two runs feed the same tokens.</summary>
    public int Seed { get; init; } = 42;

    public void Validate()
    {
        if (PromptTokens < 0 || GenerateTokens < 0) throw new ArgumentException("Token counts cannot be negative.");
        if (PromptTokens == 0 && GenerateTokens == 0) throw new ArgumentException("Nothing to measure: both --pp and --tg are 0.");
        if (Repetitions < 1) throw new ArgumentException("At least one repetition.");
        if (Threads is < 1) throw new ArgumentException("At least one thread.");
        if (UBatch == 0 || Batch == 0) throw new ArgumentException("Batch sizes must be positive.");
    }
}

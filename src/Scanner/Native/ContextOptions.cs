namespace Governance.Scanner.Native;

/// <summary>How <see cref="LlamaRuntime.CreateContext"/> makes a context. Null leaves llama.cpp's default.</summary>
internal sealed record ContextOptions
{
    /// <summary>Context length in tokens; 0 takes the model's training context. Null: llama.cpp's 512.</summary>
    public uint? ContextLength { get; init; }

    /// <summary>Logical batch: the most tokens one llama_decode may take. Null: 2048.</summary>
    public uint? Batch { get; init; }

    /// <summary>Physical batch the logical one is split into. Null: 512.</summary>
    public uint? UBatch { get; init; }

    /// <summary>Threads for generation and batch processing. Null: llama.cpp's GGML_DEFAULT_N_THREADS (4).</summary>
    public int? Threads { get; init; }

    /// <summary>True/false force flash attention on/off; null lets llama.cpp decide (LLAMA_FLASH_ATTN_TYPE_AUTO).</summary>
    public bool? FlashAttention { get; init; }

    /// <summary>Keep llama.cpp's perf counters (no_perf = false). llama.cpp's own default is off.</summary>
    public bool MeasurePerf { get; init; } = true;
}

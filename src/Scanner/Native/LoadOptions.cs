namespace Governance.Scanner.Native;

/// <summary>How <see cref="LlamaRuntime.LoadModel"/> loads a GGUF file. Null leaves llama.cpp's default.</summary>
internal sealed record LoadOptions
{
    /// <summary>Layers to offload to the GPU; negative means all. Null: llama.cpp's default (-1, all).</summary>
    public int? GpuLayers { get; init; }

    /// <summary>True maps the file (LLAMA_LOAD_MODE_MMAP), false reads it (NONE), null lets llama.cpp choose (AUTO).</summary>
    public bool? UseMmap { get; init; }

    /// <summary>
    /// Called on the loading thread with progress in [0, 1] while tensor data loads (never for
    /// <see cref="VocabOnly"/>); return false to cancel, which makes LoadModel throw
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public Func<float, bool>? Progress { get; init; }

    /// <summary>Only the metadata and vocabulary, no weights: enough to read the GGUF's keys, not to decode.</summary>
    public bool VocabOnly { get; init; }
}

namespace Governance.Scanner.Native;

// Enums from include/llama.h (llama.cpp v0.5.0) that the mirrored structs and functions use.
// C enums are int-sized on x86-64 System V; AbiLayoutTests checks every value against the header.

/// <summary><c>enum llama_split_mode</c></summary>
internal enum LlamaSplitMode
{
    None = 0,
    Layer = 1,
    Row = 2,
    Tensor = 3,
}

/// <summary><c>enum llama_load_mode</c>; v0.5.0 replaced the <c>use_mmap</c>/<c>use_mlock</c> booleans with it.</summary>
internal enum LlamaLoadMode
{
    Auto = -1,
    None = 0,
    Mmap = 1,
    Mlock = 2,
    MmapMlock = 3,
    DirectIo = 4,
}

/// <summary><c>enum llama_lazy_mode</c></summary>
internal enum LlamaLazyMode
{
    Off = 0,
    Auto = 1,
    On = 2,
}

/// <summary><c>enum llama_context_type</c></summary>
internal enum LlamaContextType
{
    Default = 0,
    Mtp = 1,
}

/// <summary><c>enum llama_rope_scaling_type</c></summary>
internal enum LlamaRopeScalingType
{
    Unspecified = -1,
    None = 0,
    Linear = 1,
    Yarn = 2,
    Longrope = 3,
}

/// <summary><c>enum llama_pooling_type</c></summary>
internal enum LlamaPoolingType
{
    Unspecified = -1,
    None = 0,
    Mean = 1,
    Cls = 2,
    Last = 3,
    Rank = 4,
}

/// <summary><c>enum llama_attention_type</c></summary>
internal enum LlamaAttentionType
{
    Unspecified = -1,
    Causal = 0,
    NonCausal = 1,
}

/// <summary><c>enum llama_flash_attn_type</c></summary>
internal enum LlamaFlashAttnType
{
    Auto = -1,
    Disabled = 0,
    Enabled = 1,
}

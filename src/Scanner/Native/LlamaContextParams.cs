using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// <c>struct llama_context_params</c> of llama.cpp v0.5.0 (160 bytes on x86-64). Field names are the C names.
/// Start from <see cref="NativeApi.llama_context_default_params"/>; a zeroed struct is not the default.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaContextParams
{
    /// <summary>Text context; 0 takes the model's training context.</summary>
    public uint n_ctx;
    /// <summary>Logical maximum batch size that can be submitted to llama_decode.</summary>
    public uint n_batch;
    /// <summary>Physical maximum batch size.</summary>
    public uint n_ubatch;
    public uint n_seq_max;
    public uint n_rs_seq;
    public uint n_outputs_max;
    public uint n_outputs_max_per_seq;
    public int n_threads;
    public int n_threads_batch;

    public LlamaContextType ctx_type;
    public LlamaRopeScalingType rope_scaling_type;
    public LlamaPoolingType pooling_type;
    public LlamaAttentionType attention_type;
    public LlamaFlashAttnType flash_attn_type;

    public float rope_freq_base;
    public float rope_freq_scale;
    public float yarn_ext_factor;
    public float yarn_attn_factor;
    public float yarn_beta_fast;
    public float yarn_beta_slow;
    public uint yarn_orig_ctx;
    public float defrag_thold;

    /// <summary><c>ggml_backend_sched_eval_callback</c>: bool (*)(struct ggml_tensor * t, bool ask, void * user_data).</summary>
    public delegate* unmanaged[Cdecl]<void*, CBool, void*, CBool> cb_eval;
    public void* cb_eval_user_data;

    public GgmlCacheType type_k;
    public GgmlCacheType type_v;

    /// <summary><c>ggml_abort_callback</c>: bool (*)(void * data); returning true aborts llama_decode (CPU only).</summary>
    public delegate* unmanaged[Cdecl]<void*, CBool> abort_callback;
    public void* abort_callback_data;

    public CBool embeddings;
    public CBool offload_kqv;
    /// <summary>True (the default!) turns off the timings <see cref="NativeApi.llama_perf_context"/> reports.</summary>
    public CBool no_perf;
    public CBool op_offload;
    public CBool swa_full;
    public CBool kv_unified;

    /// <summary><c>struct llama_sampler_seq_config *</c> [EXPERIMENTAL]</summary>
    public nint samplers;
    public nuint n_samplers;

    /// <summary><c>struct llama_context *</c></summary>
    public nint ctx_other;
}

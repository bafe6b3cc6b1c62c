using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// <c>struct llama_batch</c> (56 bytes on x86-64), passed by value to llama_decode. It owns nothing by itself:
/// one from llama_batch_init lives in a <see cref="LlamaBatch"/>; one from llama_batch_get_one points into
/// the caller's token array.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaNativeBatch
{
    public int n_tokens;

    /// <summary><c>llama_token *</c> (used when embd is NULL)</summary>
    public int* token;
    /// <summary><c>float *</c>, n_tokens * n_embd</summary>
    public float* embd;
    /// <summary><c>llama_pos *</c>; NULL lets llama_decode track positions.</summary>
    public int* pos;
    public int* n_seq_id;
    /// <summary><c>llama_seq_id **</c></summary>
    public int** seq_id;
    /// <summary><c>int8_t *</c>: non-zero asks for this token's logits (llama.h's TODO renames it "output").</summary>
    public sbyte* logits;
}

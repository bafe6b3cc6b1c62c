using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// Owns a batch from llama_batch_init; releasing it calls llama_batch_free. llama_batch_free takes the
/// struct by value, so the struct itself lives in native memory this handle points at.
/// </summary>
internal sealed unsafe class LlamaBatch : SafeHandle
{
    public LlamaBatch(int capacity, int maxSequencesPerToken = 1) : base(0, ownsHandle: true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequencesPerToken, 1);
        Capacity = capacity;
        MaxSequencesPerToken = maxSequencesPerToken;
        var block = (LlamaNativeBatch*)NativeMemory.AllocZeroed((nuint)sizeof(LlamaNativeBatch));
        *block = NativeApi.llama_batch_init(capacity, embd: 0, maxSequencesPerToken);
        block->n_tokens = 0;
        SetHandle((nint)block);
    }

    public int Capacity { get; }

    public int MaxSequencesPerToken { get; }

    public int Count => Native->n_tokens;

    public override bool IsInvalid => handle == 0;

    internal LlamaNativeBatch* Native
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return (LlamaNativeBatch*)handle;
        }
    }

    public void Clear() => Native->n_tokens = 0;

    /// <summary>Appends a token at position <paramref name="position"/> of <paramref name="sequence"/> (common_batch_add).</summary>
    public void Add(int token, int position, int sequence = 0, bool logits = false)
    {
        var batch = Native;
        var i = batch->n_tokens;
        if (i >= Capacity)
        {
            throw new InvalidOperationException($"The batch holds at most {Capacity} tokens.");
        }
        batch->token[i] = token;
        batch->pos[i] = position;
        batch->n_seq_id[i] = 1;
        batch->seq_id[i][0] = sequence;
        batch->logits[i] = logits ? (sbyte)1 : (sbyte)0;
        batch->n_tokens = i + 1;
    }

    protected override bool ReleaseHandle()
    {
        var block = (LlamaNativeBatch*)handle;
        NativeApi.llama_batch_free(*block);
        NativeMemory.Free(block);
        return true;
    }
}

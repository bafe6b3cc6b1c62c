using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>
/// <c>struct llama_perf_context_data</c> (48 bytes). All zero unless the context was created with
/// <c>no_perf = false</c>. llama.h calls these utilities "for examples/tools"; the scanner measures wall
/// time itself and keeps these as a cross-check.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaPerfContextData
{
    /// <summary>Absolute start time, ms.</summary>
    public double t_start_ms;
    /// <summary>Time to load the model, ms.</summary>
    public double t_load_ms;
    /// <summary>Time processing the prompt (batches of more than one token), ms.</summary>
    public double t_p_eval_ms;
    /// <summary>Time generating (single-token batches), ms.</summary>
    public double t_eval_ms;

    public int n_p_eval;
    public int n_eval;
    /// <summary>Times a compute graph was reused.</summary>
    public int n_reused;
}

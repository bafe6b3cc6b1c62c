using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Governance.Scanner.Native;

/// <summary>
/// Routes llama.cpp's and ggml's log (one callback, llama_log_set) to a managed sink. llama.cpp reports
/// most failures only here (llama_model_load_from_file returns NULL and logs why), so each thread's error
/// lines are kept for the exceptions. The sink is called on whatever thread llama.cpp logs from.
/// </summary>
internal static unsafe class LlamaLog
{
    private static volatile Action<GgmlLogLevel, string>? s_sink;

    [ThreadStatic] private static StringBuilder? t_line;
    [ThreadStatic] private static GgmlLogLevel t_level;
    [ThreadStatic] private static List<string>? t_errors;

    /// <summary>Receives whole lines (continuations joined, trailing newline removed). Null drops them.</summary>
    public static Action<GgmlLogLevel, string>? Sink
    {
        get => s_sink;
        set => s_sink = value;
    }

    /// <summary>
    /// The ERROR lines logged on this thread since <see cref="ClearErrors"/>, joined with "; ", or null.
    /// All of them, because llama.cpp logs the cause first and a generic "failed to load model" last.
    /// </summary>
    public static string? Errors => t_errors is { Count: > 0 } errors ? string.Join("; ", errors) : null;

    public static void ClearErrors() => t_errors?.Clear();

    internal static void Install() => NativeApi.llama_log_set(&OnLog, null);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(GgmlLogLevel level, byte* text, void* userData)
    {
        // An exception escaping into native frames would kill the process.
        try
        {
            var chunk = Marshal.PtrToStringUTF8((nint)text) ?? "";
            var line = t_line ??= new StringBuilder();
            if (level != GgmlLogLevel.Cont)
            {
                t_level = level;
            }
            line.Append(chunk);
            if (!chunk.EndsWith('\n'))
            {
                return; // llama.cpp writes some lines in pieces (GGML_LOG_LEVEL_CONT)
            }
            var complete = line.ToString().TrimEnd('\n');
            line.Clear();
            if (t_level == GgmlLogLevel.Error)
            {
                var errors = t_errors ??= [];
                if (errors.Count < 16)
                {
                    errors.Add(complete.Trim());
                }
            }
            s_sink?.Invoke(t_level, complete);
        }
        catch
        {
            // a failing sink must not take llama.cpp down with it
        }
    }
}

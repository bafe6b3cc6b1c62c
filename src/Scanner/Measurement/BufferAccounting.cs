using System.Globalization;
using System.Text.RegularExpressions;
using Governance.Scanner.Native;

namespace Governance.Scanner.Measurement;

/// <summary>What a llama.cpp buffer holds, from the words before "buffer size" in its log line.</summary>
internal enum BufferKind
{
    Weights,
    KvCache,
    Compute,
    Output,
    Other,
}

/// <summary>One buffer llama.cpp allocated: its ggml buffer (type) name, e.g. <c>CPU_Mapped</c>, <c>CUDA0</c>, <c>CUDA_Host</c>.</summary>
internal sealed record BufferAllocation(string Buffer, BufferKind Kind, long Bytes, string Line)
{
    /// <summary>Host memory: the CPU buffer types and pinned host buffers (<c>CUDA_Host</c>).</summary>
    public bool OnHost => Buffer.StartsWith("CPU", StringComparison.OrdinalIgnoreCase) || Buffer.EndsWith("_Host", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// llama.cpp's own memory accounting. v0.5.0 has no public API for it (llama_memory_breakdown is C++-internal), but it
/// logs every buffer it allocates at INFO, e.g. <c>load_tensors:   CPU_Mapped model buffer size =    14.50 MiB</c>,
/// <c>llama_kv_cache:        CPU KV buffer size =     0.06 MiB</c>, <c>llama_context:      CUDA0 compute buffer size = …</c>.
/// The lines are read from <see cref="LlamaLog"/>; the sizes have 0.01 MiB resolution, which is all llama.cpp prints.
/// </summary>
internal static partial class BufferAccounting
{
    // "<scope>: <buffer> <kind words> buffer size = <n> MiB". The scope is optional and the kind free text, so a
    // renamed function or a new buffer kind still parses; "buffer size of … does not match" (a warning) has no '='.
    [GeneratedRegex(@"^\s*(?:[\w:]+:\s+)?(?<buffer>[A-Za-z][\w.\-]*)\s+(?<kind>[A-Za-z][\w ]*?)\s+buffer size\s*=\s*(?<size>\d+(?:[.,]\d+)?)\s*(?<unit>[KMG]i?B)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Line();

    public static BufferAllocation? Parse(string line)
    {
        var m = Line().Match(line);
        if (!m.Success) return null;
        // llama.cpp prints with the C locale, but a host that called setlocale could make it a comma.
        if (!double.TryParse(m.Groups["size"].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var size)) return null;
        var scale = m.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "KIB" => 1024.0,
            "MIB" => 1024.0 * 1024,
            "GIB" => 1024.0 * 1024 * 1024,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            _ => double.NaN,
        };
        if (double.IsNaN(scale)) return null;
        return new BufferAllocation(m.Groups["buffer"].Value, KindOf(m.Groups["kind"].Value), (long)Math.Round(size * scale), line.Trim());
    }

    private static BufferKind KindOf(string words)
    {
        var w = words.Trim().ToLowerInvariant();
        if (w.StartsWith("model", StringComparison.Ordinal) || w.StartsWith("lora", StringComparison.Ordinal)) return BufferKind.Weights;
        // KV cache, recurrent state (RS) of Mamba-like layers, and other per-sequence state.
        if (w.StartsWith("kv", StringComparison.Ordinal) || w.StartsWith("rs", StringComparison.Ordinal) || w.Contains("state")) return BufferKind.KvCache;
        if (w.StartsWith("compute", StringComparison.Ordinal)) return BufferKind.Compute;
        if (w.StartsWith("output", StringComparison.Ordinal)) return BufferKind.Output;
        return BufferKind.Other;
    }

    /// <summary>
    /// Captures the buffer lines llama.cpp logs on the calling thread until disposed; earlier sinks keep receiving
    /// everything. Loads and context creation log on the thread that calls them, so another thread's load is not
    /// mistaken for this one's.
    /// </summary>
    public sealed class Capture : IDisposable
    {
        private readonly Action<GgmlLogLevel, string>? _previous;
        private readonly Action<GgmlLogLevel, string> _sink;
        private readonly int _thread = Environment.CurrentManagedThreadId;
        private readonly List<BufferAllocation> _buffers = [];
        private readonly List<string> _warnings = [];

        public Capture()
        {
            _previous = LlamaLog.Sink;
            _sink = OnLine;
            LlamaLog.Sink = _sink;
        }

        public IReadOnlyList<BufferAllocation> Buffers
        {
            get { lock (_buffers) return [.. _buffers]; }
        }

        /// <summary>WARN/ERROR lines seen on this thread, for the report.</summary>
        public IReadOnlyList<string> Warnings
        {
            get { lock (_buffers) return [.. _warnings]; }
        }

        private void OnLine(GgmlLogLevel level, string text)
        {
            _previous?.Invoke(level, text);
            if (Environment.CurrentManagedThreadId != _thread) return;
            lock (_buffers)
            {
                if (Parse(text) is { } buffer) _buffers.Add(buffer);
                else if (level is GgmlLogLevel.Warn or GgmlLogLevel.Error && _warnings.Count < 32) _warnings.Add(text.Trim());
            }
        }

        public void Dispose()
        {
            // Only undo our own installation; if someone replaced the sink since, leave theirs.
            if (ReferenceEquals(LlamaLog.Sink, _sink)) LlamaLog.Sink = _previous;
        }
    }
}

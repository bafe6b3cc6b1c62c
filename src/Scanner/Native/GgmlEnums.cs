namespace Governance.Scanner.Native;

// Enums from ggml/include/ggml.h and ggml-backend.h (llama.cpp v0.5.0); AbiLayoutTests checks the values.

/// <summary><c>enum ggml_type</c>, only the members a KV cache (<c>type_k</c>/<c>type_v</c>) can take. Named apart from Gguf.GgmlType, the full list the GGUF reader uses.</summary>
internal enum GgmlCacheType
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    IQ4_NL = 20,
    BF16 = 30,
}

/// <summary><c>enum ggml_log_level</c></summary>
internal enum GgmlLogLevel
{
    None = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
    /// <summary>Continues the previous message.</summary>
    Cont = 5,
}

/// <summary><c>enum ggml_backend_dev_type</c></summary>
internal enum GgmlBackendDevType
{
    Cpu = 0,
    Gpu = 1,
    /// <summary>Integrated GPU using host memory.</summary>
    Igpu = 2,
    /// <summary>Accelerator used together with the CPU backend (BLAS, AMX).</summary>
    Accel = 3,
    /// <summary>Wraps several devices for tensor parallelism.</summary>
    Meta = 4,
}

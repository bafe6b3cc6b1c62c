using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary><c>struct ggml_backend_dev_props</c> (56 bytes), filled by ggml_backend_dev_get_props. The strings belong to ggml.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GgmlBackendDevProps
{
    public byte* name;
    public byte* description;
    public nuint memory_free;
    public nuint memory_total;
    public GgmlBackendDevType type;
    /// <summary>Lower-case PCI bus id ("0000:c1:00.0") or NULL.</summary>
    public byte* device_id;
    public GgmlBackendDevCaps caps;
}

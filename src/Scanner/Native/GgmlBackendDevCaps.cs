using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary><c>struct ggml_backend_dev_caps</c> (5 bytes), from ggml-backend.h.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GgmlBackendDevCaps
{
    public CBool async;
    public CBool host_buffer;
    public CBool buffer_from_host_ptr;
    public CBool events;
    public CBool mmap_support;
}

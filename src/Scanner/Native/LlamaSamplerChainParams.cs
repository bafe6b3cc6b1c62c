using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary><c>struct llama_sampler_chain_params</c> (1 byte).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaSamplerChainParams
{
    public CBool no_perf;
}

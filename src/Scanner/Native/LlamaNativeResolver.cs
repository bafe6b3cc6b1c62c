using System.Reflection;
using System.Runtime.InteropServices;

namespace Governance.Scanner.Native;

/// <summary>Points this assembly's <see cref="NativeApi"/> imports at the files of <see cref="LlamaNatives.Current"/>.</summary>
internal static class LlamaNativeResolver
{
    private static int s_registered;

    public static void Register()
    {
        // SetDllImportResolver may be called once per assembly.
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(LlamaNativeResolver).Assembly, Resolve);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName is not (NativeApi.Llama or NativeApi.Ggml or NativeApi.GgmlBase))
        {
            return 0; // someone else's library: default probing
        }
        // Throws LlamaNativesMissingException with the fetch instructions instead of a bare DllNotFoundException.
        var path = LlamaNatives.Current.PathOf(libraryName)!;
        return NativeLibrary.Load(path);
    }
}

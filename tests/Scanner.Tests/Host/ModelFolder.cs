using Governance.Scanner.Artifacts;
using Governance.Scanner.Tests.Native;
using Governance.Scanner.Tests.TestModels;

namespace Governance.Scanner.Tests.Host;

/// <summary>A temporary models folder of random-weight <see cref="TinyLlama"/> files, deleted with the fixture.</summary>
public sealed class ModelFolder : IDisposable
{
    public string Dir { get; } = NativeTestEnvironment.TempDirectory();

    internal string Write(string fileName, TinyLlamaOptions? options = null)
    {
        var path = Path.Combine(Dir, fileName);
        TinyLlama.Write(path, options);
        return path;
    }

    internal static string Sha256(string path) => ArtifactHasher.Sha256Async(path).GetAwaiter().GetResult();

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

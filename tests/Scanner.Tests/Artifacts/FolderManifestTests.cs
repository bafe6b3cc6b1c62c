using System.Security.Cryptography;
using System.Text;
using Governance.Scanner.Artifacts;
using Governance.Scanner.Tests.Native;

namespace Governance.Scanner.Tests.Artifacts;

public sealed class FolderManifestTests : IDisposable
{
    private readonly string _dir = NativeTestEnvironment.TempDirectory();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void paths_sort_component_by_component_as_the_model_signing_tools_sort_them()
    {
        string[] paths = ["tokenizer.json", "tokenizer/merges.txt", "a-b", "a/b", "Z", "a", "é.txt", "z.txt"];

        var sorted = paths.Order(Comparer<string>.Create(FolderManifest.ComparePaths)).ToArray();

        // Python: sorted(PurePosixPath(p) for p in paths): "a" < "a/b" < "a-b"; "tokenizer/…" before "tokenizer.json"; code points.
        Assert.Equal(["Z", "a", "a/b", "a-b", "tokenizer/merges.txt", "tokenizer.json", "z.txt", "é.txt"], sorted);
    }

    [Fact]
    public async Task the_root_digest_is_sha256_over_the_raw_file_digests_in_order_and_ignored_paths_are_left_out()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "b.bin"), "bee");
        await File.WriteAllTextAsync(Path.Combine(_dir, "a.bin"), "ay");
        await File.WriteAllTextAsync(Path.Combine(_dir, ".gitattributes"), "*.bin filter=lfs");
        Directory.CreateDirectory(Path.Combine(_dir, ".cache", "huggingface"));
        await File.WriteAllTextAsync(Path.Combine(_dir, ".cache", "huggingface", "download.lock"), "");

        var manifest = await FolderManifest.ComputeAsync(_dir);

        Assert.Equal(["a.bin", "b.bin"], manifest.Resources.Select(r => r.Name));
        byte[] Digest(string s) => SHA256.HashData(Encoding.UTF8.GetBytes(s));
        Assert.Equal(Convert.ToHexStringLower(Digest("ay")), manifest.Resources[0].Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([.. Digest("ay"), .. Digest("bee")])), manifest.RootSha256);
        Assert.Equal(5, manifest.SizeBytes);
    }

    [Fact]
    public async Task a_linked_folder_is_not_followed_so_a_loop_cannot_hang_the_walk()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "model.safetensors"), "x");
        Directory.CreateSymbolicLink(Path.Combine(_dir, "loop"), _dir);

        var manifest = await FolderManifest.ComputeAsync(_dir);

        Assert.Equal(["model.safetensors"], manifest.Resources.Select(r => r.Name));
    }
}

using Governance.Scanner.Signing;
using Governance.Scanner.Tests.Native;

namespace Governance.Scanner.Tests.Signing;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the key file's Unix mode is what these tests check
public sealed class ScannerKeyTests : IDisposable
{
    private readonly string _dir = NativeTestEnvironment.TempDirectory();

    [Fact]
    public void the_key_is_created_on_first_use_readable_by_its_owner_only_and_reused_after()
    {
        var path = Path.Combine(_dir, "nested", "scanner-key.pem");

        using var first = ScannerKey.LoadOrCreate(path);
        using var second = ScannerKey.LoadOrCreate(path);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path));
        Assert.Equal(first.KeyId, second.KeyId);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", first.PublicKeyPem);
        Assert.Null(second.Warning);
    }

    [Fact]
    public void a_key_file_others_can_read_is_used_with_a_warning()
    {
        var path = Path.Combine(_dir, "scanner-key.pem");
        ScannerKey.LoadOrCreate(path).Dispose();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var key = ScannerKey.LoadOrCreate(path);

        Assert.Contains("chmod 600", key.Warning);
    }

    [Fact]
    public void a_file_that_is_not_a_p256_key_is_refused()
    {
        var path = Path.Combine(_dir, "scanner-key.pem");
        File.WriteAllText(path, "not a key");

        var error = Assert.Throws<InvalidOperationException>(() => ScannerKey.LoadOrCreate(path));

        Assert.Contains(path, error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

using System.Security.Cryptography;

namespace Governance.Scanner.Signing;

/// <summary>
/// The scanner's ECDSA P-256 signing key: made on first use and kept on this host as a PEM PKCS#8 file readable only
/// by its owner (0600), like an SSH host key. Its public half is what an admin registers with <c>POST /scanners</c>.
/// </summary>
internal sealed class ScannerKey : IDisposable
{
    public const string FileName = "scanner-key.pem";

    private ScannerKey(ECDsa key, string path, bool created, string? warning)
    {
        Key = key;
        Path = path;
        Created = created;
        Warning = warning;
    }

    public ECDsa Key { get; }
    public string Path { get; }

    /// <summary>True when this call made the key (the public key still has to be registered).</summary>
    public bool Created { get; }

    /// <summary>Set when the key file can be read by others than its owner.</summary>
    public string? Warning { get; }

    /// <summary>SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), the body of <c>POST /scanners</c>.</summary>
    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The DSSE key id the Api will know this key by.</summary>
    public string KeyId => Attestations.Dsse.KeyIdOf(Key.ExportSubjectPublicKeyInfo());

    /// <summary>Where the key lives unless configured: the scanner's data folder (~/.local/share/governance-scanner).</summary>
    public static string DefaultPath => System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "governance-scanner", FileName);

    public static ScannerKey LoadOrCreate(string? path = null)
    {
        path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(path) ? DefaultPath : path);
        if (File.Exists(path)) return Load(path);

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            // CreateNew with the mode set at creation: the private key is never on disk with wider permissions,
            // and two scanners starting at once cannot both write one.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(path, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(key.ExportPkcs8PrivateKeyPem());
            }
            return new ScannerKey(key, path, created: true, warning: null);
        }
        catch (IOException) when (File.Exists(path))
        {
            key.Dispose();
            return Load(path); // another process made it between our check and create
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static ScannerKey Load(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"{path} is not a PEM ECDSA private key: {e.Message}", e);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"{path} holds a {key.KeySize}-bit key; the scanner signs with P-256.");
        }
        string? warning = null;
        // Secrets mounted by orchestrators are often 0644; say so rather than refuse to start.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            warning = $"{path} can be read by other users; run: chmod 600 {path}";
        return new ScannerKey(key, path, created: false, warning);
    }

    public void Dispose() => Key.Dispose();
}

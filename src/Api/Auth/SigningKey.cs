using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Api.Auth;

/// <summary>
/// The symmetric key for locally issued tokens: <c>Governance:Auth:SigningKey</c> (base64) when configured,
/// else generated once into the data folder so tokens survive restarts.
/// </summary>
public static class SigningKey
{
    public const string Issuer = "governance-local";
    public const string Audience = "governance";

    public static SymmetricSecurityKey Resolve(IConfiguration configuration)
    {
        if (configuration["Governance:Auth:SigningKey"] is { Length: > 0 } configured)
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(configured); }
            catch (FormatException) { throw new InvalidOperationException("Governance:Auth:SigningKey is not valid base64."); }
            if (bytes.Length < 32) throw new InvalidOperationException("Governance:Auth:SigningKey must hold at least 32 bytes (256 bits).");
            return new SymmetricSecurityKey(bytes) { KeyId = "configured" };
        }

        var dataDir = DataDir(configuration);
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, "signing-key");
        if (!File.Exists(path))
        {
            var key = RandomNumberGenerator.GetBytes(64);
            // Create-new so that two processes starting at once don't overwrite each other's key.
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(path, options);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(key));
            }
            catch (IOException) when (File.Exists(path)) { }
        }
        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim())) { KeyId = "local" };
    }

    public static string DataDir(IConfiguration configuration) =>
        Path.GetFullPath(configuration["Governance:DataDir"] is { Length: > 0 } d ? d : ".governance");
}

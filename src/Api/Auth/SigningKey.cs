using System.Security.Cryptography;
using Governance.Api.Infrastructure;
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

    /// <remarks>The configured key's shape was checked with the options (<see cref="GovernanceOptions.Validator"/>).</remarks>
    public static SymmetricSecurityKey Resolve(GovernanceOptions governance)
    {
        if (governance.Auth.SigningKey is { Length: > 0 } configured)
            return new SymmetricSecurityKey(Convert.FromBase64String(configured)) { KeyId = "configured" };

        var dataDir = governance.DataPath;
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
}

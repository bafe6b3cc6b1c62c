namespace Governance.Api.Infrastructure;

/// <summary>
/// Versions travel as ETags (<c>"3"</c>). An <c>If-Match</c> pins a write to the version the client read; without one the
/// write is still guarded by the version the handler read, so two writers never both win.
/// </summary>
public static class ETag
{
    public static string Of(long version) => $"\"{version}\"";

    public static bool TryParse(string value, out long version)
    {
        var v = value.Trim();
        if (v.StartsWith("W/", StringComparison.Ordinal)) v = v[2..];
        return long.TryParse(v.Trim('"'), out version) && version > 0;
    }

    /// <summary>The version an <c>If-Match</c> header asks for, if any (validators have checked its shape).</summary>
    public static long? Expected(string? ifMatch) => ifMatch is not null && TryParse(ifMatch, out var version) ? version : null;

    public const string Invalid = "If-Match must be a version such as \"3\".";
}

namespace Governance.Api.Ui;

public static class ConsoleLinks
{
    /// <summary>A return address after sign-in: a console page of this site, never another site.</summary>
    public static string SafeReturn(string? url) =>
        url is { Length: > 0 } u && (u == ConsoleAuth.PathPrefix || u.StartsWith(ConsoleAuth.PathPrefix + "/", StringComparison.Ordinal))
        && !u.Contains('\\') && !u.Contains("//", StringComparison.Ordinal)
            ? u
            : ConsoleAuth.PathPrefix;

    public static string Deployment(Guid id) => $"{ConsoleAuth.PathPrefix}/deployments/{id}";
}

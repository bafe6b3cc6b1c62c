using Governance.Policies.Catalog;

namespace Governance.Policies.Tests;

/// <summary>The real catalog from the repository's policies/ folder, loaded once.</summary>
public static class TestCatalog
{
    private static readonly Lazy<LicenseCatalog> Lazy = new(() => LicenseCatalog.Parse(
        Directory.EnumerateFiles(Path.Combine(PoliciesDir, "licenses"), "*.yaml")
            .Select(f => new CatalogSource(Path.GetFileName(f), File.ReadAllText(f)))));

    public static LicenseCatalog Instance => Lazy.Value;

    public static License Get(string id) => Instance.Find(id) ?? throw new InvalidOperationException($"catalog has no '{id}'");

    public static string PoliciesDir
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Governance.sln")))
                    return Path.Combine(dir.FullName, "policies");
            throw new DirectoryNotFoundException("policies/ not found above " + AppContext.BaseDirectory);
        }
    }
}

using Governance.Policies.Catalog;

namespace Governance.Policies.Tests;

/// <summary>The real catalogs from the repository's policies/ folder (licenses and models), loaded once.</summary>
public static class TestCatalog
{
    private static readonly Lazy<LicenseCatalog> Lazy = new(() => LicenseCatalog.Parse(Sources("licenses")));

    private static readonly Lazy<ModelCatalog> LazyModels = new(() => ModelCatalog.Parse(Sources("models"), Instance));

    public static LicenseCatalog Instance => Lazy.Value;

    public static ModelCatalog Models => LazyModels.Value;

    public static License Get(string id) => Instance.Find(id) ?? throw new InvalidOperationException($"catalog has no '{id}'");

    public static CatalogModel Model(string repo) => Models.Find(repo) ?? throw new InvalidOperationException($"model catalog has no '{repo}'");

    private static IEnumerable<CatalogSource> Sources(string folder) =>
        Directory.EnumerateFiles(Path.Combine(PoliciesDir, folder), "*.yaml")
            .Select(f => new CatalogSource(Path.GetFileName(f), File.ReadAllText(f)));

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

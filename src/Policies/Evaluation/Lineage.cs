using Governance.Policies.Catalog;

namespace Governance.Policies.Evaluation;

/// <summary>
/// Where a deployment's model comes from, as the model catalog knows it: the catalog entry its repository id names
/// (<see cref="Model"/>), every license its lineage carries besides the declared one (<see cref="Inherited"/>: the
/// entry's own and attached licenses, then its base models', then theirs), and the names the catalog could not resolve.
/// A derivative carries its base model's license whatever license it is published under.
/// </summary>
public sealed record Lineage(
    CatalogModel? Model,
    IReadOnlyList<LineageTerms> Inherited,
    IReadOnlyList<string> Unresolved,
    IReadOnlyDictionary<string, CatalogModel> Carriers)
{
    public static readonly Lineage None = new(null, [], [], new Dictionary<string, CatalogModel>());

    /// <summary>The nearest catalogued model that carries a license: the one whose release date a license without a version date is anchored to.</summary>
    public CatalogModel? CarrierOf(string licenseId) => Carriers.GetValueOrDefault(licenseId);

    /// <summary>
    /// Resolves the lineage of a deployment's model: the catalog entry for <see cref="ModelFacts.Repo"/>, then, breadth
    /// first, the base models it and the deployment name (as repository ids, or names that identify one catalogued
    /// model), each license once (the nearest carrier wins). Pure: the same facts and catalogs give the same lineage.
    /// </summary>
    public static Lineage Resolve(ModelFacts model, ModelCatalog models, LicenseCatalog licenses)
    {
        var entry = string.IsNullOrWhiteSpace(model.Repo) ? null : models.Find(model.Repo);
        var unresolved = new List<string>();
        if (!string.IsNullOrWhiteSpace(model.Repo) && entry is null) unresolved.Add(model.Repo);

        var acknowledged = new HashSet<string>(StringComparer.Ordinal) { model.LicenseId };
        if (entry is not null) acknowledged.UnionWith(entry.LicenseIds);

        var inherited = new List<LineageTerms>();
        var carriers = new Dictionary<string, CatalogModel>(StringComparer.Ordinal);
        void Carry(string licenseId, CatalogModel carrier, IReadOnlyList<string> path)
        {
            if (!carriers.TryAdd(licenseId, carrier) || licenseId == model.LicenseId) return;
            inherited.Add(new LineageTerms(licenseId, licenses.Find(licenseId), carrier, path, acknowledged.Contains(licenseId)));
        }

        var start = entry?.Repo ?? model.Name;
        if (entry is not null)
            foreach (var id in entry.LicenseIds) Carry(id, entry, [entry.Repo]);

        var visited = new HashSet<string>(StringComparer.Ordinal);
        if (entry is not null) visited.Add(entry.Repo);
        var queue = new Queue<(string Name, IReadOnlyList<string> Path)>(
            model.BaseModels.Concat(entry?.BaseModels ?? []).Select(b => (b, (IReadOnlyList<string>)[start])));
        while (queue.TryDequeue(out var next))
        {
            var parent = models.FindByName(next.Name);
            if (parent is null)
            {
                if (!unresolved.Contains(next.Name, StringComparer.OrdinalIgnoreCase)) unresolved.Add(next.Name);
                continue;
            }
            if (!visited.Add(parent.Repo)) continue;
            IReadOnlyList<string> path = [.. next.Path, parent.Repo];
            foreach (var id in parent.LicenseIds) Carry(id, parent, path);
            foreach (var grandparent in parent.BaseModels) queue.Enqueue((grandparent, path));
        }
        return new Lineage(entry, inherited, unresolved, carriers);
    }
}

/// <summary>
/// A license a deployment's lineage carries besides the declared one: which catalogued model carries it
/// (<see cref="Carrier"/>), the path from the deployment to that model, and whether the deployed model itself
/// acknowledges it (its publisher lists it, or it is the catalog's license for the model).
/// </summary>
public sealed record LineageTerms(string LicenseId, License? License, CatalogModel Carrier, IReadOnlyList<string> Path, bool Acknowledged)
{
    public string Via => string.Join(" → ", Path);
}

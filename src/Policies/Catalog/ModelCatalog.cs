namespace Governance.Policies.Catalog;

/// <summary>
/// The validated set of catalogued models, one file per family in <c>policies/models/</c>. Architects register a model
/// by its repository id and the catalog supplies the facts a verdict depends on (license, release date, origin,
/// modality) and the base models whose licenses a derivative inherits. <see cref="Version"/> is a digest of the files,
/// as for the license catalog.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<string, CatalogModel> _byKey;
    private readonly Dictionary<string, CatalogModel?> _byName;

    public ModelCatalog(IEnumerable<CatalogModel> models, string version)
    {
        Models = models.OrderBy(m => m.Repo, StringComparer.OrdinalIgnoreCase).ToList();
        _byKey = new Dictionary<string, CatalogModel>(StringComparer.Ordinal);
        _byName = new Dictionary<string, CatalogModel?>(StringComparer.Ordinal);
        foreach (var model in Models)
            foreach (var name in model.Aliases.Prepend(model.Repo))
            {
                _byKey.TryAdd(Key(name), model);
                // A name two models share identifies neither.
                var key = ModelNames.Key(name);
                _byName[key] = _byName.TryGetValue(key, out var other) && other != model ? null : model;
            }
        Version = version;
    }

    public static readonly ModelCatalog Empty = new([], "sha256:" + new string('0', 16));

    public IReadOnlyList<CatalogModel> Models { get; }

    public string Version { get; }

    /// <summary>A model by its repository id or an alias, however it is cased or linked (<c>https://huggingface.co/…</c>).</summary>
    public CatalogModel? Find(string repo) => _byKey.GetValueOrDefault(Key(repo));

    /// <summary>
    /// A model by a name as a deployment or a model file writes it ("Llama 3.1 8B", "Llama-3.1-8B"): its repository id
    /// or an alias first, else the one catalogued model whose name reads the same without organisation, case or separators.
    /// </summary>
    public CatalogModel? FindByName(string name) => Find(name) ?? _byName.GetValueOrDefault(ModelNames.Key(name));

    /// <summary>
    /// Parses and validates model files given as (file name, text), against the license catalog their license ids must
    /// come from. Every problem in every file is reported at once, each naming its file.
    /// </summary>
    public static ModelCatalog Parse(IEnumerable<CatalogSource> sources, LicenseCatalog licenses)
    {
        var list = sources.OrderBy(s => s.FileName, StringComparer.Ordinal).ToList();
        var errors = new List<CatalogError>();
        var models = new List<(CatalogModel Model, string File)>();
        foreach (var source in list)
            models.AddRange(ModelFile.Read(source, licenses, errors).Select(m => (m, source.FileName)));

        var byKey = new Dictionary<string, (CatalogModel Model, string File)>(StringComparer.Ordinal);
        foreach (var entry in models)
            foreach (var name in entry.Model.Aliases.Prepend(entry.Model.Repo))
                if (!byKey.TryAdd(Key(name), entry) && !ReferenceEquals(byKey[Key(name)].Model, entry.Model))
                    errors.Add(new CatalogError(LicenseCatalog.Files([byKey[Key(name)].File, entry.File]),
                        $"model '{name}' is defined more than once"));

        foreach (var (model, file) in models)
            foreach (var baseModel in model.BaseModels.Where(b => !byKey.ContainsKey(Key(b))))
                errors.Add(new CatalogError(file, $"model '{model.Repo}' names base model '{baseModel}', which the catalog does not hold"));

        foreach (var (model, file) in models.Where(m => LeadsBackTo(m.Model, m.Model, byKey, [])))
            errors.Add(new CatalogError(file, $"model '{model.Repo}' is its own ancestor through its base models"));

        if (list.Count == 0) errors.Add(new CatalogError("(models)", "no model files were found"));
        if (errors.Count > 0) throw new CatalogException(errors, "model catalog");
        return new ModelCatalog(models.Select(m => m.Model), LicenseCatalog.VersionOf(list));
    }

    private static bool LeadsBackTo(CatalogModel start, CatalogModel current, Dictionary<string, (CatalogModel Model, string File)> byKey, HashSet<string> seen)
    {
        foreach (var name in current.BaseModels)
        {
            if (!byKey.TryGetValue(Key(name), out var parent)) continue;
            if (ReferenceEquals(parent.Model, start)) return true;
            if (seen.Add(parent.Model.Repo) && LeadsBackTo(start, parent.Model, byKey, seen)) return true;
        }
        return false;
    }

    /// <summary>Repository ids are case-insensitive on the hub, and people paste them as links.</summary>
    internal static string Key(string repo)
    {
        var s = repo.Trim().TrimEnd('/');
        foreach (var prefix in (string[])["https://huggingface.co/", "http://huggingface.co/", "huggingface.co/", "hf.co/"])
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) s = s[prefix.Length..];
        return s.ToLowerInvariant();
    }
}

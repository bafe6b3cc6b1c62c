using System.Security.Cryptography;
using System.Text;

namespace Governance.Policies.Catalog;

/// <summary>
/// The validated set of licenses. Its <see cref="Version"/> is a digest of the source files, so every assessment
/// can say exactly which catalog text it was made against.
/// </summary>
public sealed class LicenseCatalog
{
    private readonly Dictionary<string, License> _byId;

    public LicenseCatalog(IEnumerable<License> licenses, string version)
    {
        _byId = licenses.ToDictionary(l => l.Id, StringComparer.Ordinal);
        Licenses = _byId.Values.OrderBy(l => l.Id, StringComparer.Ordinal).ToList();
        Version = version;
    }

    public IReadOnlyList<License> Licenses { get; }

    public string Version { get; }

    public License? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// Parses and validates catalog files given as (file name, text). Every problem in every file is collected
    /// and reported at once, each naming its file, so a broken catalog is fixed in one pass.
    /// </summary>
    public static LicenseCatalog Parse(IEnumerable<CatalogSource> sources)
    {
        var list = sources.OrderBy(s => s.FileName, StringComparer.Ordinal).ToList();
        var errors = new List<CatalogError>();
        var licenses = new List<(License License, string File)>();
        foreach (var source in list)
        {
            var license = LicenseFile.Read(source, errors);
            if (license is not null) licenses.Add((license, source.FileName));
        }

        // Duplicates are reported against the files that hold them, so they can be found and fixed.
        foreach (var duplicate in licenses.GroupBy(l => l.License.Id).Where(g => g.Count() > 1))
            errors.Add(new CatalogError(Files(duplicate.Select(d => d.File)), $"license id '{duplicate.Key}' is defined more than once"));
        foreach (var duplicate in licenses.SelectMany(l => l.License.Clauses.Select(c => (l.File, ClauseId: c.Id))).GroupBy(x => x.ClauseId).Where(g => g.Count() > 1))
            errors.Add(new CatalogError(Files(duplicate.Select(d => d.File)), $"clause id '{duplicate.Key}' is used more than once"));

        if (list.Count == 0) errors.Add(new CatalogError("(catalog)", "no license files were found"));
        if (errors.Count > 0) throw new CatalogException(errors);
        return new LicenseCatalog(licenses.Select(l => l.License), VersionOf(list));
    }

    internal static string Files(IEnumerable<string> files) => string.Join(", ", files.Distinct(StringComparer.Ordinal));

    /// <summary><c>sha256:</c> and 16 hex digits over every file's name and text, in file-name order.</summary>
    internal static string VersionOf(IEnumerable<CatalogSource> sources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var source in sources)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(source.FileName));
            hash.AppendData([0]);
            // Line endings must not change the version: a Windows checkout is the same catalog.
            hash.AppendData(Encoding.UTF8.GetBytes(source.Text.Replace("\r\n", "\n")));
            hash.AppendData([0]);
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}

public sealed record CatalogSource(string FileName, string Text);

public sealed record CatalogError(string File, string Problem)
{
    public override string ToString() => $"{File}: {Problem}";
}

public sealed class CatalogException(IReadOnlyList<CatalogError> errors, string catalog = "license catalog")
    : Exception($"The {catalog} is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<CatalogError> Errors { get; } = errors;
}

namespace Governance.Policies.Catalog;

/// <summary>
/// One license as the catalog knows it: who grants it, where the text lives, and its clauses. <see cref="VersionDate"/>
/// is the date the license text itself names for its version ("Llama 3.1 Version Release Date: July 23, 2024"), which
/// anchors a release-snapshot threshold whatever date a fine-tune or a point release carries.
/// </summary>
public sealed record License(
    string Id,
    string Name,
    string Licensor,
    string Country,
    Uri Source,
    Confidence Confidence,
    string? GoverningLaw,
    IReadOnlyList<Clause> Clauses,
    DateOnly? VersionDate = null)
{
    public Clause? FindClause(string clauseId) => Clauses.FirstOrDefault(c => c.Id == clauseId);
}

/// <summary>
/// How sure the catalog is of an entry: <c>verified</c> against the license text,
/// <c>secondary</c> from third-party copies or summaries, <c>unverified</c> where nobody has checked.
/// </summary>
public enum Confidence { Verified, Secondary, Unverified }

/// <summary>A clause: a stable id, a summary in our words, where it comes from, and the rule it encodes.</summary>
public sealed record Clause(string Id, string Title, string Summary, string? Source, Confidence Confidence, Rule Rule);

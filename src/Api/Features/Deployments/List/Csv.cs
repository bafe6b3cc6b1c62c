using System.Text;
using Governance.Policies;

namespace Governance.Api.Features.Deployments.List;

/// <summary>The portfolio as CSV (RFC 4180), one row per deployment the filter shows.</summary>
public static class Csv
{
    private static readonly string[] Header =
        ["id", "name", "model", "license", "status", "verdict", "origin", "regions", "data_classes", "attestation", "next_waiver_expiry", "registered_at"];

    public static string Portfolio(IEnumerable<DeploymentView> deployments)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Header).Append("\r\n");
        foreach (var d in deployments)
        {
            string[] cells =
            [
                d.Id.ToString(), d.Name, d.Model.Name, d.Model.LicenseId, Naming.Snake(d.Status),
                d.Assessment is { } a ? Naming.Snake(a.Verdict) : "", d.Model.Origin, string.Join(' ', d.Usage.Regions),
                string.Join(' ', d.Usage.DataClasses), PortfolioPage.AttestationWords(d), d.NextWaiverExpiry?.ToString("yyyy-MM-dd") ?? "",
                d.RegisteredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ];
            sb.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
        }
        return sb.ToString();
    }

    /// <summary>Quotes where needed; a leading = + - @ is neutralised so a spreadsheet never runs a name as a formula.</summary>
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}

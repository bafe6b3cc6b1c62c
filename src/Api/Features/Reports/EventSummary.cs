using System.Globalization;
using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Policies;

namespace Governance.Api.Features.Reports;

/// <summary>One line per event for the audit-trail tables: what happened, in words.</summary>
public static class EventSummary
{
    public static string Of(object data) => data switch
    {
        DeploymentRegistered e => $"Registered {e.Model.Name} under license {e.Model.LicenseId}; {Naming.Snake(e.Usage.Hosting)}, " +
                                  $"{(e.Usage.Commercial ? "commercial" : "non-commercial")}, regions {string.Join(", ", e.Usage.Regions)}",
        DeploymentAssessed e => $"Assessed ({e.Trigger}): {Naming.Words(e.Verdict)}, {e.Findings.Count(f => f.Severity != Policies.Evaluation.Severity.Info)} open finding(s); catalog {e.CatalogVersion}",
        DeploymentUsageReported e => $"Usage reported: {(e.Changed.Count == 0 ? "no change" : string.Join(", ", e.Changed) + " changed")}",
        DeploymentApproved e => $"Approved: {e.Justification}{(e.Waivers.Count == 0 ? "" : $" ({e.Waivers.Count} waiver(s))")}",
        DeploymentRejected e => $"Rejected: {e.Justification}",
        WaiverLapsed e => $"Waiver for {e.FindingCode} lapsed (expired {e.ExpiredOn:yyyy-MM-dd})",
        DeploymentReviewRequired e => $"Review required: {e.Reason}",
        DeploymentRetired e => $"Retired{(e.Reason is null ? "" : ": " + e.Reason)}",
        ScanLeased e => $"Leased for scanning until {e.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
        DeploymentAttested e => $"Attested by scanner {e.ScannerName} (key {e.KeyId[..Math.Min(e.KeyId.Length, 23)]}…), artifact sha256:{e.Predicate.Artifact.Sha256}",
        AttestationWithdrawn e => $"Attestation withdrawn: {e.Reason}",
        ScanFailed e => $"Scan failed ({e.Code}): {e.Message}",
        CompanyProfileSet e => $"Company profile: {e.Name}, domiciled in {e.Domicile}",
        CompanyUsageReported e => $"Company usage for {e.Month}: {e.MonthlyActiveUsers:N0} MAU, ${e.MonthlyRevenueUsd:N0} revenue",
        CompanyRulesAdopted e => $"Company rules adopted: {e.Residency.Count} residency rule(s), denied origins [{string.Join(", ", e.DeniedOrigins)}], attestation {(e.AttestationRequired ? "required" : "optional")}",
        _ => data.GetType().Name,
    };
}

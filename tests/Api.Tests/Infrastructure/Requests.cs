namespace Governance.Api.Tests.Infrastructure;

/// <summary>Request bodies as an architect would send them; tests override what they are about.</summary>
public static class Requests
{
    public static readonly string Sha = new('a', 64);

    public static object Deployment(
        string name = "Support assistant (EU)", string licenseId = "llama3.1", string release = "2024-07-23", string origin = "US",
        string modality = "text", bool commercial = true, string hosting = "saas", string[]? regions = null, string[]? dataClasses = null,
        bool displaysAttribution = true, long productUsers = 250_000, string[]? fieldsOfUse = null) => new
    {
        name,
        model = new
        {
            name = "Meta-Llama-3.1-8B-Instruct", licenseId, releaseDate = release, origin, modality, artifactSha256 = Sha,
            isDerivative = false, baseModels = Array.Empty<string>(),
        },
        usage = new
        {
            commercial, hosting, regions = regions ?? ["eu-west-1"], dataClasses = dataClasses ?? ["personal"], displaysAttribution,
            trainsOtherModels = false, fieldsOfUse = fieldsOfUse ?? ["customer-support"], monthlyActiveUsers = productUsers,
        },
    };
}

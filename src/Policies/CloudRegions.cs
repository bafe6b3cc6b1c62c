namespace Governance.Policies;

/// <summary>
/// The country each cloud region runs in, for license terms that turn on where a model is used (Tencent Hunyuan does
/// not apply in the EU, the United Kingdom or South Korea). Only regions whose country is public and unambiguous are
/// listed (Amazon Web Services' region codes, as AWS names them: "Europe (London)" is eu-west-2); for any other region
/// the country is unknown and a term that needs it stays open rather than being guessed from a prefix: eu-west-2 is
/// in the United Kingdom, which is not in the EU.
/// </summary>
public static class CloudRegions
{
    private static readonly Dictionary<string, string> Countries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["us-east-1"] = "US", ["us-east-2"] = "US", ["us-west-1"] = "US", ["us-west-2"] = "US",
        ["ca-central-1"] = "CA", ["sa-east-1"] = "BR", ["af-south-1"] = "ZA", ["me-south-1"] = "BH", ["me-central-1"] = "AE",
        ["eu-west-1"] = "IE", ["eu-west-2"] = "GB", ["eu-west-3"] = "FR", ["eu-central-1"] = "DE",
        ["eu-north-1"] = "SE", ["eu-south-1"] = "IT",
        ["ap-east-1"] = "HK", ["ap-south-1"] = "IN", ["ap-northeast-1"] = "JP", ["ap-northeast-2"] = "KR",
        ["ap-northeast-3"] = "JP", ["ap-southeast-1"] = "SG", ["ap-southeast-2"] = "AU", ["ap-southeast-3"] = "ID",
        ["cn-north-1"] = "CN", ["cn-northwest-1"] = "CN",
    };

    /// <summary>The ISO 3166-1 alpha-2 country of a region, or <c>null</c> when the table doesn't know the region.</summary>
    public static string? CountryOf(string region) => Countries.GetValueOrDefault(region.Trim());
}

using FluentValidation;
using Governance.Api.Infrastructure;
using Governance.Policies;

namespace Governance.Api.Features.Deployments;

/// <summary>How the product uses the model, as the architect declares it. Shared by registration and usage reports.</summary>
public sealed class UsageRequest
{
    /// <summary>Whether the deployment serves a commercial purpose.</summary>
    public bool? Commercial { get; set; }
    /// <summary><c>internal</c>, <c>saas</c> (offered to others as a service) or <c>redistributed</c> (weights shipped).</summary>
    public Hosting? Hosting { get; set; }
    /// <summary>Cloud regions where the model runs, e.g. <c>eu-west-1</c>.</summary>
    public List<string>? Regions { get; set; }
    /// <summary>Classes of data the model processes, e.g. <c>personal</c>, <c>financial</c>.</summary>
    public List<string>? DataClasses { get; set; }
    public bool? DisplaysAttribution { get; set; }
    public bool? TrainsOtherModels { get; set; }
    /// <summary>Fields of use, e.g. <c>customer-support</c>, <c>medical-advice</c>, <c>military</c>.</summary>
    public List<string>? FieldsOfUse { get; set; }
    /// <summary>The product's own monthly active users. Undeclared, a license test that needs it stays open.</summary>
    public long? MonthlyActiveUsers { get; set; }
    /// <summary><c>production</c> (default), <c>research</c> or <c>evaluation</c>.</summary>
    public Purpose? Purpose { get; set; }
    /// <summary>The product's own monthly revenue in USD (Kimi K2's branding duty counts it).</summary>
    public decimal? MonthlyRevenueUsd { get; set; }
    /// <summary>Whether third parties get the model itself as an inference or fine-tuning API (Falcon-180B's "Hosting Use"), not only a product built on it.</summary>
    public bool? OffersModelApi { get; set; }
    /// <summary>ISO 3166-1 alpha-2 countries the product's users are in (territorial licenses such as Hunyuan's).</summary>
    public List<string>? UserCountries { get; set; }
}

/// <summary>Shape only; what the facts mean for a license is the evaluator's.</summary>
public sealed class UsageValidator : AbstractValidator<UsageRequest>
{
    private const int MaxItems = InputLimits.MaxListItems;

    /// <summary>Every country there is: a product may well have users everywhere.</summary>
    private const int MaxCountries = 250;

    public UsageValidator(bool forRegistration)
    {
        if (forRegistration)
        {
            RuleFor(x => x.Commercial).NotNull().WithMessage("'commercial' is required: say whether the deployment serves a commercial purpose.");
            RuleFor(x => x.Hosting).NotNull().WithMessage("'hosting' is required: internal, saas or redistributed.");
            RuleFor(x => x.Regions).NotEmpty().WithMessage("'regions' must list at least one region.");
        }
        RuleFor(x => x.Regions).Must(l => l is null || l.Count <= MaxItems).WithMessage($"At most {MaxItems} regions.");
        RuleFor(x => x.DataClasses).Must(l => l is null || l.Count <= MaxItems).WithMessage($"At most {MaxItems} data classes.");
        RuleFor(x => x.FieldsOfUse).Must(l => l is null || l.Count <= MaxItems).WithMessage($"At most {MaxItems} fields of use.");
        RuleForEach(x => x.Regions).NotEmpty().Matches("^[a-z0-9][a-z0-9-]{0,62}$")
            .WithMessage("Each region must be a cloud region name such as 'eu-west-1' (lowercase letters, digits, '-').");
        RuleForEach(x => x.DataClasses).NotEmpty().Matches("^[a-z0-9][a-z0-9_-]{0,62}$")
            .WithMessage("Each data class must be a lowercase tag such as 'personal'.");
        RuleForEach(x => x.FieldsOfUse).NotEmpty().Matches("^[a-z0-9][a-z0-9-]{0,62}$")
            .WithMessage("Each field of use must be a lowercase kebab-case tag such as 'customer-support'.");
        RuleFor(x => x.MonthlyActiveUsers).GreaterThanOrEqualTo(0);
        RuleFor(x => x.MonthlyRevenueUsd).GreaterThanOrEqualTo(0);
        RuleFor(x => x.UserCountries).Must(l => l is null || l.Count <= MaxCountries).WithMessage($"At most {MaxCountries} user countries.");
        RuleForEach(x => x.UserCountries).Must(Countries.IsCountry).WithMessage("Each user country must be an ISO 3166-1 alpha-2 code in upper case, e.g. 'DE'.");
        RuleFor(x => x.Hosting).IsInEnum();
        RuleFor(x => x.Purpose).IsInEnum();
    }
}

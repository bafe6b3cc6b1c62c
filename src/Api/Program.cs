using FastEndpoints;
using FluentValidation.Results;
using Governance.Api.Auth;
using Governance.Api.Features.Company;
using Governance.Api.Features.Deployments;
using Governance.Api.Features.Reassessment;
using Governance.Api.Features.Reports;
using Governance.Api.Features.Scanners;
using Governance.Api.Infrastructure;
using Governance.Api.Ui;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

GovernanceOptions governance;
PolicySet policies;
try
{
    governance = GovernanceOptions.From(builder.Configuration);
    if (args is ["token", ..]) return Tokens.RunCommand(args, governance);
    policies = PolicySet.Load(PolicySet.Locate(governance));
}
catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or Governance.Policies.Catalog.CatalogException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("Governance did not start: fix the configuration or the policies folder and start again.");
    return 1;
}

// Validation messages name fields as the JSON does ('artifactSha256', not 'Artifact Sha256').
FluentValidation.ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
    member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);

builder.Services.AddOptions<GovernanceOptions>().BindConfiguration(GovernanceOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<GovernanceOptions>, GovernanceOptions.Validator>();
builder.Services.AddSingleton(policies);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => Database.Resolve(sp.GetRequiredService<IConfiguration>(),
    sp.GetRequiredService<IOptions<GovernanceOptions>>().Value, sp.GetRequiredService<ILogger<Database>>()));
builder.Services.AddScoped<RequestTransaction>();
builder.Services.AddHostedService<PostgresSupervisor>();
builder.Services.AddHostedService<StartupNotes>();
builder.Services.AddScoped<DeploymentHandler>();
builder.Services.AddScoped<CompanyHandler>();
builder.Services.AddScoped<ScannerHandler>();
builder.Services.AddSingleton<ReportRendering>();
builder.Services.AddSingleton<SweepService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<SweepService>());
builder.Services.AddSingleton<Reassessor>();

builder.Services.AddMarten(sp => MartenSetup.Options(sp.GetRequiredService<Database>().ConnectionString, sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<IOptions<GovernanceOptions>>().Value.Events.Mode))
    // Lightweight sessions, enlisted in the request's transaction when it has one (Idempotency-Key: see IdempotencyMiddleware).
    .BuildSessionsWith<RequestSessions>(ServiceLifetime.Scoped)
    .ApplyAllDatabaseChangesOnStartup()
    // Background re-assessment runs on one replica at a time; another takes over when it stops (see docs/architecture.md).
    .AddSubscriptionWithServices<ReassessmentSubscription>(ServiceLifetime.Singleton)
    .AddAsyncDaemon(JasperFx.Events.Daemon.DaemonMode.HotCold);
// After Marten's own start-up work, which creates the tables they tune and fill.
builder.Services.AddHostedService<StorageTuning>();
builder.Services.AddHostedService<Governance.Api.Features.Deployments.List.DeploymentSearchBackfill>();

builder.Services.AddGovernanceAuth();
builder.Services.AddTokenProblems();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemFields.Name);
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
builder.Services.AddFastEndpoints();
builder.Services.AddGovernanceOpenApi();
builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);
builder.AddConsole();

builder.WebHost.ConfigureKestrel(RequestGuard.ConfigureKestrel);

var app = builder.Build();
app.Services.GetRequiredService<ReportRendering>().CheckFonts();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestGuard>();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<IdempotencyMiddleware>();
app.UseFastEndpoints(c =>
{
    c.Errors.UseProblemDetails();
    Json.Configure(c.Serializer.Options);
    // Malformed JSON is the caller's error: say where it broke, as a field error.
    c.Binding.JsonExceptionTransformer = ex => new ValidationFailure(
        ex.Path is null or "$" ? "body" : ex.Path.TrimStart('$', '.'),
        $"Malformed JSON{(ex.LineNumber is { } line ? $" at line {line + 1}, position {ex.BytePositionInLine + 1}" : "")}: {ex.Message}");
});
app.MapOpenApi();
app.MapScalarApiReference("/docs", o => o.WithTitle("Governance API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponses.WriteAsync });
app.MapConsole();

await app.RunAsync();
return 0;

public partial class Program;

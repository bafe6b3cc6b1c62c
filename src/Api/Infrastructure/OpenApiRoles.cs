using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Governance.Api.Infrastructure;

/// <summary>Endpoint metadata naming the roles allowed, so the OpenAPI document can say who may call what.</summary>
public sealed record AllowedRoles(IReadOnlyList<string> Roles);

public static class OpenApiSetup
{
    public static IServiceCollection AddGovernanceOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        // Every use case names its DTOs Request/Response; the folder makes them unique (DecideRequest, ListResponse).
        o.CreateSchemaReferenceId = type => OpenApiOptions.CreateDefaultSchemaReferenceId(type) is { } id
            && type.Type.Namespace?.StartsWith("Governance.Api.Features.", StringComparison.Ordinal) == true
            && type.Type.Namespace.Split('.') is { Length: > 4 } parts
            ? parts[^1] + id
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Governance API",
                Version = "v1",
                Description = "Decides whether the company may deploy an open-weight model, keeps the evidence, and proves it to auditors. " +
                              "Authenticate with a JWT bearer token whose `role` claim is architect, legal, auditor, scanner or admin.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "A token with a `role` claim. Locally: `dotnet run --project src/Api -- token --role legal --name \"Dana Legal\"`.",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<FastEndpoints.EndpointDefinition>().FirstOrDefault() is { } definition)
            {
                operation.Summary ??= definition.EndpointSummary?.Summary;
                // The feature folder (Deployments, Company, Licenses) groups operations in the reference page.
                var area = definition.EndpointType.Namespace?.Split('.') is { Length: > 3 } ns ? ns[3] : null;
                if (area is not null) operation.Tags = new HashSet<OpenApiTagReference> { new(area, context.Document) };
            }
            var roles = metadata.OfType<AllowedRoles>().LastOrDefault();
            if (roles is null) return Task.CompletedTask;
            operation.Description = $"{operation.Description}\n\n**Roles:** {string.Join(", ", roles.Roles)}".Trim();
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-roles"] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray(roles.Roles.Select(r => (System.Text.Json.Nodes.JsonNode)r!).ToArray()));
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] }];
            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The token's role is not one of: {string.Join(", ", roles.Roles)}." });
            return Task.CompletedTask;
        });
    });
}

public static class EndpointAccess
{
    /// <summary>Restricts an endpoint to roles and records them for the OpenAPI document.</summary>
    public static void Allow(this FastEndpoints.BaseEndpoint endpoint, params string[] roles)
    {
        endpoint.Definition.Roles(roles);
        endpoint.Definition.Options(b => b.WithMetadata(new AllowedRoles(roles)));
    }
}

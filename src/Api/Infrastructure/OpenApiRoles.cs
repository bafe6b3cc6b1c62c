using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Governance.Api.Infrastructure;

/// <summary>Endpoint metadata naming the roles allowed, so the OpenAPI document can say who may call what.</summary>
public sealed record AllowedRoles(IReadOnlyList<string> Roles);

/// <summary>The route is kept for compatibility and will be removed: the OpenAPI document marks it deprecated.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class DeprecatedAttribute : Attribute;

public static class OpenApiSetup
{
    public static IServiceCollection AddGovernanceOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        // Every use case names its DTOs Request/Response; the area and folder make them unique (DeploymentsRegisterRequest,
        // ScannersRegisterRequest): the folder alone is not, and two bodies under one name made the document describe one wrongly.
        o.CreateSchemaReferenceId = type => OpenApiOptions.CreateDefaultSchemaReferenceId(type) is { } id
            && type.Type.Namespace?.StartsWith("Governance.Api.Features.", StringComparison.Ordinal) == true
            && type.Type.Namespace.Split('.') is { Length: > 4 } parts
            ? parts[^2] + parts[^1] + id
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
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas["ProblemDetails"] = ProblemSchema();
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
            WordProblems(operation, context.Document);
            if (metadata.OfType<FastEndpoints.EndpointDefinition>().FirstOrDefault()?.EndpointType.GetCustomAttributes(typeof(DeprecatedAttribute), false).Length > 0)
                operation.Deprecated = true;
            var roles = metadata.OfType<AllowedRoles>().LastOrDefault();
            if (roles is null) return Task.CompletedTask;
            operation.Description = $"{operation.Description}\n\n**Roles:** {string.Join(", ", roles.Roles)}".Trim();
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-roles"] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray(roles.Roles.Select(r => (System.Text.Json.Nodes.JsonNode)r!).ToArray()));
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] }];
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["401"] = Problem(context.Document, "No valid bearer token.");
            operation.Responses["403"] = Problem(context.Document, $"The token's role is not one of: {string.Join(", ", roles.Roles)}.");
            return Task.CompletedTask;
        });
    });

    // Endpoints declare their responses the standard way (Produces / ProducesProblem); this only says what each refusal means.
    private static readonly Dictionary<string, string> Refusals = new()
    {
        ["400"] = "Malformed JSON or invalid fields: problem details whose `errors` name each field (JSON path) and what is wrong.",
        ["404"] = "No such resource (or it did not exist at `asOf`).",
        ["409"] = "Conflict: the resource changed since the version read (If-Match / stream version), it was already decided or retired, " +
                  "or the request is a replay. Read again and retry.",
        ["413"] = "The upload is too large.",
        ["422"] = "Understood but refused by a business rule (e.g. approving with an unwaived blocking finding, a signature that does not verify).",
        ["503"] = "A dependency is missing (e.g. the fonts reports are set in).",
    };

    private static void WordProblems(OpenApiOperation operation, OpenApiDocument? document)
    {
        foreach (var (status, response) in operation.Responses ?? [])
            if (Refusals.TryGetValue(status, out var words) && response is OpenApiResponse problem)
            {
                problem.Description = words;
                problem.Content = Problem(document, words).Content;
            }
    }

    private static OpenApiResponse Problem(OpenApiDocument? document, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
        },
    };

    /// <summary>RFC 9457 problem details as this API writes them, with per-field <c>errors</c> for 400s.</summary>
    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["name"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The field, as a JSON path (model.artifactSha256)." },
                        ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };
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

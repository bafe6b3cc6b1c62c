using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Governance.Api.Infrastructure;

/// <summary>Ready means PostgreSQL answers: without it nothing can be recorded.</summary>
public sealed class PostgresHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.", ex);
        }
    }
}

/// <summary>
/// What readiness answers: <c>Healthy</c> as plain text (what probes compare), or a 503 problem with <c>Retry-After</c>
/// naming what is not ready, so a load balancer and a person reading it both learn why.
/// </summary>
public static class HealthResponses
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("Healthy");
            return;
        }
        DatabaseUnavailable.AddRetryAfter(context.Response);
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description}{(e.Value.Exception is { } ex ? $" ({ex.GetBaseException().Message})" : "")}");
        await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready",
            detail: string.Join(" ", failing)).ExecuteAsync(context);
    }
}

using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Governance.Api.Infrastructure;

/// <summary>
/// Exceptions that reach the top become problem details. Lost races on a stream version are 409s:
/// the caller read a state that has since moved on and must read again.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            ConcurrencyException => (409, "Concurrent change",
                "Another request changed this resource first. Read it again and retry with the new version."),
            // Two first writes to a stream that did not exist yet (the company, on a fresh install): the same lost race.
            Marten.Exceptions.ExistingStreamIdCollisionException => (409, "Concurrent change",
                "Another request created this resource first. Read it again and retry."),
            DocumentAlreadyExistsException => (409, "Duplicate request in progress",
                "A request with the same Idempotency-Key was being processed at the same time. Retry to get its response."),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            Governance.Pdf.FontsMissingException fonts => (503, "Reports unavailable", fonts.Message),
            _ when DatabaseUnavailable.Is(exception) => (503, DatabaseUnavailable.Title, DatabaseUnavailable.Detail),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed request", null),
            // Nothing says whether a write got as far as its commit: claiming either outcome could be a lie.
            _ => (500, "Internal server error", "The error was logged. A write may or may not have been recorded: read the resource, " +
                "or retry with the same Idempotency-Key, which answers the original outcome."),
        };
        if (status == 500) log.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
        else log.LogInformation("{Method} {Path} answered {Status}: {Message}", context.Request.Method, context.Request.Path, status, exception.Message);
        if (context.Response.HasStarted) return false;
        context.Response.StatusCode = status;
        if (title == DatabaseUnavailable.Title) DatabaseUnavailable.AddRetryAfter(context.Response);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
            Exception = exception,
        });
    }
}

public static class Problem
{
    /// <summary>A problem details result for refusals decided by the domain (404, 409, 422).</summary>
    public static IResult Of(int status, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static IResult DeploymentNotFound(Guid id) => Of(404, "Deployment not found", $"No deployment has id {id}.");
}

/// <summary>
/// Refusals the framework writes without a body of their own (status code pages: 401, 403, 404, 405, 415 ...) name what
/// the caller must change, in the <c>errors: [{name, reason}]</c> shape every field error has.
/// </summary>
public static class ProblemFields
{
    public static void Name(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("errors")) return;
        var (name, reason) = problem.Status switch
        {
            401 => ("Authorization", "Send a valid bearer token (Authorization: Bearer ...)."),
            403 => ("Authorization", "The token's role may not do this (see x-roles in the OpenAPI document)."),
            404 => ("path", problem.Detail ?? "Nothing is at this path."),
            405 => ("method", $"{context.HttpContext.Request.Method} is not allowed here."),
            406 => ("Accept", "This resource is not available in the media type asked for."),
            411 => ("Content-Length", "Say how long the body is."),
            413 => ("body", problem.Detail ?? "The body is too large."),
            414 => ("path", "The path and query are too long."),
            415 => ("Content-Type", "Send the body as application/json (or the media type the operation names)."),
            431 => ("headers", "The request headers are too large."),
            _ => ((string?)null, (string?)null),
        };
        if (name is null) return;
        problem.Extensions["errors"] = new[] { new { name, reason } };
    }
}

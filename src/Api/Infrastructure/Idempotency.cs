using System.Security.Cryptography;
using Marten;

namespace Governance.Api.Infrastructure;

/// <summary>The stored outcome of a POST made with an <c>Idempotency-Key</c>.</summary>
public sealed class IdempotencyRecord
{
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public bool Completed { get; set; }
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public byte[] Body { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A client retrying a POST with the same <c>Idempotency-Key</c> gets the original response and nothing is recorded twice.
/// The key is reserved in the request's own Marten session, so it commits in the same transaction as the
/// events: either both are stored or neither. Keys are scoped to the caller and the route.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, IDocumentStore store, TimeProvider clock)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(Header, out var values)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > 255)
        {
            await Problem.Of(400, "Invalid Idempotency-Key", "The Idempotency-Key header must hold 1 to 255 characters.").ExecuteAsync(context);
            return;
        }

        context.Request.EnableBuffering();
        var requestHash = Convert.ToHexStringLower(await SHA256.HashDataAsync(context.Request.Body, context.RequestAborted));
        context.Request.Body.Position = 0;
        var id = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            $"{Actor.From(context.User).Id}\n{context.Request.Path}\n{key}")));

        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<IdempotencyRecord>(id, context.RequestAborted) is { } existing)
            {
                await Replay(context, existing, requestHash);
                return;
            }
        }

        var record = new IdempotencyRecord { Id = id, RequestHash = requestHash, CreatedAt = clock.GetUtcNow() };
        // The request's own scoped session: the endpoint's SaveChanges commits the reservation with its events.
        context.RequestServices.GetRequiredService<IDocumentSession>().Insert(record);

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        // Only a success wrote anything; failures are not remembered, so a corrected retry can succeed.
        if (context.Response.StatusCode is >= 200 and < 300)
        {
            record.Completed = true;
            record.StatusCode = context.Response.StatusCode;
            record.ContentType = context.Response.ContentType;
            record.Location = context.Response.Headers.Location;
            record.ETag = context.Response.Headers.ETag;
            record.Body = buffer.ToArray();
            await using var write = store.LightweightSession();
            write.Store(record);
            await write.SaveChangesAsync(CancellationToken.None);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task Replay(HttpContext context, IdempotencyRecord existing, string requestHash)
    {
        if (existing.RequestHash != requestHash)
        {
            await Problem.Of(422, "Idempotency-Key reused",
                "This Idempotency-Key was already used with a different request body. Use a new key for a new request.").ExecuteAsync(context);
            return;
        }
        if (!existing.Completed)
        {
            await Problem.Of(409, "Request in progress",
                "A request with this Idempotency-Key is still being processed. Retry shortly.").ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = existing.StatusCode;
        if (existing.ContentType is not null) context.Response.ContentType = existing.ContentType;
        if (existing.Location is not null) context.Response.Headers.Location = existing.Location;
        if (existing.ETag is not null) context.Response.Headers.ETag = existing.ETag;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        await context.Response.Body.WriteAsync(existing.Body, context.RequestAborted);
    }
}

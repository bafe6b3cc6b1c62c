using System.Security.Cryptography;
using Marten;
using JasperFx;
using Npgsql;

namespace Governance.Api.Infrastructure;

/// <summary>The stored outcome of a POST made with an <c>Idempotency-Key</c>.</summary>
public sealed class IdempotencyRecord
{
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    /// <summary>Always true for records this version writes; false only in records left by versions before it.</summary>
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
/// The request runs in one PostgreSQL transaction (<see cref="RequestTransaction"/>) that holds the key from the start,
/// the endpoint's events, and the response it gave; it commits once the response is known. So a key is either
/// absent (nothing was recorded: a retry runs the request) or holds the response of what was recorded (a retry replays
/// it); a process or database that dies mid-request leaves an open transaction PostgreSQL rolls back, never a key
/// stuck half-way. A second request with the same key waits on the first's row lock, then replays what it committed.
/// Keys are scoped to the caller and the route.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context, IDocumentStore store, Database database, RequestTransaction transaction, TimeProvider clock)
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

        if (await LoadAsync(store, id, context.RequestAborted) is { } existing)
        {
            await Replay(context, existing, requestHash);
            return;
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(context.RequestAborted);
        await using var tx = await connection.BeginTransactionAsync(context.RequestAborted);
        transaction.Transaction = tx;
        // The request's own scoped session, enlisted in the transaction: the endpoint's SaveChanges writes into it.
        var session = context.RequestServices.GetRequiredService<IDocumentSession>();
        var record = new IdempotencyRecord { Id = id, RequestHash = requestHash, CreatedAt = clock.GetUtcNow() };
        try
        {
            // Taking the key first: a concurrent request with the same key waits here until this one commits or rolls back.
            session.Insert(record);
            await session.SaveChangesAsync(context.RequestAborted);
        }
        catch (DocumentAlreadyExistsException)
        {
            await tx.RollbackAsync(CancellationToken.None);
            transaction.Transaction = null;
            // The other request committed while this one waited: its response is this one's.
            await Replay(context, (await LoadAsync(store, id, context.RequestAborted))!, requestHash);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        // A connection that broke mid-transaction surfaces as whatever the next use of it throws ("transaction is
        // already completed"): it is the database that went away, and the transaction it held was rolled back.
        catch (Exception e) when (Broken(connection) && !DatabaseUnavailable.Is(e))
        {
            throw new DatabaseConnectionLostException(e);
        }
        finally
        {
            context.Response.Body = original;
        }

        // Only a success is remembered, so a corrected retry can succeed; whatever a refused request wrote still commits.
        if (context.Response.StatusCode is >= 200 and < 300)
        {
            record.Completed = true;
            record.StatusCode = context.Response.StatusCode;
            record.ContentType = context.Response.ContentType;
            record.Location = context.Response.Headers.Location;
            record.ETag = context.Response.Headers.ETag;
            record.Body = buffer.ToArray();
            session.Store(record);
        }
        else session.Delete<IdempotencyRecord>(id);
        try
        {
            await session.SaveChangesAsync(CancellationToken.None);
            // A commit whose answer is lost (the connection broke) throws: the client learns the outcome by retrying with the key.
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception e) when (Broken(connection) && !DatabaseUnavailable.Is(e))
        {
            throw new DatabaseConnectionLostException(e);
        }
        transaction.Transaction = null;

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static bool Broken(NpgsqlConnection connection) =>
        connection.FullState is System.Data.ConnectionState.Closed || connection.FullState.HasFlag(System.Data.ConnectionState.Broken);

    private static async Task<IdempotencyRecord?> LoadAsync(IDocumentStore store, string id, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<IdempotencyRecord>(id, ct);
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
            // Versions before this one stored the key with the events and the response after them; a process that died in
            // between left the key without its response. The events were recorded, the response is lost: say so, for good.
            await Problem.Of(409, "Request recorded, response lost",
                "A request with this Idempotency-Key was recorded, but its response was lost in a crash of an earlier version. " +
                "Read the resource to see its outcome; do not repeat the request with a new key.").ExecuteAsync(context);
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

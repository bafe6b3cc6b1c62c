namespace Governance.Api.Infrastructure;

/// <summary>Why a command was refused, as the HTTP status and the words the caller gets back (RFC 9457).</summary>
public sealed record Refusal(int Status, string Title, string Detail)
{
    public IResult ToResult() => Problem.Of(Status, Title, Detail);
}

/// <summary>What a decider concluded: the events to append, or why nothing may be.</summary>
public sealed record Decision(IReadOnlyList<object> Events, Refusal? Refusal)
{
    public static readonly Decision Nothing = new([], null);

    public static Decision Append(params IReadOnlyList<object> events) => new(events, null);

    public static Decision Refuse(int status, string title, string detail) => new([], new Refusal(status, title, detail));
}

/// <summary>A resource whose stream version travels as its ETag.</summary>
public interface IVersioned
{
    long Version { get; }
}

/// <summary>What a write answers: the resource as it now reads, or why nothing was written.</summary>
public sealed record Outcome<T>(T? Value, Refusal? Refusal) where T : class
{
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(null, refusal);

    /// <summary>Every write answers the same way: the resource read back (its version as ETag), or the refusal as problem details.</summary>
    public IResult ToResult(HttpContext http, int status = StatusCodes.Status200OK, string? location = null)
    {
        if (Refusal is { } refusal) return refusal.ToResult();
        if (Value is IVersioned versioned) http.Response.Headers.ETag = ETag.Of(versioned.Version);
        if (location is not null) http.Response.Headers.Location = location;
        return TypedResults.Json(Value, Json.Options, statusCode: status);
    }
}

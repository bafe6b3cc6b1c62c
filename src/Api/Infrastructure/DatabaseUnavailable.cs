using System.Net.Sockets;
using Npgsql;

namespace Governance.Api.Infrastructure;

/// <summary>
/// PostgreSQL could not be reached, or dropped the connection mid-request: a 503 the client retries after a pause,
/// never a 500. Marten and Npgsql wrap the cause, so the whole chain of inner exceptions is looked at.
/// </summary>
public static class DatabaseUnavailable
{
    /// <summary>Seconds a client waits before retrying, sent as <c>Retry-After</c>.</summary>
    public const int RetryAfterSeconds = 5;

    public const string Title = "Database unavailable";

    public const string Detail = "PostgreSQL could not be reached, so the request could not be completed. Retry after the pause in Retry-After. " +
        "A write sent with an Idempotency-Key was either recorded in full or not at all: retry it with the same key to learn which.";

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Server shutting down, crashed, starting up or recovering; too many connections; out of resources.
                case PostgresException pg when pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                    || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal):
                    return true;
                case PostgresException:
                    return false;
                // Connection refused, reset or timed out, or the pool had no connection to give in time.
                case DatabaseConnectionLostException:
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
                case NpgsqlException npgsql when npgsql.InnerException is System.IO.IOException or EndOfStreamException:
                    return true;
            }
            if (e is AggregateException { InnerExceptions.Count: > 0 } many) return many.InnerExceptions.Any(Is);
        }
        return false;
    }

    /// <summary>Sets <c>Retry-After</c> on a response that says the database is unavailable.</summary>
    public static void AddRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The connection a request's transaction ran on broke; the exception it caused is the inner one.</summary>
public sealed class DatabaseConnectionLostException(Exception inner)
    : Exception("The connection to PostgreSQL broke during the request's transaction, which was rolled back.", inner);

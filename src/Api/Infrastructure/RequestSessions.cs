using Marten;
using Npgsql;

namespace Governance.Api.Infrastructure;

/// <summary>
/// The PostgreSQL transaction a request runs in when something outside the endpoint must commit with its writes
/// (the stored response of an <c>Idempotency-Key</c>). Empty for every other request.
/// </summary>
public sealed class RequestTransaction
{
    public NpgsqlTransaction? Transaction { get; set; }
}

/// <summary>
/// Opens the request's <see cref="IDocumentSession"/>: lightweight, and enlisted in the request's transaction when it
/// has one, so an endpoint's <c>SaveChangesAsync</c> writes but does not commit; whoever opened the transaction does.
/// </summary>
public sealed class RequestSessions(IDocumentStore store, RequestTransaction request) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession();

    public IDocumentSession OpenSession() => request.Transaction is { } transaction
        ? store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: false))
        : store.LightweightSession();
}

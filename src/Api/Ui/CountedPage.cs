using System.Collections;
using Marten;

namespace Governance.Api.Ui;

/// <summary>
/// One page of a console list and how many rows match. Counted with a plain <c>count(*)</c> beside a
/// <c>limit/offset</c> read, not with Marten's paged list (<c>count(*) over()</c>): a window count makes PostgreSQL
/// compute and sort every matching row for each page, which at 100,000 deployments waiting took half a second, while
/// the two queries use the indexes and stay small (docs/performance.md, "Portfolio scale").
/// </summary>
public sealed class CountedPage<T>(IReadOnlyList<T> items, long totalItemCount, int pageSize) : IReadOnlyList<T>
{
    public long TotalItemCount { get; } = totalItemCount;
    public long PageCount { get; } = (totalItemCount + pageSize - 1) / pageSize;
    public int Count => items.Count;
    public T this[int index] => items[index];
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public static class CountedPage
{
    /// <param name="ordered">The filtered and ordered query; <paramref name="filtered"/> the same without the order, to count.</param>
    public static async Task<CountedPage<T>> ReadAsync<T>(IQueryable<T> filtered, IQueryable<T> ordered, int pageNumber, int pageSize, CancellationToken ct) where T : notnull
    {
        long total = await filtered.CountAsync(ct);
        // In long: ?page=2147483647 is a page past the end (empty), not an overflowing offset.
        var offset = (Math.Max(1, (long)pageNumber) - 1) * pageSize;
        IReadOnlyList<T> items = offset >= total ? [] : await ordered.Skip((int)offset).Take(pageSize).ToListAsync(ct);
        return new CountedPage<T>(items, total, pageSize);
    }
}

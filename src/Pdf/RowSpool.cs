namespace Governance.Pdf;

/// <summary>
/// Table rows kept in a temporary file instead of memory, for tables whose length has no bound (every deployment of a
/// portfolio, every event of a stream): rows are appended once and read back in order as often as the layout asks.
/// The file is deleted when the spool is disposed. Not thread-safe: one writer, then one reader at a time.
/// </summary>
public sealed class RowSpool : IEnumerable<IReadOnlyList<string>>, IDisposable
{
    readonly FileStream file = new(Path.Combine(Path.GetTempPath(), $"governance-rows-{Guid.NewGuid():N}.bin"), FileMode.CreateNew,
        FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
    readonly BinaryWriter writer;

    public RowSpool() => writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true);

    public int Count { get; private set; }

    public void Add(params IReadOnlyList<string> cells)
    {
        writer.Write(cells.Count);
        foreach (var cell in cells) writer.Write(cell);
        Count++;
    }

    public IEnumerator<IReadOnlyList<string>> GetEnumerator()
    {
        writer.Flush();
        var end = file.Position;
        file.Position = 0;
        try
        {
            using var reader = new BinaryReader(file, System.Text.Encoding.UTF8, leaveOpen: true);
            for (var row = 0; row < Count; row++)
            {
                var cells = new string[reader.ReadInt32()];
                for (var c = 0; c < cells.Length; c++) cells[c] = reader.ReadString();
                yield return cells;
            }
        }
        finally
        {
            file.Position = end;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        writer.Dispose();
        file.Dispose();
    }
}

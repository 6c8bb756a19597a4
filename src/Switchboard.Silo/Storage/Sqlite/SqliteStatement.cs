using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Switchboard.Silo.Storage.Sqlite;

/// <summary>
/// One SQL statement prepared once on a connection and run many times through SQLite's own API: bind, step, read
/// columns, reset. ADO.NET's command allocates binders, readers and boxed values on every execution; on the write
/// path, run for every journal entry, that garbage was most of what the store allocated. Not thread-safe: it
/// belongs to its connection, which is used by one thread at a time.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);
    private byte[] _text = new byte[256];

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v2(db, sql, out _statement));
    }

    /// <summary>The 1-based index of the named parameter (<c>$name</c>); throws when the SQL has no such parameter.</summary>
    public int Parameter(string name)
    {
        if (!_parameters.TryGetValue(name, out var index))
        {
            index = raw.sqlite3_bind_parameter_index(_statement, name);
            if (index <= 0)
            {
                throw new ArgumentException($"the statement has no parameter {name}", nameof(name));
            }
            _parameters[name] = index;
        }
        return index;
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds a blob; an empty one as a zero-length blob, never as NULL (NULL marks a cleared state row).</summary>
    public void Bind(int index, ReadOnlyMemory<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value.Span));

    /// <summary>Binds text as UTF-8 from a buffer of the statement's own (SQLite copies it), so no array per call.</summary>
    public void Bind(int index, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > _text.Length)
        {
            _text = new byte[Math.Max(length, _text.Length * 2)];
        }

        var written = Encoding.UTF8.GetBytes(value, _text);
        Check(raw.sqlite3_bind_text(_statement, index, new ReadOnlySpan<byte>(_text, 0, written)));
    }

    /// <summary>Runs the statement to its next row: true with a row to read, false when done.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        // The statement's own error code: reset reports it, and leaves the statement ready for the next run.
        raw.sqlite3_reset(_statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return false;
    }

    /// <summary>Runs a statement that returns no rows (or whose rows do not matter) to its end, then resets it.</summary>
    public void Execute()
    {
        try
        {
            while (Step())
            {
            }
        }
        finally
        {
            Reset();
        }
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public byte[] Blob(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    /// <summary>Makes the statement ready to run again, with no parameter bound.</summary>
    public void Reset()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}

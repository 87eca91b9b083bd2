using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace SupportConsole.Data;

/// <summary>
/// Parameterised <c>INSERT ... VALUES (...), (...)</c> and <c>UPDATE ... SET ... WHERE ...</c> statements built from the EF
/// model (table, columns, type mappings and value conversions, quoted by the provider's SQL generation helper), prepared
/// once on one connection and re-executed with new values. Plain SQL that every relational provider accepts: the rows
/// the pipeline writes for each ticket cost a statement execution each, not EF Core's change tracking and SQL generation.
/// Not thread-safe: one instance belongs to one connection and one thread (the <see cref="GroupCommitWriter"/>).
/// On PostgreSQL, where each statement is a network round trip, statements whose result nobody reads (inserts,
/// upserts, savepoints) are queued and sent together as one <see cref="DbBatch"/> when a result is needed (an update's
/// row count, a command of the caller's) or at <see cref="Flush"/>; a failure surfaces there, as it would have at the
/// statement (decision 019). SQLite runs in the process and executes each statement at once.
/// </summary>
// SQL by hand: `bench ingest` (docs/benchmarks.md) put two thirds of a ticket in EF Core's change tracking and SQL generation (decision 005).
public sealed class RowStatements(SupportConsoleDbContext db) : IDisposable
{
    private const string RowSavepoint = "row";

    private readonly Dictionary<(Type Type, int Rows), Statement> _inserts = [];
    private readonly Dictionary<(Type Type, string Set, string Where), Statement> _updates = [];
    private readonly Dictionary<Type, Statement> _insertOrAdds = [];
    private readonly Dictionary<string, DbCommand> _texts = [];
    private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();
    private readonly List<DbBatchCommand> _pending = [];
    private readonly bool _defers = IsNetworked(db) && db.Database.GetDbConnection().CanCreateBatch;
    private DbBatch? _commandFactory;

    /// <summary>The transaction statements run in (the writer's current batch).</summary>
    public DbTransaction? Transaction { get; set; }

    /// <summary>True when every statement is a network round trip (PostgreSQL), false for SQLite in the process.</summary>
    public bool RoundTripsAreCostly { get; } = IsNetworked(db);

    /// <summary>The writer's context: its model and provider, for statements built elsewhere (the reporting rollups).</summary>
    public SupportConsoleDbContext Context => db;

    /// <summary>
    /// A command on the writer's connection in the current transaction, for statements these helpers do not build; what
    /// is queued is sent first, so the command sees it.
    /// </summary>
    public DbCommand CreateCommand()
    {
        Flush();
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = Transaction;
        return command;
    }

    /// <summary>Inserts one row.</summary>
    public void Insert<T>(T row)
        where T : class => InsertAll<T>([row]);

    /// <summary>Inserts one row unless its key or a unique index already holds it; false when it was there already.</summary>
    public bool InsertUnlessExists<T>(T row)
        where T : class
    {
        // The answer is needed now: this one is sent at once, with whatever was queued before it.
        Savepoint(RowSavepoint);
        try
        {
            Insert(row);
            Flush();
            ReleaseSavepoint(RowSavepoint);
            return true;
        }
        catch (Exception e) when (DbExceptions.IsUniqueViolation(e))
        {
            RollbackToSavepoint(RowSavepoint);
            return false;
        }
    }

    /// <summary>Marks a savepoint in the current transaction (standard SQL; the statement is prepared once).</summary>
    public void Savepoint(string name) => ExecuteText($"SAVEPOINT {name}");

    /// <summary>Keeps what was done since the savepoint and forgets the savepoint.</summary>
    public void ReleaseSavepoint(string name) => ExecuteText($"RELEASE SAVEPOINT {name}");

    /// <summary>Undoes what was done since the savepoint, and forgets the savepoint; what was queued after it is dropped.</summary>
    public void RollbackToSavepoint(string name)
    {
        var mark = _pending.FindLastIndex(c => c.CommandText == $"SAVEPOINT {name}");
        if (mark >= 0)
        {
            // Nothing since the savepoint was sent: dropping it and what follows undoes it all.
            _pending.RemoveRange(mark, _pending.Count - mark);
            return;
        }

        _pending.Clear();
        ExecuteText($"ROLLBACK TO SAVEPOINT {name}");
        ExecuteText($"RELEASE SAVEPOINT {name}");
        Flush();
    }

    /// <summary>Sends what is queued (one round trip); a statement that fails throws here and nothing queued stays.</summary>
    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        using var batch = db.Database.GetDbConnection().CreateBatch();
        batch.Transaction = Transaction;
        try
        {
            foreach (var command in _pending)
            {
                batch.BatchCommands.Add(command);
            }

            batch.ExecuteNonQuery();
        }
        finally
        {
            _pending.Clear();
        }
    }

    /// <summary>Drops what is queued (the work that queued it failed before it was sent).</summary>
    public void Discard() => _pending.Clear();

    /// <summary>A command to hand to <see cref="ExecuteOrQueue"/>: unlike <see cref="CreateCommand"/> it sends nothing first.</summary>
    public DbCommand CreateCommandToQueue() => db.Database.GetDbConnection().CreateCommand();

    /// <summary>Runs <paramref name="command"/> now, or queues a copy of it (its result is not read either way).</summary>
    public void ExecuteOrQueue(DbCommand command)
    {
        if (!_defers)
        {
            command.Transaction = Transaction;
            command.ExecuteNonQuery();
            return;
        }

        _pending.Add(Copy(command));
    }

    /// <summary>Inserts <paramref name="rows"/> (all of one entity type) in one statement.</summary>
    public void InsertAll<T>(IReadOnlyList<T> rows)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (!_inserts.TryGetValue((typeof(T), rows.Count), out var statement))
        {
            statement = PrepareInsert(typeof(T), rows.Count);
            _inserts[(typeof(T), rows.Count)] = statement;
        }

        var columns = statement.Columns;
        var parameters = statement.Command.Parameters;
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                parameters[(r * columns.Count) + c].Value = columns[c].ProviderValue(rows[r]);
            }
        }

        Execute(statement);
    }

    /// <summary>
    /// Inserts one row of counters, or, when a row with its primary key is stored already, adds its other columns to
    /// the stored ones: <c>INSERT ... ON CONFLICT (key) DO UPDATE SET "X" = "T"."X" + excluded."X"</c>, which SQLite and
    /// PostgreSQL both accept. Every non-key column must be a number. One prepared statement per row type.
    /// </summary>
    public void InsertOrAdd(object row)
    {
        var type = row.GetType();
        if (!_insertOrAdds.TryGetValue(type, out var statement))
        {
            statement = PrepareInsertOrAdd(type);
            _insertOrAdds[type] = statement;
        }

        var parameters = statement.Command.Parameters;
        for (var c = 0; c < statement.Columns.Count; c++)
        {
            parameters[c].Value = statement.Columns[c].ProviderValue(row);
        }

        Execute(statement);
    }

    /// <summary>
    /// <c>UPDATE</c> of the <paramref name="set"/> columns of one row to its current values, where the
    /// <paramref name="where"/> columns hold the given values (e.g. key and the version read before); returns the rows changed.
    /// </summary>
    public int Update<T>(T row, IReadOnlyList<string> set, IReadOnlyList<(string Property, object? Value)> where)
        where T : class
    {
        var key = (typeof(T), string.Join(',', set), string.Join(',', where.Select(w => w.Property)));
        if (!_updates.TryGetValue(key, out var statement))
        {
            statement = PrepareUpdate(typeof(T), set, [.. where.Select(w => w.Property)]);
            _updates[key] = statement;
        }

        var parameters = statement.Command.Parameters;
        for (var c = 0; c < set.Count; c++)
        {
            parameters[c].Value = statement.Columns[c].ProviderValue(row);
        }

        for (var w = 0; w < where.Count; w++)
        {
            parameters[set.Count + w].Value = statement.Columns[set.Count + w].ToProvider(where[w].Value);
        }

        return Execute(statement, resultRead: true);
    }

    public void Dispose()
    {
        _pending.Clear();
        _commandFactory?.Dispose();
        foreach (var command in _inserts.Values.Concat(_updates.Values).Concat(_insertOrAdds.Values).Select(s => s.Command).Concat(_texts.Values))
        {
            command.Dispose();
        }

        _inserts.Clear();
        _updates.Clear();
        _insertOrAdds.Clear();
        _texts.Clear();
    }

    private void ExecuteText(string sql)
    {
        if (!_texts.TryGetValue(sql, out var command))
        {
            command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            _texts[sql] = command;
        }

        if (_defers)
        {
            _pending.Add(Copy(command));
            return;
        }

        command.Transaction = Transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>Executes the statement with its current parameter values, or queues a copy; the rows changed when <paramref name="resultRead"/>.</summary>
    private int Execute(Statement statement, bool resultRead = false)
    {
        if (!_defers)
        {
            statement.Command.Transaction = Transaction;
            return statement.Command.ExecuteNonQuery();
        }

        var queued = Copy(statement.Command);
        _pending.Add(queued);
        if (!resultRead)
        {
            return -1;
        }

        Flush();
        return queued.RecordsAffected;
    }

    private static bool IsNetworked(SupportConsoleDbContext db) => db.Database.GetDbConnection() is not Microsoft.Data.Sqlite.SqliteConnection;

    /// <summary>A batch command with the command's text and a copy of its parameters as they are now.</summary>
    private DbBatchCommand Copy(DbCommand command)
    {
        _commandFactory ??= db.Database.GetDbConnection().CreateBatch();
        var queued = _commandFactory.CreateBatchCommand();
        queued.CommandText = command.CommandText;
        foreach (DbParameter parameter in command.Parameters)
        {
            queued.Parameters.Add(((ICloneable)parameter).Clone());
        }

        return queued;
    }

    private Statement PrepareInsert(Type type, int rowCount)
    {
        var (entity, table) = Table(type);
        var columns = entity.GetProperties().Where(p => p.GetColumnName(table) is not null).Select(p => new Column(p, table)).ToList();
        var command = db.Database.GetDbConnection().CreateCommand();
        var sql = new StringBuilder("INSERT INTO ").Append(_sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", columns.Select(c => _sql.DelimitIdentifier(c.Name))).Append(") VALUES ");
        for (var r = 0; r < rowCount; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Count; c++)
            {
                sql.Append(c == 0 ? string.Empty : ", ").Append(AddParameter(command, columns[c], $"p{r}_{c}"));
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        return new Statement(command, columns);
    }

    private Statement PrepareInsertOrAdd(Type type)
    {
        var statement = PrepareInsert(type, 1);
        var (entity, table) = Table(type);
        statement.Command.CommandText += AddOnConflict(entity, table, _sql);
        return statement;
    }

    /// <summary>
    /// <c> ON CONFLICT (key) DO UPDATE SET "X" = "T"."X" + excluded."X"</c> for every non-key column of the table: what
    /// turns an <c>INSERT</c> of counters into "insert or add" (also used by the rollups' multi-row rebuild).
    /// </summary>
    public static string AddOnConflict(IEntityType entity, StoreObjectIdentifier table, ISqlGenerationHelper sql)
    {
        var keys = entity.FindPrimaryKey()!.Properties;
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        string Column(IProperty p) => sql.DelimitIdentifier(p.GetColumnName(table)!);
        var counters = entity.GetProperties().Where(p => p.GetColumnName(table) is not null && !keys.Contains(p));
        return new StringBuilder(" ON CONFLICT (").AppendJoin(", ", keys.Select(Column)).Append(") DO UPDATE SET ")
            .AppendJoin(", ", counters.Select(c => $"{Column(c)} = {tableName}.{Column(c)} + excluded.{Column(c)}")).ToString();
    }

    private Statement PrepareUpdate(Type type, IReadOnlyList<string> set, IReadOnlyList<string> where)
    {
        var (entity, table) = Table(type);
        Column ColumnOf(string name) => new(entity.FindProperty(name) ?? throw new InvalidOperationException($"{type.Name}.{name} is not mapped"), table);
        var columns = set.Concat(where).Select(ColumnOf).ToList();
        var command = db.Database.GetDbConnection().CreateCommand();
        var sql = new StringBuilder("UPDATE ").Append(_sql.DelimitIdentifier(table.Name, table.Schema)).Append(" SET ");
        for (var c = 0; c < columns.Count; c++)
        {
            sql.Append(c == 0 ? string.Empty : c == set.Count ? " WHERE " : c < set.Count ? ", " : " AND ")
                .Append(_sql.DelimitIdentifier(columns[c].Name)).Append(" = ").Append(AddParameter(command, columns[c], $"p{c}"));
        }

        command.CommandText = sql.ToString();
        return new Statement(command, columns);
    }

    private (IEntityType Entity, StoreObjectIdentifier Table) Table(Type type)
    {
        var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped");
        return (entity, StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()));
    }

    private string AddParameter(DbCommand command, Column column, string name)
    {
        // The type mapping configures the parameter (type, size); values set later go through the same value conversion.
        var parameter = column.Mapping.CreateParameter(command, _sql.GenerateParameterName(name), null, column.Property.IsNullable);
        command.Parameters.Add(parameter);
        return _sql.GenerateParameterNamePlaceholder(name);
    }

    private sealed record Statement(DbCommand Command, IReadOnlyList<Column> Columns);

    private sealed class Column
    {
        private readonly IClrPropertyGetter _getter;

        public Column(IProperty property, StoreObjectIdentifier table)
        {
            if (property.IsShadowProperty())
            {
                throw new InvalidOperationException($"{property.DeclaringType.DisplayName()}.{property.Name} is a shadow property; RowStatements writes CLR properties only");
            }

            Property = property;
            Name = property.GetColumnName(table)!;
            Mapping = property.GetRelationalTypeMapping();
            _getter = property.GetGetter();
        }

        public IProperty Property { get; }

        public string Name { get; }

        public RelationalTypeMapping Mapping { get; }

        public object ProviderValue(object entity) => ToProvider(_getter.GetClrValueUsingContainingEntity(entity));

        public object ToProvider(object? value) =>
            (value is not null && Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
    }
}

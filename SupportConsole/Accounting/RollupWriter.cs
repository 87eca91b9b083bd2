using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SupportConsole.Data;

namespace SupportConsole.Accounting;

/// <summary>
/// Adds rollup rows to the stored ones in one command, inside the caller's transaction:
/// <c>INSERT ... VALUES (...), (...) ON CONFLICT (key) DO UPDATE SET "X" = "T"."X" + excluded."X"</c>, which SQLite and
/// PostgreSQL both accept. Table, columns, key and value conversions come from the EF model; every non-key column is
/// an additive counter. Rows with the same key are merged first (PostgreSQL refuses to update one row twice in one
/// statement). On the group-commit writer's connection each row is one prepared <see cref="RowStatements.InsertOrAdd"/>
/// instead, with the same conflict clause.
/// </summary>
// SQL by hand: EF Core has no upsert; prepared per-row upserts took `bench ingest` from 4.95 to 3.0-4.3 CPU-ms a ticket with decision 010's other changes.
public static class RollupWriter
{
    private const int MaxParametersPerCommand = 30_000;
    private static readonly ConcurrentDictionary<(IModel, Type), Shape> Shapes = new();

    public static async Task UpsertAsync(SupportConsoleDbContext db, IEnumerable<object> rows, CancellationToken cancellationToken, int rowsPerStatement = 250)
    {
        var connection = await OpenAsync(db, cancellationToken);
        foreach (var command in Build(db, rows, () => NewCommand(db, connection), rowsPerStatement))
        {
            await using (command)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// The same, synchronously, on the group-commit writer's connection and in its current transaction. On SQLite a
    /// prepared single-row statement per row (a decision adds a handful of rows; parsing one big statement per ticket
    /// cost more); on PostgreSQL one command for all of them, as a round trip costs more than the parse (decision 019).
    /// </summary>
    public static void Upsert(RowStatements statements, IEnumerable<object> rows)
    {
        if (!statements.RoundTripsAreCostly)
        {
            // SQLite runs in the process: one prepared statement per row type is cheapest.
            foreach (var row in rows)
            {
                statements.InsertOrAdd(row);
            }

            return;
        }

        // Over the network every statement is a round trip: the ticket's rollup rows, merged by key, go in one command.
        foreach (var command in Build(statements.Context, rows, statements.CreateCommandToQueue, rowsPerStatement: 250, statementPerCommand: true))
        {
            using (command)
            {
                statements.ExecuteOrQueue(command);
            }
        }
    }

    /// <summary>
    /// The upsert commands for the merged rows: one command unless the rows need more parameters than one allows, or one
    /// per statement when <paramref name="statementPerCommand"/> (for a batch, whose commands hold one statement each).
    /// </summary>
    private static List<DbCommand> Build(SupportConsoleDbContext db, IEnumerable<object> rows, Func<DbCommand> create, int rowsPerStatement,
        bool statementPerCommand = false)
    {
        var commands = new List<DbCommand>();
        var merged = Merge(db, rows);
        if (merged.Count == 0)
        {
            return commands;
        }

        var helper = db.GetService<ISqlGenerationHelper>();
        DbCommand? command = null;
        var sql = new StringBuilder();
        foreach (var (shape, byKey) in merged)
        {
            foreach (var chunk in byKey.Values.Chunk(rowsPerStatement))
            {
                if (command is not null && command.Parameters.Count + (chunk.Length * shape.Columns.Count) > MaxParametersPerCommand)
                {
                    command.CommandText = sql.ToString();
                    sql.Clear();
                    commands.Add(command);
                    command = null;
                }

                command ??= create();
                AppendStatement(sql, command, shape, chunk, helper, conflict: shape.UpsertClause);
                if (statementPerCommand)
                {
                    command.CommandText = sql.ToString().TrimEnd('\n', ';');
                    sql.Clear();
                    commands.Add(command);
                    command = null;
                }
            }
        }

        if (command is null)
        {
            return commands;
        }

        command!.CommandText = sql.ToString();
        commands.Add(command);
        return commands;
    }

    private static void AppendStatement(StringBuilder sql, DbCommand command, Shape shape, IReadOnlyList<object> rows, ISqlGenerationHelper helper, string conflict)
    {
        sql.Append(shape.InsertPrefix);
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < shape.Columns.Count; c++)
            {
                var property = shape.Columns[c];
                var name = $"r{command.Parameters.Count}";
                var mapping = property.GetRelationalTypeMapping();
                command.Parameters.Add(mapping.CreateParameter(command, name, property.PropertyInfo!.GetValue(rows[r]), property.IsNullable));
                sql.Append(c == 0 ? string.Empty : ", ").Append(helper.GenerateParameterNamePlaceholder(name));
            }

            sql.Append(')');
        }

        sql.Append(conflict).Append(";\n");
    }

    private static DbCommand NewCommand(SupportConsoleDbContext db, DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static async Task<DbConnection> OpenAsync(SupportConsoleDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        return connection;
    }

    private static List<(Shape Shape, Dictionary<KeyValues, object> Rows)> Merge(SupportConsoleDbContext db, IEnumerable<object> rows)
    {
        var result = new List<(Shape, Dictionary<KeyValues, object>)>();
        foreach (var row in rows)
        {
            var shape = ShapeOf(db, row.GetType());
            var index = result.FindIndex(r => r.Item1 == shape);
            if (index < 0)
            {
                result.Add((shape, new Dictionary<KeyValues, object>()));
                index = result.Count - 1;
            }

            var byKey = result[index].Item2;
            var key = new KeyValues([.. shape.Keys.Select(k => k.PropertyInfo!.GetValue(row))]);
            if (byKey.TryGetValue(key, out var existing))
            {
                foreach (var counter in shape.Counters)
                {
                    counter.PropertyInfo!.SetValue(existing, Add(counter.PropertyInfo.GetValue(existing), counter.PropertyInfo.GetValue(row)));
                }
            }
            else
            {
                // A copy, so merging never changes the caller's objects.
                var copy = Activator.CreateInstance(row.GetType())!;
                foreach (var column in shape.Columns)
                {
                    column.PropertyInfo!.SetValue(copy, column.PropertyInfo.GetValue(row));
                }

                byKey[key] = copy;
            }
        }

        return result;
    }

    private static object Add(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => (object)(x + y),
        (int x, int y) => (object)(x + y),
        (double x, double y) => (object)(x + y),
        _ => throw new InvalidOperationException($"rollup counters must be long, int or double, not {a?.GetType().Name}"),
    };

    private static Shape ShapeOf(SupportConsoleDbContext db, Type type) => Shapes.GetOrAdd((db.Model, type), key =>
    {
        var entity = key.Item1.FindEntityType(key.Item2) ?? throw new InvalidOperationException($"{key.Item2.Name} is not mapped");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var helper = db.GetService<ISqlGenerationHelper>();
        var keys = entity.FindPrimaryKey()!.Properties.ToList();
        var columns = entity.GetProperties().Where(p => p.GetColumnName(table) is not null).ToList();
        var counters = columns.Where(c => !keys.Contains(c)).ToList();
        string Column(IProperty p) => helper.DelimitIdentifier(p.GetColumnName(table)!);
        var tableName = helper.DelimitIdentifier(table.Name, table.Schema);
        var prefix = $"INSERT INTO {tableName} ({string.Join(", ", columns.Select(Column))}) VALUES ";
        var upsert = RowStatements.AddOnConflict(entity, table, helper);
        return new Shape(entity, keys, columns, counters, prefix, upsert);
    });

    private sealed record Shape(IEntityType Entity, IReadOnlyList<IProperty> Keys, IReadOnlyList<IProperty> Columns, IReadOnlyList<IProperty> Counters,
        string InsertPrefix, string UpsertClause);

    private sealed class KeyValues(object?[] values) : IEquatable<KeyValues>
    {
        private readonly object?[] _values = values;

        public bool Equals(KeyValues? other) => other is not null && _values.SequenceEqual(other._values);

        public override bool Equals(object? obj) => Equals(obj as KeyValues);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var value in _values)
            {
                hash.Add(value);
            }

            return hash.ToHashCode();
        }
    }
}

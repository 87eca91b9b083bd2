using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace SupportConsole.Data;

/// <summary>
/// Inserts many rows of one entity in a single parameterised <c>INSERT ... VALUES (...), (...)</c>, using the EF model
/// for table, columns and value conversions, inside the caller's transaction. The receipts of a ticket go in this
/// way: tracked inserts cost far more per row than the database does.
/// </summary>
public static class RowInserter
{
    public static async Task InsertAsync<T>(SupportConsoleDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => p.GetColumnName(table) is not null).ToList();
        var helper = db.GetService<ISqlGenerationHelper>();
        var sql = new StringBuilder("INSERT INTO ").Append(helper.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", properties.Select(p => helper.DelimitIdentifier(p.GetColumnName(table)!))).Append(") VALUES ");

        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < properties.Count; c++)
            {
                var property = properties[c];
                var name = $"p{r}_{c}";
                var mapping = property.GetRelationalTypeMapping();
                // The mapping applies the property's value conversion itself (e.g. DateTimeOffset to ticks on SQLite).
                var parameter = mapping.CreateParameter(command, name, property.PropertyInfo!.GetValue(rows[r]), property.IsNullable);
                command.Parameters.Add(parameter);
                sql.Append(c == 0 ? string.Empty : ", ").Append(helper.GenerateParameterNamePlaceholder(name));
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

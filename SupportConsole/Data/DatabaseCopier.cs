using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace SupportConsole.Data;

/// <summary>One table after a copy: rows and a content checksum on each side.</summary>
public sealed record TableCopy(string Table, long SourceRows, long TargetRows, string SourceChecksum, string TargetChecksum)
{
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;
}

/// <summary>
/// Copies every table of one SupportConsole database into another (an embedded SQLite file into PostgreSQL), parents
/// before children, in key order and in batches; then counts and checksums every table on both sides. The checksum
/// is over each row's values in a provider-neutral form (instants in UTC microseconds, the precision PostgreSQL keeps;
/// numbers invariant), so equal data gives equal checksums whatever the column types.
/// </summary>
public static class DatabaseCopier
{
    private const int BatchSize = 2000;

    /// <summary>Tables of the target that already hold rows; a copy goes into an empty database only.</summary>
    public static async Task<IReadOnlyList<string>> NonEmptyTablesAsync(SupportConsoleDbContext db, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        foreach (var entity in InDependencyOrder(db.Model))
        {
            if (await Invoke<bool>(nameof(AnyAsync), entity.ClrType, db, cancellationToken))
            {
                tables.Add(entity.GetTableName()!);
            }
        }

        return tables;
    }

    public static async Task<IReadOnlyList<TableCopy>> CopyAsync(SupportConsoleDbContext source, SupportConsoleDbContext target, IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var entities = InDependencyOrder(source.Model);
        await using (var transaction = await target.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var entity in entities)
            {
                var copied = await Invoke<long>(nameof(CopyTableAsync), entity.ClrType, source, target, cancellationToken);
                progress?.Report($"{entity.GetTableName()}: {copied} rows copied");
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await ResetIdentitySequencesAsync(target, cancellationToken);
        var results = new List<TableCopy>();
        foreach (var entity in entities)
        {
            var (sourceRows, sourceSum) = await Invoke<(long, string)>(nameof(ChecksumAsync), entity.ClrType, source, cancellationToken);
            var (targetRows, targetSum) = await Invoke<(long, string)>(nameof(ChecksumAsync), entity.ClrType, target, cancellationToken);
            results.Add(new TableCopy(entity.GetTableName()!, sourceRows, targetRows, sourceSum, targetSum));
        }

        return results;
    }

    /// <summary>Entity types with a table of their own, each after every type its foreign keys point to.</summary>
    public static IReadOnlyList<IEntityType> InDependencyOrder(IModel model)
    {
        var types = model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned()).ToList();
        var ordered = new List<IEntityType>();
        var visiting = new HashSet<IEntityType>();
        void Visit(IEntityType type)
        {
            if (ordered.Contains(type) || !visiting.Add(type))
            {
                return;
            }

            foreach (var principal in type.GetForeignKeys().Select(f => f.PrincipalEntityType).Where(p => p != type && types.Contains(p)))
            {
                Visit(principal);
            }

            ordered.Add(type);
        }

        foreach (var type in types.OrderBy(t => t.GetTableName(), StringComparer.Ordinal))
        {
            Visit(type);
        }

        return ordered;
    }

    private static async Task<T> Invoke<T>(string method, Type entity, params object[] arguments) =>
        await (Task<T>)typeof(DatabaseCopier).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(entity).Invoke(null, arguments)!;

    private static Task<bool> AnyAsync<T>(SupportConsoleDbContext db, CancellationToken cancellationToken)
        where T : class => db.Set<T>().AnyAsync(cancellationToken);

    private static async Task<long> CopyTableAsync<T>(SupportConsoleDbContext source, SupportConsoleDbContext target, CancellationToken cancellationToken)
        where T : class
    {
        long copied = 0;
        var previousTracking = target.ChangeTracker.AutoDetectChangesEnabled;
        target.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            for (var page = 0; ; page++)
            {
                var rows = await InKeyOrder<T>(source).Skip(page * BatchSize).Take(BatchSize).ToListAsync(cancellationToken);
                if (rows.Count == 0)
                {
                    return copied;
                }

                target.Set<T>().AddRange(rows);
                await target.SaveChangesAsync(cancellationToken);
                target.ChangeTracker.Clear();
                copied += rows.Count;
            }
        }
        finally
        {
            target.ChangeTracker.AutoDetectChangesEnabled = previousTracking;
        }
    }

    private static async Task<(long Rows, string Checksum)> ChecksumAsync<T>(SupportConsoleDbContext db, CancellationToken cancellationToken)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var properties = entity.GetProperties().Where(p => p.PropertyInfo is not null || p.FieldInfo is not null).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        for (var page = 0; ; page++)
        {
            var batch = await InKeyOrder<T>(db).Skip(page * BatchSize).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var line = new StringBuilder();
            foreach (var row in batch)
            {
                line.Clear();
                foreach (var property in properties)
                {
                    line.Append(Canonical(property.GetGetter().GetClrValue(row))).Append('\u001f');
                }

                hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
                rows++;
            }
        }

        return (rows, Convert.ToHexStringLower(hash.GetHashAndReset())[..16]);
    }

    private static IQueryable<T> InKeyOrder<T>(SupportConsoleDbContext db)
        where T : class
    {
        var key = db.Model.FindEntityType(typeof(T))!.FindPrimaryKey()!.Properties;
        IOrderedQueryable<T> query = db.Set<T>().AsNoTracking().OrderBy(e => EF.Property<object>(e, key[0].Name));
        foreach (var property in key.Skip(1))
        {
            query = query.ThenBy(e => EF.Property<object>(e, property.Name));
        }

        return query;
    }

    private static string Canonical(object? value) => value switch
    {
        null => "\u2400",
        // PostgreSQL keeps instants to the microsecond: both sides are compared at that precision.
        DateTimeOffset instant => (instant.UtcTicks / 10).ToString(CultureInfo.InvariantCulture),
        DateTime time => (time.ToUniversalTime().Ticks / 10).ToString(CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("O", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        float number => number.ToString("R", CultureInfo.InvariantCulture),
        decimal number => number.ToString("0.############################", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexStringLower(SHA256.HashData(bytes)),
        bool flag => flag ? "1" : "0",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Rows copied with their ids leave PostgreSQL's identity sequences behind; move them past the largest id.</summary>
    // SQL by hand: EF Core has no API for moving a sequence.
    private static async Task ResetIdentitySequencesAsync(SupportConsoleDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            return;
        }

        foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null))
        {
            var key = entity.FindPrimaryKey();
            if (key is not { Properties.Count: 1 } || key.Properties[0].ClrType != typeof(int) || key.Properties[0].ValueGenerated == ValueGenerated.Never)
            {
                continue;
            }

            var table = entity.GetTableName()!;
            var column = key.Properties[0].GetColumnName();
#pragma warning disable EF1002 // Table and column names come from the model, not from input.
            await db.Database.ExecuteSqlRawAsync(
                $"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)",
                cancellationToken);
#pragma warning restore EF1002
        }
    }
}

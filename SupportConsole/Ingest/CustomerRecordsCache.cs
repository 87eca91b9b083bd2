using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;
using SupportConsole.Engine.Drafting;

namespace SupportConsole.Ingest;

/// <summary>
/// A ticket's customer and their records, as the pipeline reads them for every ticket: from a short-lived cache per
/// customer, emptied at once by any save of customers or their records through this process (see
/// <see cref="CacheInvalidationInterceptor"/>); a change made elsewhere arrives within
/// <see cref="CacheOptions.CustomerRecordsMilliseconds"/>. Only the ticket's own customer is ever read or returned.
/// </summary>
public sealed class CustomerRecordsCache(
    IDbContextFactory<SupportConsoleDbContext> contexts,
    DataChanges changes,
    IOptions<CacheOptions> options,
    TimeProvider clock)
{
    /// <summary>
    /// One compiled query (EF's LINQ translation done once) per model: the customer and their records only. Per model,
    /// because a compiled query belongs to the model it was first run with (SQLite and PostgreSQL in one test process).
    /// </summary>
    private static readonly ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<SupportConsoleDbContext, string, CancellationToken, Task<Customer?>>>
        CustomerWithRecords = new();

    private readonly FreshCache<string, CustomerRecords?> _customers =
        new(changes.Customers, TimeSpan.FromMilliseconds(options.Value.CustomerRecordsMilliseconds), clock, comparer: StringComparer.Ordinal);

    public ValueTask<CustomerRecords?> GetAsync(string customerId, CancellationToken cancellationToken) =>
        _customers.GetAsync(customerId, async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            var query = CustomerWithRecords.GetOrAdd(db.Model, _ => EF.CompileAsyncQuery((SupportConsoleDbContext context, string id, CancellationToken _) =>
                context.Customers.AsNoTracking().Include(c => c.Transactions).FirstOrDefault(c => c.Id == id)));
            return await query(db, customerId, token) is { } customer ? ToRecords(customer) : null;
        }, cancellationToken, keep: records => records is not null); // a customer not found may be created by the very next ticket

    /// <summary>A customer row and its records as the engine takes them.</summary>
    public static CustomerRecords ToRecords(Customer customer) =>
        new(customer.Id, customer.Name, customer.Email, customer.Phone, customer.Plan, customer.CardLast4, customer.AccountNumber,
            [.. customer.Transactions.Select(t => new TransactionRecord(t.Id, t.Date, t.Kind, t.Description, t.Amount, t.Currency, t.Status))]);
}

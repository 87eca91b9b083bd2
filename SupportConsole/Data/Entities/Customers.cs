namespace SupportConsole.Data.Entities;

public sealed class Customer
{
    public required string Id { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? Plan { get; set; }

    public string? CardLast4 { get; set; }

    public string? AccountNumber { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<CustomerTransaction> Transactions { get; set; } = [];
}

/// <summary>One of the customer's own records: a card payment, transfer, top-up...</summary>
public sealed class CustomerTransaction
{
    public required string Id { get; set; }

    public required string CustomerId { get; set; }

    public DateOnly Date { get; set; }

    public required string Kind { get; set; }

    public required string Description { get; set; }

    public decimal Amount { get; set; }

    public required string Currency { get; set; }

    public required string Status { get; set; }
}

namespace SupportConsole.Engine.Drafting;

/// <summary>One of the customer's own records.</summary>
public sealed record TransactionRecord(string Id, DateOnly Date, string Kind, string Description, decimal Amount, string Currency, string Status);

/// <summary>The ticket's customer and their records; nothing of any other customer is ever passed in.</summary>
public sealed record CustomerRecords(
    string Id,
    string? Name,
    string? Email,
    string? Phone,
    string? Plan,
    string? CardLast4,
    string? AccountNumber,
    IReadOnlyList<TransactionRecord> Transactions)
{
    public string? FirstName => Name?.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
}

/// <summary>An intent's approved reply: greeting and closing are pleasantries, the body is checked for groundedness.</summary>
public sealed record ReplyTemplateDefinition(
    string Intent,
    string ArticleId,
    string SectionTitle,
    string Greeting,
    string Body,
    string Closing,
    IReadOnlyList<string> TransactionKinds);

/// <summary>A help-center section cited by a draft.</summary>
public sealed record CitedSection(string ArticleId, string ArticleTitle, string SectionTitle, string Body);

using System.Text.RegularExpressions;

namespace SupportConsole.Engine.Drafting;

/// <summary>Who the ticket's customer is, so their own names and numbers can be redacted.</summary>
public sealed record CustomerIdentity(string? Name, string? Email, string? Phone, string? CardLast4, string? AccountNumber);

/// <summary>Redacted text and how many of each kind of personal data were replaced.</summary>
public sealed record RedactionResult(string Text, IReadOnlyDictionary<string, int> Counts);

/// <summary>
/// Replaces personal data with typed placeholders before text leaves the building: e-mail addresses, phone numbers,
/// payment card numbers (Luhn-checked), IBANs and UK account numbers, and the customer's own names.
/// </summary>
public static partial class PiiRedactor
{
    public const string Email = "[EMAIL]";
    public const string Phone = "[PHONE]";
    public const string Card = "[CARD]";
    public const string Account = "[ACCOUNT]";
    public const string Name = "[NAME]";

    public static RedactionResult Redact(string text, CustomerIdentity? customer)
    {
        var counts = new Dictionary<string, int>();
        string Replace(Regex pattern, string input, string placeholder, Func<Match, bool>? accept = null) =>
            pattern.Replace(input, match =>
            {
                if (accept is not null && !accept(match))
                {
                    return match.Value;
                }

                counts[placeholder] = counts.GetValueOrDefault(placeholder) + 1;
                return placeholder;
            });

        var result = Replace(EmailPattern(), text, Email);
        result = Replace(IbanPattern(), result, Account);
        result = Replace(CardPattern(), result, Card, m => Luhn(Digits(m.Value)));
        result = Replace(SortCodeAccountPattern(), result, Account);
        result = Replace(PhonePattern(), result, Phone, m => Digits(m.Value).Length is >= 9 and <= 15);
        if (customer?.AccountNumber is { Length: > 5 } account)
        {
            result = Replace(new Regex(Regex.Escape(account), RegexOptions.IgnoreCase), result, Account);
        }

        foreach (var name in NameParts(customer?.Name))
        {
            result = Replace(new Regex($@"(?<![\p{{L}}]){Regex.Escape(name)}(?![\p{{L}}])", RegexOptions.IgnoreCase), result, Name);
        }

        return new RedactionResult(result, counts);
    }

    /// <summary>The full name first (so it becomes one placeholder), then each part of three letters or more.</summary>
    private static IEnumerable<string> NameParts(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            yield break;
        }

        yield return name.Trim();
        foreach (var part in name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.Length >= 3))
        {
            yield return part;
        }
    }

    private static string Digits(string value) => new([.. value.Where(char.IsAsciiDigit)]);

    private static bool Luhn(string digits)
    {
        if (digits.Length is < 13 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"\b\d{2}-\d{2}-\d{2}\s*,?\s*\d{8}\b|\b\d{2}-\d{2}-\d{2}\b|\b(?:account(?: number)?|acct)\s*(?:no\.?|number|#)?\s*:?\s*\d{8}\b", RegexOptions.IgnoreCase)]
    private static partial Regex SortCodeAccountPattern();

    [GeneratedRegex(@"(?<![\w£$€.,])(?:\+\d{1,3}[\s-]?)?(?:\(\d{1,5}\)[\s-]?)?\d{2,5}(?:[\s-]?\d{2,5}){1,4}(?![\w,]|[.,]\d)")]
    private static partial Regex PhonePattern();
}

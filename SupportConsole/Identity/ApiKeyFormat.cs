using System.Security.Cryptography;
using System.Text;

namespace SupportConsole.Identity;

/// <summary>API scopes a key can hold.</summary>
public static class ApiScopes
{
    public const string TicketsWrite = "tickets:write";
    public const string TicketsRead = "tickets:read";
    public const string ReportsRead = "reports:read";

    public static readonly IReadOnlyList<string> All = [TicketsWrite, TicketsRead, ReportsRead];
}

/// <summary>Creating and checking API keys. A key is shown once; only its SHA-256 hash is stored.</summary>
public static class ApiKeyFormat
{
    public const string Prefix = "sck_";

    /// <summary>A new random key: <c>sck_</c> + 8-character lookup prefix + <c>_</c> + 32-character secret.</summary>
    public static string NewKey() =>
        $"{Prefix}{RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyz23456789", 8)}_{RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 32)}";

    public static string LookupPrefix(string key) => key.Length >= Prefix.Length + 8 ? key.Substring(Prefix.Length, 8) : string.Empty;

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool Matches(string key, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(key)), Encoding.ASCII.GetBytes(storedHash));
}

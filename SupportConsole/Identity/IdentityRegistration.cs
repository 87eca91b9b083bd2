using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SupportConsole.Data;
using SupportConsole.Data.Entities;

namespace SupportConsole.Identity;

/// <summary>Configuration section <c>DemoAccounts</c>: the accounts created on first start.</summary>
public sealed class DemoAccountOptions
{
    public const string SectionName = "DemoAccounts";

    /// <summary>Create agent@demo.example, manager@demo.example and admin@demo.example when no user exists yet.</summary>
    public bool Create { get; set; } = true;

    public string AgentPassword { get; set; } = "Agent-demo-1";

    public string ManagerPassword { get; set; } = "Manager-demo-1";

    public string AdminPassword { get; set; } = "Admin-demo-1";
}

public static class IdentityRegistration
{
    /// <summary>
    /// ASP.NET Core Identity on the app's database, cookie sign-in for people with security-stamp checks on every request
    /// and in every open circuit, role policies, and the data-protection keys in the database (<see cref="AddSupportConsoleAccounts"/>).
    /// </summary>
    public static IHostApplicationBuilder AddSupportConsoleIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoAccountOptions>().BindConfiguration(DemoAccountOptions.SectionName);
        builder.AddSupportConsoleAccounts();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<AccountSecurityOptions>>((options, security) =>
            {
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.ExpireTimeSpan = TimeSpan.FromHours(security.Value.SessionHours);
                options.SlidingExpiration = true;
                options.Cookie.Name = "supportconsole";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

                // Identity's events object validates the security stamp (OnValidatePrincipal): change it, never replace it.
                // A signed-in user without the role gets a plain 403, not a redirect loop to the sign-in page.
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddOptions<SecurityStampValidatorOptions>()
            .Configure<IOptions<AccountSecurityOptions>>((options, security) => options.ValidationInterval = security.Value.SessionCheckInterval);
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Agent, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Manager, p => p.RequireRole(Roles.Manager, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddLastSignIn();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        builder.Services.AddSingleton<SignInAttempts>();
        builder.Services.AddScoped<ConsoleSignIn>();
        builder.Services.AddRateLimiter(options => options.AddPolicy(SignInRateLimit.PolicyName, SignInRateLimit.Partition)
            .OnRejected = SignInRateLimit.RejectAsync);
        builder.Services.AddScoped<DemoAccountSeeder>();
        return builder;
    }

    /// <summary>
    /// The user store (Identity core with roles on the app's database), the users and keys service, and the data-protection
    /// keys in the database: what the web console and the <c>users</c> command line share.
    /// </summary>
    public static IHostApplicationBuilder AddSupportConsoleAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountSecurityOptions>()
            .BindConfiguration(AccountSecurityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Keys in the app's database, one application name: a cookie or antiforgery token from one instance (or from before
        // a move to another machine or folder) is accepted by every other.
        builder.Services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<SupportConsoleDbContext>();
        builder.Services.AddIdentityCore<AppUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<SupportConsoleDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddOptions<IdentityOptions>()
            .Configure<IOptions<AccountSecurityOptions>>((options, security) =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = security.Value.MaxFailedSignIns;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(security.Value.LockoutMinutes);
            });
        return builder;
    }

    public const string DataProtectionApplicationName = "SupportConsole";
}

/// <summary>Creates the roles and, on a database without users, one demo account per role.</summary>
public sealed class DemoAccountSeeder(
    UserManager<AppUser> users,
    RoleManager<IdentityRole> roles,
    Microsoft.Extensions.Options.IOptions<DemoAccountOptions> options,
    TimeProvider clock,
    ILogger<DemoAccountSeeder> logger)
{
    public static readonly IReadOnlyList<(string Email, string Role)> Accounts =
    [
        ("agent@demo.example", Roles.Agent),
        ("manager@demo.example", Roles.Manager),
        ("admin@demo.example", Roles.Admin),
    ];

    public async Task SeedAsync()
    {
        await EnsureRolesAsync(roles);

        if (!options.Value.Create || users.Users.Any())
        {
            return;
        }

        foreach (var (email, role) in Accounts)
        {
            var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Demo {role.ToLowerInvariant()}", CreatedAt = clock.GetUtcNow() };
            var password = role switch
            {
                Roles.Admin => options.Value.AdminPassword,
                Roles.Manager => options.Value.ManagerPassword,
                _ => options.Value.AgentPassword,
            };
            Check(await users.CreateAsync(user, password), email);
            Check(await users.AddToRolesAsync(user, Roles.Including(role)), email);
            logger.LogInformation("Created demo account {Email} ({Role})", email, role);
        }
    }

    /// <summary>Creates the console's roles that do not exist yet.</summary>
    public static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
            }
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}

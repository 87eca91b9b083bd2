using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
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
    /// <summary>ASP.NET Core Identity on the app's database, cookie sign-in for people, role policies.</summary>
    public static IHostApplicationBuilder AddSupportConsoleIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoAccountOptions>().BindConfiguration(DemoAccountOptions.SectionName);
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
            options.SlidingExpiration = true;
            options.Cookie.Name = "supportconsole";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Events = new CookieAuthenticationEvents
            {
                // A signed-in user without the role gets a plain 403, not a redirect loop to the sign-in page.
                OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<SupportConsoleDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Agent, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Manager, p => p.RequireRole(Roles.Manager, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddLastSignIn();
        builder.Services.AddScoped<DemoAccountSeeder>();
        return builder;
    }
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
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
            }
        }

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

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}

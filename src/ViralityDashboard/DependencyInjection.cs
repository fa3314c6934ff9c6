using ViralityDashboard.Cli;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using ViralityDashboard.Account;
using ViralityDashboard.Data.Identity;
using ViralityDashboard.Components;
using ViralityDashboard.Components.Layout;
using ViralityDashboard.DemoAndBenchmarks.Demo;
using ViralityDashboard.Data;
using ViralityDashboard.Data.Embedded;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ViralityDashboard.Api;
using ViralityDashboard.Security;
using ViralityDashboard.Diagnostics;

namespace ViralityDashboard;

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    /// <summary>Mutating actions: only the owner may take them.</summary>
    public const string Owner = "Owner";
}

public static class DependencyInjection
{
    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddAccounts();
        builder.Services.AddScoped<ThemePreference>();
        // Database outages answer 503 first; ApiErrors is the generic fallback for every other /api error.
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.AddApiErrors();
        builder.AddRateLimits();
        builder.AddPromptShutdown();
        builder.Services.AddHostedService<LongGcPauseLog>();
        builder.AddSlowRequestLog();
        builder.Services.AddValidation();
        builder.Services.ConfigureHttpJsonOptions(o => ApiEndpoints.ConfigureApiJson(o.SerializerOptions));
        // Readiness (/health) beside the liveness check of AddServiceDefaults.
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>Sign-in with ASP.NET Core Identity in PostgreSQL; two roles, Owner and Viewer.</summary>
    private static void AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OwnerOptions>().BindConfiguration(OwnerOptions.Section).ValidateOnStart();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        builder.Services.AddAuthentication().AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            // Scripts calling the API get status codes, not the sign-in page.
            o.Events.OnRedirectToLogin = c => ApiOr(c, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => ApiOr(c, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddUserStore()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        builder.AddDatabaseSessions();
        builder.Services.AddScoped<OwnerGuard>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Owner, p => p.RequireRole(Roles.Owner))
            .AddPolicy(ApiEndpoints.ApiUserPolicy, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ApiKeyHandler.SchemeName)
                .RequireAuthenticatedUser());
    }

    /// <summary>Accounts and roles in PostgreSQL, shared by the web app and the <c>users</c> verb.</summary>
    internal static IdentityBuilder AddUserStore(this IServiceCollection services)
    {
        services.AddSingleton<IUserAccounts, UserAccounts>();
        return services.AddIdentityCore<ApplicationUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ViralityDbContext>();
    }

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary><c>--data-dir DIR</c> on the command line is the <c>Virality:DataDir</c> setting.</summary>
    public static void AddDataDirArgument(this IConfigurationBuilder configuration, string[] args) =>
        configuration.AddCommandLine(args, new Dictionary<string, string> { ["--data-dir"] = $"{DataOptions.Section}:{nameof(DataOptions.DataDir)}" });

    /// <summary>Starts the embedded database when no server is configured; on failure prints one clear message.</summary>
    /// <param name="ct">A stop during startup: a cluster this call launched is stopped again before it throws.</param>
    public static async Task<DatabaseLease> StartDatabaseOrExitAsync(this WebApplicationBuilder builder, CancellationToken ct = default)
    {
        using var loggerFactory = LoggerFactory.Create(l => l.AddConsole());
        try
        {
            return new DatabaseLease(await builder.StartDatabaseAsync(loggerFactory.CreateLogger("Database"), ct), Failed: false);
        }
        catch (EmbeddedPostgresException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return new DatabaseLease(null, Failed: true);
        }
    }

    /// <summary>
    /// Migrations, the owner account, then demo data on the first start of an empty embedded database: one process at
    /// a time (under <see cref="DatabaseSetupLock"/>), each checking inside the lock whether the work is still needed,
    /// so two apps started together on a fresh data directory both come up.
    /// </summary>
    /// <param name="ct">
    /// A stop during startup. Checked between steps; the demo data, written in several transactions, is finished
    /// first, since a half-seeded database would not be seeded again (it is no longer empty).
    /// On cancellation the app is disposed, so its connections close before the caller stops the cluster.
    /// </param>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        try
        {
            await PrepareAsync(app, ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        await using var setupLock = await AcquireSetupLockAsync(app, ct);
        await app.Services.MigrateDatabaseAsync(ct);
        await OwnerAccount.EnsureAsync(app.Services, app.Logger);
        ct.ThrowIfCancellationRequested();
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DataOptions>>().Value;
        var seeder = app.Services.GetRequiredService<DemoSeeder>();
        if (options.SeedDemoData && app.Services.GetRequiredService<DatabaseEndpoint>().IsEmbedded && await seeder.IsDatabaseEmptyAsync())
        {
            app.Logger.LogInformation("Empty database: adding demo data (5,000 videos, 300 analyzed and rated); set Virality__SeedDemoData=false to skip");
            var report = await seeder.SeedAsync(new DemoDataOptions { AwaitingRating = DemoDataOptions.DashboardAwaitingRating, PostingWindowDays = DemoDataOptions.DashboardPostingWindowDays, Now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow() }, CancellationToken.None);
            app.Logger.LogInformation("Demo data added: {Videos} videos, {Analyses} analyses, {Ratings} ratings", report.Videos.Inserted, report.AnalysesAdded, report.RatingsAdded);
        }
        ct.ThrowIfCancellationRequested();
    }

    private static async Task<DatabaseSetupLock> AcquireSetupLockAsync(WebApplication app, CancellationToken ct)
    {
        var dataSource = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        try
        {
            return await DatabaseSetupLock.AcquireAsync(dataSource, app.Logger, ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.InvalidCatalogName)
        {
            // A configured server without the database yet: migrating creates it (EF Core's own lock guards that step).
            await app.Services.MigrateDatabaseAsync(ct);
            return await DatabaseSetupLock.AcquireAsync(dataSource, app.Logger, ct);
        }
    }

    public static void UseWebPipeline(this WebApplication app)
    {
        app.UseSlowRequestLog();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        app.UseApiErrors();
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"),
            b => b.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // The sign-in limit is an endpoint policy: it needs the endpoint chosen, which WebApplication does first (no UseRouting call).
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapApiEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}

/// <summary>/health: the database answers.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<ViralityDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database does not answer.");
    }
}

/// <summary>The embedded database, if this process uses one; disposing it stops the cluster when no one else uses it.</summary>
public sealed record DatabaseLease(EmbeddedPostgres? Server, bool Failed) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Server?.DisposeAsync() ?? ValueTask.CompletedTask;
}

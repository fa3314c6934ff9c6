using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ViralityDashboard.Data.Identity;

namespace ViralityDashboard.Account;

/// <summary>Settings under <c>Virality:Owner</c>: the account created on the first start.</summary>
public sealed class OwnerOptions
{
    public const string Section = "Virality:Owner";

    public string UserName { get; set; } = "owner";

    /// <summary>When unset, a password is generated and printed once to the console.</summary>
    public string? Password { get; set; }
}

/// <summary>Creates the roles and, when nobody owns the dashboard yet, the owner account.</summary>
public static class OwnerAccount
{
    public static async Task EnsureAsync(IServiceProvider services, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the {role} role");
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if ((await users.GetUsersInRoleAsync(Roles.Owner)).Count > 0)
            return;
        var options = scope.ServiceProvider.GetRequiredService<IOptions<OwnerOptions>>().Value;
        var generated = string.IsNullOrEmpty(options.Password);
        var password = generated ? GeneratePassword() : options.Password!;
        var owner = new ApplicationUser { UserName = options.UserName, EmailConfirmed = true };
        Check(await users.CreateAsync(owner, password), $"create the owner account '{options.UserName}'");
        Check(await users.AddToRoleAsync(owner, Roles.Owner), "give the owner its role");
        if (generated)
        {
            // Printed once, on purpose to the console and not the log files.
            Console.WriteLine();
            Console.WriteLine($"  Owner account created. Sign in as '{options.UserName}' with password: {password}");
            Console.WriteLine("  (shown only now; set Virality__Owner__Password to choose your own on a fresh database)");
            Console.WriteLine();
        }
        else
        {
            logger.LogInformation("Owner account '{User}' created from configuration", options.UserName);
        }
    }

    /// <summary>
    /// 20 characters from an unambiguous alphabet, in dashed groups a person can type, with at least one digit,
    /// one upper- and one lower-case letter as Identity's password rules demand. Drawn again until it has them
    /// (one draw in twenty lacks a digit, which once made a first start fail), so every valid one is as likely.
    /// </summary>
    internal static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        while (true)
        {
            var password = string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(alphabet, 5)));
            if (password.Any(char.IsAsciiDigit) && password.Any(char.IsAsciiLetterUpper) && password.Any(char.IsAsciiLetterLower))
                return password;
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}

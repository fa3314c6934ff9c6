using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.Account;
using ViralityDashboard.Data.Identity;

namespace ViralityDashboard.Cli;

/// <summary>Sign-in accounts from the shell: the owner gives teammates read-only Viewer accounts.</summary>
internal static class UsersVerb
{
    public static Command Create()
    {
        var command = new Command("users", "List, add and remove sign-in accounts (Owner or Viewer)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command List()
    {
        var json = Common.Json();
        var command = new Command("list", "Every account and its role") { json };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var accounts = await host.Get<IUserAccounts>().ListAsync(ct);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(accounts);
                return 0;
            }
            var table = new Table().AddColumn("user").AddColumn("role");
            foreach (var a in accounts)
                table.AddRow(Markup.Escape(a.UserName), a.Role);
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "User name to sign in with" };
        var role = new Option<string>("--role") { Description = "Owner or Viewer", DefaultValueFactory = _ => Roles.Viewer };
        var password = new Option<string?>("--password") { Description = "At least 10 characters with a digit, an upper- and a lower-case letter; generated and printed once when omitted" };
        var command = new Command("add", "Create an account (a Viewer unless --role Owner)") { name, role, password };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            try
            {
                var created = await host.Get<IUserAccounts>().CreateAsync(parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(password), ct);
                Console.WriteLine($"created {created.Account.Role} account '{created.Account.UserName}'");
                if (created.GeneratedPassword is not null)
                    Console.WriteLine($"password (shown only now): {created.GeneratedPassword}");
                return 0;
            }
            catch (UserAccountException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static Command Remove()
    {
        var name = new Argument<string>("NAME") { Description = "Account to remove" };
        var command = new Command("remove", "Remove an account (never the last owner)") { name };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            try
            {
                await host.Get<IUserAccounts>().DeleteAsync(parse.GetValue(name)!, actingUser: $"cli:{Environment.UserName}", ct);
                Console.WriteLine($"removed '{parse.GetValue(name)}'");
                return 0;
            }
            catch (UserAccountException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}

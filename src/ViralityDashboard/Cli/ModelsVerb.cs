using ViralityDashboard.Core.Engagement;
using ViralityDashboard.Core.Ml;
using System.CommandLine;
using Spectre.Console;
using ViralityDashboard.Data.Registry;
using ViralityDashboard.Training;

namespace ViralityDashboard.Cli;

internal static class ModelsVerb
{
    public static Command Create()
    {
        var command = new Command("models", "List, activate, roll back and shadow model versions of both kinds (engagement, preference)");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Activate());
        command.Subcommands.Add(Rollback());
        command.Subcommands.Add(Shadow(shadow: true));
        command.Subcommands.Add(Shadow(shadow: false));
        return command;
    }

    private static string Who => $"cli:{Environment.UserName}";

    private static Option<ModelKind?> KindOption(string description) => Common.Choice<ModelKind>("--kind", description);

    private static Command List()
    {
        var json = Common.Json();
        var audit = new Option<bool>("--audit") { Description = "Also show the activation audit log" };
        var kind = KindOption("Only this kind: engagement | preference (default: both)");
        var command = new Command("list", "Every stored version, newest first") { json, audit, kind };
        command.SetAction(async (parse, ct) =>
        {
            await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
            var registry = host.Get<ModelRegistry>();
            var only = parse.GetValue(kind);
            var versions = await registry.ListAsync(only, ct);
            var changes = new List<ActivationChange>();
            foreach (var k in only is { } one ? [one] : Enum.GetValues<ModelKind>())
                changes.AddRange(await registry.AuditAsync(k, ct));
            changes.Sort((a, b) => a.ChangedAt != b.ChangedAt ? a.ChangedAt.CompareTo(b.ChangedAt) : a.Id.CompareTo(b.Id));
            var shadows = (await registry.ShadowTagsAsync(ct)).ToHashSet();
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(new { Versions = versions, Audit = changes, Shadows = shadows.Order() });
                return 0;
            }
            var table = new Table().AddColumn("tag").AddColumn("kind").AddColumn("status").AddColumn("trained (UTC)").AddColumn("rows").AddColumn("features").AddColumn("tiers").AddColumn("trainer").AddColumn("notes");
            foreach (var v in versions)
                table.AddRow(Markup.Escape(v.VersionTag), v.Kind.Wire(), v.IsActive ? $"[green]{VersionStatus.Active.Wire()}[/]" : v.Status == VersionStatus.Rejected ? $"[red]{v.Status.Wire()}[/]"
                    : shadows.Contains(v.VersionTag) ? $"{v.Status.Wire()} [blue](shadow)[/]" : v.Status.Wire(),
                    $"{v.TrainedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}", $"{v.TrainingVideoCount:N0}", v.FeatureSet, v.TierScheme ?? "", v.Trainer, Markup.Escape(Shorten(v.Notes)));
            AnsiConsole.Write(table);
            if (parse.GetValue(audit))
                PrintAudit(changes);
            return 0;
        });
        return command;
    }

    private static Command Activate()
    {
        var tag = new Argument<string>("TAG") { Description = "Version tag to activate" };
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit log)" };
        var command = new Command("activate", "Make a version the active one of its kind (one transaction, audited)") { tag, reason };
        command.SetAction(async (parse, ct) => await Change(parse, ct, r => r.ActivateAsync(parse.GetValue(tag)!, Who, parse.GetValue(reason), ct)));
        return command;
    }

    private static Command Rollback()
    {
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit log)" };
        var kind = KindOption("Which model's active version: engagement (default) | preference");
        // Each feature set has its own active version; without --features the one activated last is rolled back, as before.
        var features = Common.Choice("--features",
            $"Whose active version: {string.Join(" | ", FeatureSet.BuiltIn.Select(f => f.Name))} (default: the feature set whose version was activated last)",
            FeatureSet.BuiltIn, f => f.Name);
        var command = new Command("rollback", "Re-activate the version that was active before the current one (of one feature set)") { reason, kind, features };
        command.Validators.Add(r =>
        {
            if (r.GetValue(kind) == ModelKind.Preference && r.GetResult(features) is { Implicit: false })
                r.AddError("--features names an engagement feature set; a preference rollback takes --kind preference alone");
        });
        command.SetAction(async (parse, ct) => await Change(parse, ct, r => r.RollbackAsync(parse.GetValue(kind) ?? ModelKind.Engagement, Who, parse.GetValue(reason), ct,
            parse.GetValue(features)?.Name)));
        return command;
    }

    private static Command Shadow(bool shadow)
    {
        var tag = new Argument<string>("TAG") { Description = shadow ? "Engagement version to put in shadow" : "Version to take out of shadow" };
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit log)" };
        var command = shadow
            ? new Command("shadow", "Score new videos with an inactive engagement version beside the active one, to compare them (audited)") { tag, reason }
            : new Command("unshadow", "Stop scoring new videos with a version in shadow (audited)") { tag, reason };
        command.SetAction(async (parse, ct) => await Change(parse, ct, r => shadow
            ? r.ShadowAsync(parse.GetValue(tag)!, Who, parse.GetValue(reason), ct)
            : r.UnshadowAsync(parse.GetValue(tag)!, Who, parse.GetValue(reason), ct)));
        return command;
    }

    private static async Task<int> Change(ParseResult parse, CancellationToken ct, Func<ModelRegistry, Task<ActivationChange>> change)
    {
        await using var host = await CliHost.StartAsync(parse.GetValue(Common.DataDir), ct);
        try
        {
            var c = await change(host.Get<ModelRegistry>());
            if (c.Action is ActivationAction.Shadow or ActivationAction.Unshadow)
                AnsiConsole.MarkupLineInterpolated($"{c.Action.Wire()}: [green]{c.ToTag}[/] by {c.ChangedBy} at {c.ChangedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{(c.Reason is null ? "" : $" — {c.Reason}")}");
            else
                AnsiConsole.MarkupLineInterpolated($"{c.Action.Wire()}: {c.FromTag ?? "(none)"} → [green]{c.ToTag}[/] by {c.ChangedBy} at {c.ChangedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{(c.Reason is null ? "" : $" — {c.Reason}")}");
            return 0;
        }
        catch (ModelRegistryException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static void PrintAudit(IReadOnlyList<ActivationChange> changes)
    {
        var table = new Table().AddColumn("when (UTC)").AddColumn("action").AddColumn("from").AddColumn("to").AddColumn("by").AddColumn("why");
        foreach (var c in changes)
            table.AddRow($"{c.ChangedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}", c.Action.Wire(), Markup.Escape(c.FromTag ?? "-"), Markup.Escape(c.ToTag ?? "-"), Markup.Escape(c.ChangedBy), Markup.Escape(c.Reason ?? ""));
        AnsiConsole.Write(table);
    }

    private static string Shorten(string? s) => s is null ? "" : s.Length <= 60 ? s.ReplaceLineEndings(" ") : s[..57].ReplaceLineEndings(" ") + "…";
}

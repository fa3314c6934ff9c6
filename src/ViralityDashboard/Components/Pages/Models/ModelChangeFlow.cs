using MudBlazor;
using ViralityDashboard.Account;
using ViralityDashboard.Data.Registry;

namespace ViralityDashboard.Components.Pages.Models;

/// <summary>
/// Activate or roll back, either kind: the confirmation that names from → to and asks for a reason, then the
/// server-side owner check, then the change. Plain class so both registries share it.
/// </summary>
public sealed class ModelChangeFlow(IDialogService dialogs, OwnerGuard guard, ISnackbar snackbar)
{
    /// <returns>Whether the change was made.</returns>
    public async Task<bool> ConfirmAndApplyAsync(string title, string? from, string to, Func<string, string, Task<ActivationChange>> change)
    {
        var parameters = new DialogParameters<ConfirmChangeDialog> { { d => d.From, from }, { d => d.To, to } };
        var dialog = await dialogs.ShowAsync<ConfirmChangeDialog>(title, parameters);
        var result = await dialog.Result;
        if (result is null || result.Canceled || result.Data is not string reason)
            return false;
        try
        {
            var who = await guard.EnsureOwnerAsync("activate a model");
            var done = await change(who, reason);
            snackbar.Add($"{done.ToTag} is now active.", Severity.Success);
            return true;
        }
        catch (Exception e) when (e is NotOwnerException or ModelRegistryException)
        {
            snackbar.Add(e.Message, Severity.Error);
            return false;
        }
    }

    /// <summary>
    /// Rollback re-activates the "from" of the audit row that made the current version active
    /// (<paramref name="audit"/> newest first); null when there is nothing to roll back to.
    /// </summary>
    public static string? RollbackTarget(string? active, IEnumerable<ActivationChange> audit) =>
        active is null ? null : audit.FirstOrDefault(a => a.ToTag == active)?.FromTag;
}

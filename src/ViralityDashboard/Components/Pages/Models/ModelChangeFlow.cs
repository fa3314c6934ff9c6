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
    /// <param name="preview">
    /// The registry's own from → to for this change (<see cref="Training.Registry.IModelActivation.PreviewActivateAsync"/>,
    /// <see cref="Training.Registry.IModelActivation.PreviewRollbackAsync"/>): the page never guesses it, as it once did
    /// from the first active row, which named a version of another feature set. Its refusal ("nothing to roll back
    /// to") is shown instead of the dialog.
    /// </param>
    /// <returns>Whether the change was made.</returns>
    public async Task<bool> ConfirmAndApplyAsync(string title, Func<Task<PlannedChange>> preview, Func<string, string, Task<ActivationChange>> change)
    {
        PlannedChange planned;
        try
        {
            planned = await preview();
        }
        catch (ModelRegistryException e)
        {
            snackbar.Add(e.Message, Severity.Warning);
            return false;
        }
        var parameters = new DialogParameters<ConfirmChangeDialog>
        {
            { d => d.From, planned.FromTag }, { d => d.To, planned.ToTag }, { d => d.FeatureSet, planned.FeatureSet },
        };
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
}

using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ViralityDashboard.Tests.Components;

/// <summary>bUnit context as MudBlazor's own suite sets it up: loose JS interop, Mud services, no transitions.</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    // Some MudBlazor services (MudSelect's PointerEventsNoneService) are IAsyncDisposable only: xunit must dispose asynchronously.
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = false;
        });
    }
}

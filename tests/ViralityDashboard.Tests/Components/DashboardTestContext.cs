using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ViralityDashboard.Tests.Components;

/// <summary>bUnit context as MudBlazor's own suite sets it up: loose JS interop, Mud services, no transitions.</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    // Some MudBlazor 9 services (KeyInterceptorService, PointerEventsNoneService) are only IAsyncDisposable: xunit must dispose the context asynchronously
    // (it does for IAsyncLifetime), or the synchronous Dispose throws once a component has used it.
    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

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

using Microsoft.AspNetCore.Identity;

namespace ViralityDashboard.Data.Identity;

/// <summary>A person who signs in to the dashboard; what they may do comes from their role.</summary>
public sealed class ApplicationUser : IdentityUser;

/// <summary>The two roles: the owner changes things, a viewer reads everything.</summary>
public static class Roles
{
    /// <summary>Rates videos, launches and schedules retrains, activates and rolls back, imports.</summary>
    public const string Owner = "Owner";

    /// <summary>Reads every page; every mutating action is refused on the server.</summary>
    public const string Viewer = "Viewer";

    public static readonly string[] All = [Owner, Viewer];
}

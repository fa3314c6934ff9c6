using Microsoft.EntityFrameworkCore;

namespace ViralityDashboard.Data;

/// <summary>
/// This database's installation id (<see cref="Entities.Installation"/>), read once per process. Instances of one
/// database share it across restarts and machines; another database, even on the same server, has its own.
/// </summary>
/// <remarks>
/// Read synchronously on first use because ASP.NET Core asks for its application name while it builds the Data
/// Protection provider, which is not async; that happens after the migrations, on the first sign-in or form.
/// </remarks>
public sealed class DatabaseInstallation(IDbContextFactory<ViralityDbContext> contexts)
{
    private readonly Lazy<Guid> _id = new(() => Read(contexts), LazyThreadSafetyMode.PublicationOnly);

    public Guid Id => _id.Value;

    private static Guid Read(IDbContextFactory<ViralityDbContext> contexts)
    {
        using var db = contexts.CreateDbContext();
        // The migration draws the id; a row deleted by hand is drawn again here, once (the one-row key settles a race).
        db.Database.ExecuteSqlRaw("INSERT INTO installation (key) VALUES (1) ON CONFLICT (key) DO NOTHING");
        return db.Installation.AsNoTracking().Select(i => i.Id).Single();
    }
}

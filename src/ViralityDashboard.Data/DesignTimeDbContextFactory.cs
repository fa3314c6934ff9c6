using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace ViralityDashboard.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without a server or the web host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ViralityDbContext>
{
    public ViralityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ViralityDbContext>();
        // Never opened: dotnet ef only builds the model (and compares it with the snapshot).
        ViralityDbContext.Configure(options, NpgsqlDataSource.Create("Host=localhost;Database=virality_design"));
        return new ViralityDbContext(options.Options);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ViralityDashboard.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without a server or the web host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ViralityDbContext>
{
    public ViralityDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ViralityDbContext>();
        ViralityDbContext.Configure(options, "Host=localhost;Database=virality_design");
        return new ViralityDbContext(options.Options);
    }
}

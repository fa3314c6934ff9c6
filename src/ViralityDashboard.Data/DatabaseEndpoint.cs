namespace ViralityDashboard.Data;

/// <summary>
/// The database this process uses, resolved once at startup: a configured server or the embedded cluster.
/// Services connect through the one <c>NpgsqlDataSource</c> built from it; the connection string itself is
/// for the few callers that must reach another database on the same server (the benchmarks' scratch databases).
/// </summary>
/// <param name="ConnectionString">With its password, so it is kept out of <see cref="ToString"/>.</param>
/// <param name="IsEmbedded">True when this process started or joined its own cluster (demo data is added only then).</param>
public sealed record DatabaseEndpoint(string ConnectionString, bool IsEmbedded)
{
    public override string ToString() => IsEmbedded ? "embedded PostgreSQL" : "configured PostgreSQL";
}

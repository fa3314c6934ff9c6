namespace ViralityDashboard.Data.Entities;

/// <summary>
/// The one row of <c>installation</c>: a random id drawn once for this database (by its first migration, or by the
/// first app that finds the row missing). Every app instance of the database reads the same id, and no other database
/// has it, so it names the database's sessions (the Data Protection application name).
/// </summary>
public sealed class Installation
{
    /// <summary>Always 1: the primary key that keeps the table to one row, so two instances never draw two ids.</summary>
    public short Key { get; set; } = 1;
    public Guid Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

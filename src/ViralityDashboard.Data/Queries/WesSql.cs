using Npgsql;
using ViralityDashboard.Core.Engagement;

namespace ViralityDashboard.Data.Queries;

/// <summary>
/// The weighted engagement score in SQL, the one place it is written: (likes·w1 + comments·w2 + shares·w3 +
/// saves·w4) / views, with saves estimated as likes × 0.15 when the source has none (as Core does). NULL when
/// comments are unknown (turned off): callers keep to unflagged rows, which have them.
/// </summary>
internal static class WesSql
{
    public const string Expression =
        "(likes * @w1 + comments * @w2 + shares * @w3 + COALESCE(saves::float8, likes * 0.15::float8) * @w4) / views";

    public static void AddWeights(NpgsqlCommand cmd, WesWeights weights)
    {
        cmd.Parameters.AddWithValue("w1", weights.Likes);
        cmd.Parameters.AddWithValue("w2", weights.Comments);
        cmd.Parameters.AddWithValue("w3", weights.Shares);
        cmd.Parameters.AddWithValue("w4", weights.Saves);
    }
}

using System.Text.Json.Serialization;

namespace ViralityDashboard.Core.Ml;

/// <summary>The engagement trainers; the JSON names are the CLI's and the API's (<c>--trainer</c>, <c>model_versions.trainer</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TrainerKind>))]
public enum TrainerKind
{
    /// <summary>Multinomial logistic regression, ML.NET LbfgsMaximumEntropy with L2.</summary>
    [JsonStringEnumMemberName("lbfgs")] Lbfgs,
    /// <summary>LightGBM multiclass (softmax).</summary>
    [JsonStringEnumMemberName("lightgbm")] LightGbm,
    /// <summary>FastForest random forests, one versus all, calibrated.</summary>
    [JsonStringEnumMemberName("forest")] FastForest,
    /// <summary>
    /// Ordinal: LightGBM regression on the tier (1–5) with cut points learned on a validation fold; the tier is the
    /// interval its score falls in. Uses the ordering of the tiers that multiclass ignores.
    /// </summary>
    [JsonStringEnumMemberName("lightgbm-ordinal")] LightGbmOrdinal,
    /// <summary>
    /// Not a model form: a run that compares the others by cross-validated macro-F1 (<see cref="AutoSearch"/>) and keeps
    /// the best. Its versions are stored under the trainer that won.
    /// </summary>
    [JsonStringEnumMemberName("auto")] Auto,
    /// <summary>
    /// No fitted model: the growth rule (<see cref="GrowthRule"/>) as a servable version, views at observation × the
    /// training rows' median growth for that age. Needs point-in-time rows of a set with <c>logViews</c> and
    /// <c>logAgeHours</c> (<c>early</c>) and view tiers; honest with few videos, and the bar the others must clear.
    /// </summary>
    [JsonStringEnumMemberName("growth")] Growth,
}

/// <summary>
/// How one model is fitted. Every trainer runs on one thread with a fixed seed, so the same data and
/// options give the same model. One thread is also what keeps a fit within the training threads' bound
/// (<see cref="TrainingParallelism"/>): with more, ML.NET spreads a fit over the thread pool (FastTree's
/// <c>Parallel.Invoke</c>, L-BFGS's tasks) or over native OpenMP threads (LightGBM), outside any scheduler we
/// pass. A run's parallelism comes from its cross-validation folds instead, each fit on a training thread.
/// </summary>
/// <param name="L2Regularization">
/// λ of the logistic regression. ML.NET minimises (Σ wᵢ·lossᵢ + λ/2·‖W‖²) / Σ wᵢ, so λ = 1 (ML.NET's
/// default) is the same objective as scikit-learn's LogisticRegression default C = 1/λ = 1.
/// </param>
/// <param name="OptimizationTolerance">
/// L-BFGS stopping tolerance, 1e-4 as scikit-learn's default tol (ML.NET's default is 1e-7). Measured against
/// the peer script on the same rows: 8,000 synthetic rows fit in 97 ms instead of 366 ms (1e-6) with test
/// accuracy 0.4925 against the peer's 0.4915; vn_creators 0.4599 against 0.4573. The last digits of the
/// weights differ from a fully converged fit; the tiers they predict barely do.
/// </param>
/// <param name="BalancedClassWeights">
/// Example weights n / (k · count of the row's tier), scikit-learn's class_weight='balanced'
/// (k = tiers present in the training rows).
/// </param>
/// <param name="LightGbmLeaves">LightGBM's num_leaves; null: ML.NET's default.</param>
/// <param name="LightGbmLearningRate">LightGBM's learning rate; null: ML.NET's default.</param>
/// <param name="LightGbmMinDataPerLeaf">LightGBM's min_data_in_leaf; null: ML.NET's default.</param>
/// <param name="LightGbmEarlyStoppingRounds">
/// Above 0: <see cref="LightGbmIterations"/> is a maximum, and boosting stops when the multiclass log-loss on a
/// validation fold (<see cref="ValidationFraction"/> of the rows, stratified, seeded) has not improved for this many
/// rounds. The fit then learns from the other rows only.
/// </param>
public sealed record TrainerOptions(
    TrainerKind Kind = TrainerKind.Lbfgs,
    int Seed = 42,
    float L2Regularization = 1f,
    float OptimizationTolerance = 1e-4f,
    bool BalancedClassWeights = true,
    int LightGbmIterations = 100,
    int ForestTrees = 100,
    int ForestLeaves = 20,
    int? LightGbmLeaves = null,
    double? LightGbmLearningRate = null,
    int? LightGbmMinDataPerLeaf = null,
    int LightGbmEarlyStoppingRounds = 0,
    double ValidationFraction = 0.15);

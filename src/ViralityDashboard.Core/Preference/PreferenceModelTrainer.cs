using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using ViralityDashboard.Core.Ml;

namespace ViralityDashboard.Core.Preference;

/// <summary>How the preference regressors are fitted (seed 003 §5.1). Every trainer is single-threaded and seeded.</summary>
/// <param name="RidgeAlpha">
/// α of ridge: minimises ‖y − Xβ − b‖² + α‖β‖² with an unpenalised intercept b, scikit-learn's
/// <c>Ridge(alpha=1.0)</c>. Solved exactly on centred data, (XcᵀXc + αI)β = Xcᵀyc, b = ȳ − x̄ᵀβ.
/// </param>
/// <param name="ForestTrees">n_estimators = 100.</param>
/// <param name="ForestLeaves">
/// FastForest has no maximum depth; max_depth = 10 allows up to 2¹⁰ = 1,024 leaves, so that is the cap.
/// With a few hundred rows and <see cref="ForestMinimumLeafSize"/> the trees stop well before it, as
/// scikit-learn's do.
/// </param>
/// <param name="ForestMinimumLeafSize">min_samples_leaf = 2. FastForest has no min_samples_split; a split needs
/// two leaves of at least 2, i.e. 4 rows, the nearest to 5.</param>
/// <param name="ForestFeatureFraction">1.0, scikit-learn's max_features for regression (FastForest's default is 0.7).</param>
/// <param name="LightGbmIterations">Boosting rounds; other LightGBM settings are ML.NET's defaults.</param>
public sealed record PreferenceTrainerOptions(
    double RidgeAlpha = 1.0,
    int ForestTrees = 100,
    int ForestLeaves = 1024,
    int ForestMinimumLeafSize = 2,
    double ForestFeatureFraction = 1.0,
    int LightGbmIterations = 100,
    int Seed = 42);

public static class PreferenceModelTrainer
{
    public static PreferenceModel Train(
        PreferenceModelKind kind,
        IReadOnlyList<double[]> features,
        IReadOnlyList<double> target,
        PreferenceTrainerOptions? options = null)
    {
        options ??= new PreferenceTrainerOptions();
        var featureCount = MlNetModel.CheckRows(features, target.Count, "target");
        if (features.Any(f => f.Length != featureCount))
            throw new ArgumentException($"Every row needs {featureCount} features.", nameof(features));

        return kind == PreferenceModelKind.Ridge
            ? PreferenceModel.FromLinear(Ridge(features, target, options.RidgeAlpha))
            : TrainTrees(kind, features, target, options, featureCount);
    }

    /// <summary>Exact ridge regression with an unpenalised intercept; deterministic (managed MathNet, Cholesky).</summary>
    public static LinearPreferenceWeights Ridge(IReadOnlyList<double[]> features, IReadOnlyList<double> target, double alpha = 1.0)
    {
        if (alpha < 0 || double.IsNaN(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be ≥ 0.");
        var n = features.Count;
        var p = features[0].Length;
        var x = Matrix<double>.Build.Dense(n, p, (i, j) => features[i][j]);
        var y = Vector<double>.Build.Dense(n, i => target[i]);

        var means = Vector<double>.Build.Dense(p, j => x.Column(j).Average());
        var yMean = y.Average();
        for (var j = 0; j < p; j++)
            x.SetColumn(j, x.Column(j) - means[j]);
        var yc = y - yMean;

        Vector<double> beta;
        if (alpha > 0)
        {
            var gram = x.TransposeThisAndMultiply(x) + Matrix<double>.Build.DenseIdentity(p) * alpha;
            beta = gram.Cholesky().Solve(x.TransposeThisAndMultiply(yc));
        }
        else
        {
            // Ordinary least squares; the SVD gives the minimum-norm solution when XᵀX is singular.
            beta = x.Svd().Solve(yc);
        }

        return new LinearPreferenceWeights(alpha, yMean - means.DotProduct(beta), beta.ToArray());
    }

    private static PreferenceModel TrainTrees(PreferenceModelKind kind, IReadOnlyList<double[]> features, IReadOnlyList<double> target, PreferenceTrainerOptions o, int featureCount)
    {
        var rows = new Example[features.Count];
        for (var i = 0; i < rows.Length; i++)
            rows[i] = new Example { Features = Array.ConvertAll(features[i], v => (float)v), Label = (float)target[i] };

        var ml = new MLContext(o.Seed);
        var data = ml.Data.LoadFromEnumerable(rows, MlNetModel.VectorSchema<Example>(featureCount));

        // The example rows' Features and Label are ML.NET's default column names, so the trainers are not told them.
        IEstimator<ITransformer> estimator = kind switch
        {
            PreferenceModelKind.RandomForest => ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
            {
                NumberOfTrees = o.ForestTrees,
                NumberOfLeaves = o.ForestLeaves,
                MinimumExampleCountPerLeaf = o.ForestMinimumLeafSize,
                FeatureFraction = o.ForestFeatureFraction,
                NumberOfThreads = 1,
                Seed = o.Seed,
            }),
            PreferenceModelKind.LightGbm => ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                NumberOfIterations = o.LightGbmIterations,
                NumberOfThreads = 1,
                Seed = o.Seed,
                Deterministic = true,
                Silent = true,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a tree model."),
        };

        var transformer = estimator.Fit(data);
        // Persist and predict with a schema of the Features column alone, so a loaded model needs no label.
        var inputSchema = ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), MlNetModel.VectorSchema<FeatureRow>(featureCount)).Schema;
        return PreferenceModel.FromTrees(kind, ml, transformer, inputSchema, featureCount);
    }

    private sealed class Example
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }
}

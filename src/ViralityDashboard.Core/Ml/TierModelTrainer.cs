using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace ViralityDashboard.Core.Ml;

/// <summary>Fits a 5-tier classifier with ML.NET on feature vectors in memory.</summary>
public static class TierModelTrainer
{
    internal const string WeightColumn = "Weight";

    public static TierModel Train(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, TrainerOptions? options = null)
    {
        options ??= new TrainerOptions();
        var featureCount = MlNetModel.CheckRows(features, labels.Count, "labels");
        var weights = options.BalancedClassWeights ? BalancedWeights(labels) : null;

        var rows = new TrainingExample[features.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            if (features[i].Length != featureCount)
                throw new ArgumentException($"Row {i} has {features[i].Length} features, expected {featureCount}.");
            if (labels[i] is < 1 or > TierModel.TierCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Row {i}: tiers lie in 1..{TierModel.TierCount}.");
            // Loading from objects, a key column takes 0-based values: tier t is class index t − 1.
            rows[i] = new TrainingExample { Features = features[i], Label = (uint)(labels[i] - 1), Weight = weights?[labels[i] - 1] ?? 1f };
        }

        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(rows, TrainingSchema(featureCount));
        var estimator = CreateEstimator(ml, options);
        var transformer = estimator.Fit(data);
        return TierModel.Create(ml, transformer, data.Schema, options.Kind, featureCount);
    }

    /// <summary>n / (k · count) per tier, index 0 = tier 1; 0 for tiers without rows.</summary>
    public static float[] BalancedWeights(IReadOnlyList<int> labels)
    {
        var counts = new int[TierModel.TierCount];
        foreach (var t in labels)
            counts[t - 1]++;
        var present = counts.Count(c => c > 0);
        return counts.Select(c => c == 0 ? 0f : (float)(labels.Count / ((double)present * c))).ToArray();
    }

    // The example rows' Features and Label are ML.NET's default column names, so the trainers are not told them.
    private static IEstimator<ITransformer> CreateEstimator(MLContext ml, TrainerOptions o) => o.Kind switch
    {
        TrainerKind.Lbfgs => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            ExampleWeightColumnName = WeightColumn,
            L2Regularization = o.L2Regularization,
            L1Regularization = 0f,
            OptimizationTolerance = o.OptimizationTolerance,
            NumberOfThreads = 1,
        }),
        TrainerKind.LightGbm => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            ExampleWeightColumnName = WeightColumn,
            NumberOfIterations = o.LightGbmIterations,
            NumberOfThreads = 1,
            Seed = o.Seed,
            Deterministic = true,
            UseSoftmax = true,
            Silent = true,
        }),
        TrainerKind.FastForest => ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
            {
                ExampleWeightColumnName = WeightColumn,
                NumberOfTrees = o.ForestTrees,
                NumberOfLeaves = o.ForestLeaves,
                NumberOfThreads = 1,
                Seed = o.Seed,
            }),
            useProbabilities: true),
        _ => throw new ArgumentOutOfRangeException(nameof(o), o.Kind, "Unknown trainer."),
    };

    internal static SchemaDefinition TrainingSchema(int featureCount)
    {
        var schema = MlNetModel.VectorSchema<TrainingExample>(featureCount);
        schema[nameof(TrainingExample.Label)].ColumnType = new KeyDataViewType(typeof(uint), TierModel.TierCount);
        return schema;
    }

    internal sealed class TrainingExample
    {
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
        public float Weight { get; set; }
    }
}

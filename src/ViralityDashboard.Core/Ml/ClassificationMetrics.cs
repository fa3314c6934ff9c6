namespace ViralityDashboard.Core.Ml;

/// <summary>Precision, recall and F1 of one tier; 0 where undefined (sklearn's zero_division=0).</summary>
public sealed record ClassMetrics(int Tier, double Precision, double Recall, double F1, int Support);

/// <summary>Figures of one classifier on one set of rows. Serializable as JSON (no NaN or infinity).</summary>
public sealed record ClassificationMetrics(
    int Count,
    double Accuracy,
    double MacroF1,
    double QuadraticWeightedKappa,
    double WithinOneTierAccuracy,
    double LogLoss,
    IReadOnlyList<ClassMetrics> PerClass,
    int[][] ConfusionMatrix);

/// <summary>
/// Classification metrics for tiers 1..k. Conventions, chosen to match scikit-learn where it is defined:
/// macro-F1 averages over tiers present in the actual or predicted labels; kappa uses quadratic weights
/// (i − j)² over the tier numbers themselves (so a tier absent from both still counts as a step), and is 0
/// when undefined; log-loss clips probabilities to [1e−15, 1].
/// Confusion matrix rows are actual tiers, columns predicted tiers.
/// </summary>
public static class Metrics
{
    public const double ProbabilityFloor = 1e-15;

    public static ClassificationMetrics Evaluate(
        IReadOnlyList<int> actual, IReadOnlyList<int> predicted, IReadOnlyList<float[]>? probabilities = null, int tierCount = 5)
    {
        if (actual.Count != predicted.Count)
            throw new ArgumentException("Actual and predicted labels differ in length.");
        if (actual.Count == 0)
            throw new ArgumentException("Metrics of an empty set are undefined.", nameof(actual));
        var matrix = ConfusionMatrix(actual, predicted, tierCount);
        var fromCounts = FromConfusion(matrix);
        return probabilities is null ? fromCounts : fromCounts with { LogLoss = LogLoss(actual, probabilities) };
    }

    /// <summary>
    /// Every figure but log-loss from the counts alone (rows actual, columns predicted), so figures kept as
    /// counts, as realized performance is, are computed the same way as at training. The matrix must not be empty.
    /// </summary>
    public static ClassificationMetrics FromConfusion(int[][] matrix)
    {
        var tierCount = matrix.Length;
        var n = matrix.Sum(row => row.Sum());
        if (n == 0)
            throw new ArgumentException("Metrics of an empty set are undefined.", nameof(matrix));
        var correct = 0;
        var withinOne = 0;
        for (var a = 0; a < tierCount; a++)
            for (var p = 0; p < tierCount; p++)
            {
                if (a == p) correct += matrix[a][p];
                if (Math.Abs(a - p) <= 1) withinOne += matrix[a][p];
            }

        var perClass = new ClassMetrics[tierCount];
        double f1Sum = 0;
        var present = 0;
        for (var c = 0; c < tierCount; c++)
        {
            var tp = matrix[c][c];
            var actualCount = matrix[c].Sum();
            var predictedCount = matrix.Sum(row => row[c]);
            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = actualCount == 0 ? 0 : (double)tp / actualCount;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[c] = new ClassMetrics(c + 1, precision, recall, f1, actualCount);
            if (actualCount > 0 || predictedCount > 0)
            {
                f1Sum += f1;
                present++;
            }
        }

        return new ClassificationMetrics(
            n,
            (double)correct / n,
            present == 0 ? 0 : f1Sum / present,
            QuadraticWeightedKappa(matrix),
            (double)withinOne / n,
            0,
            perClass,
            matrix);
    }

    /// <summary>
    /// The Wilson score interval of a proportion (z = 1.96: 95 %): honest at small counts and near 0 or 1, where the
    /// normal approximation is not. For a week of realized accuracy with few matured predictions.
    /// </summary>
    public static (double Low, double High) WilsonInterval(int successes, int count, double z = 1.959963984540054)
    {
        if (count <= 0)
            return (0, 1);
        var p = (double)successes / count;
        var z2 = z * z;
        var centre = (p + z2 / (2 * count)) / (1 + z2 / count);
        var half = z * Math.Sqrt(p * (1 - p) / count + z2 / (4.0 * count * count)) / (1 + z2 / count);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Counts of (actual, predicted) pairs; labels outside 1..k are an error.</summary>
    public static int[][] ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int tierCount = 5)
    {
        var matrix = new int[tierCount][];
        for (var i = 0; i < tierCount; i++)
            matrix[i] = new int[tierCount];
        for (var i = 0; i < actual.Count; i++)
        {
            if (actual[i] < 1 || actual[i] > tierCount || predicted[i] < 1 || predicted[i] > tierCount)
                throw new ArgumentOutOfRangeException(nameof(actual), $"Tier labels lie in 1..{tierCount}; row {i} has {actual[i]} → {predicted[i]}.");
            matrix[actual[i] - 1][predicted[i] - 1]++;
        }
        return matrix;
    }

    /// <summary>κ = 1 − Σ w·O / Σ w·E with w = (i − j)², E the outer product of the marginals / n.</summary>
    public static double QuadraticWeightedKappa(int[][] matrix)
    {
        var k = matrix.Length;
        var rowSums = matrix.Select(r => (double)r.Sum()).ToArray();
        var colSums = Enumerable.Range(0, k).Select(c => (double)matrix.Sum(r => r[c])).ToArray();
        var n = rowSums.Sum();
        if (n == 0)
            return 0;
        double observed = 0, expected = 0;
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
            {
                double w = (i - j) * (i - j);
                observed += w * matrix[i][j];
                expected += w * rowSums[i] * colSums[j] / n;
            }
        return expected == 0 ? 0 : 1 - observed / expected;
    }

    public static double LogLoss(IReadOnlyList<int> actual, IReadOnlyList<float[]> probabilities)
    {
        if (actual.Count != probabilities.Count)
            throw new ArgumentException("Labels and probabilities differ in length.");
        double sum = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var p = probabilities[i][actual[i] - 1];
            sum -= Math.Log(Math.Clamp(p, ProbabilityFloor, 1.0));
        }
        return sum / actual.Count;
    }

    /// <summary>Index of the largest probability, as a tier (ties → lower tier).</summary>
    public static int ArgMaxTier(ReadOnlySpan<float> probabilities)
    {
        var best = 0;
        for (var i = 1; i < probabilities.Length; i++)
            if (probabilities[i] > probabilities[best])
                best = i;
        return best + 1;
    }
}

/// <summary>Reference classifiers a model must beat, fitted on the training labels only.</summary>
public static class Baselines
{
    /// <summary>Training-label frequencies, index 0 = tier 1.</summary>
    public static float[] Prior(IReadOnlyList<int> trainLabels, int tierCount = 5)
    {
        var prior = new float[tierCount];
        foreach (var t in trainLabels)
            prior[t - 1]++;
        for (var i = 0; i < tierCount; i++)
            prior[i] /= Math.Max(trainLabels.Count, 1);
        return prior;
    }

    /// <summary>Always the most frequent training tier (ties → lower tier); probabilities are the prior.</summary>
    public static ClassificationMetrics Majority(IReadOnlyList<int> trainLabels, IReadOnlyList<int> testLabels, int tierCount = 5)
    {
        var prior = Prior(trainLabels, tierCount);
        var tier = Metrics.ArgMaxTier(prior);
        return Metrics.Evaluate(testLabels, Enumerable.Repeat(tier, testLabels.Count).ToArray(),
            Enumerable.Repeat(prior, testLabels.Count).ToArray(), tierCount);
    }

    /// <summary>A tier drawn from the training prior for each row (seeded); probabilities are the prior.</summary>
    public static ClassificationMetrics StratifiedRandom(IReadOnlyList<int> trainLabels, IReadOnlyList<int> testLabels, int seed, int tierCount = 5)
    {
        var prior = Prior(trainLabels, tierCount);
        var random = new Random(seed);
        // Rounding can leave u above the float cumulative sum: fall back to a tier that occurs.
        var lastPresent = Array.FindLastIndex(prior, p => p > 0) + 1;
        var predicted = new int[testLabels.Count];
        for (var i = 0; i < predicted.Length; i++)
        {
            var u = random.NextDouble();
            var tier = lastPresent;
            double cumulative = 0;
            for (var c = 0; c < tierCount; c++)
            {
                cumulative += prior[c];
                if (u < cumulative)
                {
                    tier = c + 1;
                    break;
                }
            }
            predicted[i] = tier;
        }
        return Metrics.Evaluate(testLabels, predicted, Enumerable.Repeat(prior, testLabels.Count).ToArray(), tierCount);
    }
}

using FederatedCare.Protos.V1;

namespace FederatedCare.Protos.Wire;

/// <summary>
/// The node agents' built-in models as a job spec names them (<see cref="ModelSpec.Name"/>): which label tasks each
/// learns and which hyperparameters it takes. The node's model zoo refuses any other hyperparameter, and the
/// coordinator checks a spec against this catalogue at submission, so a misspelt key (<c>hidden_size</c> for
/// <c>hidden_sizes</c>) is refused at once instead of training the default network.
/// </summary>
public static class ModelCatalog
{
    /// <summary>Hyperparameter keys (<see cref="ModelSpec.Hyperparameters"/>), strings in the invariant culture.</summary>
    public static class Keys
    {
        /// <summary>Input width; must equal the schema's encoded width.</summary>
        public const string InFeatures = "in_features";

        /// <summary>Classes of a multi-class label; must equal the label's levels.</summary>
        public const string NumClasses = "num_classes";

        /// <summary>MLP hidden layer widths, comma-separated positive integers (default <c>32</c>).</summary>
        public const string HiddenSizes = "hidden_sizes";

        /// <summary>MLP activation: relu (default), tanh, sigmoid, gelu.</summary>
        public const string Activation = "activation";

        /// <summary>MLP dropout probability in [0, 1) (default 0).</summary>
        public const string Dropout = "dropout";
    }

    /// <summary>One model: its name, the label tasks it learns and the hyperparameters it takes.</summary>
    /// <param name="Name">e.g. <c>mlp</c>.</param>
    /// <param name="Tasks">The label tasks it learns.</param>
    /// <param name="Hyperparameters">The keys it takes, sorted.</param>
    public sealed record Model(string Name, IReadOnlyList<LabelTask> Tasks, IReadOnlyList<string> Hyperparameters);

    /// <summary><c>logistic_regression</c>: binary labels.</summary>
    public static Model LogisticRegression { get; } = new("logistic_regression", [LabelTask.Binary], [Keys.InFeatures]);

    /// <summary><c>multinomial_logistic_regression</c>: multi-class labels.</summary>
    public static Model MultinomialLogisticRegression { get; } =
        new("multinomial_logistic_regression", [LabelTask.Multiclass], [Keys.InFeatures, Keys.NumClasses]);

    /// <summary><c>linear_regression</c>: regression labels.</summary>
    public static Model LinearRegression { get; } = new("linear_regression", [LabelTask.Regression], [Keys.InFeatures]);

    /// <summary><c>mlp</c>: any of binary, multi-class and regression labels.</summary>
    public static Model Mlp { get; } = new("mlp", [LabelTask.Binary, LabelTask.Multiclass, LabelTask.Regression],
        [Keys.Activation, Keys.Dropout, Keys.HiddenSizes, Keys.InFeatures]);

    /// <summary>
    /// <c>cox</c>: survival labels; the linear predictor η = xᵀβ of the unstratified Cox proportional hazards model
    /// (no intercept), trained by the job's strategy on the negative partial log-likelihood.
    /// </summary>
    public static Model Cox { get; } = new("cox", [LabelTask.Survival], [Keys.InFeatures]);

    /// <summary>Every built-in model, by name.</summary>
    public static IReadOnlyList<Model> All { get; } = [LogisticRegression, MultinomialLogisticRegression, LinearRegression, Mlp, Cox];

    /// <summary>The built-in model called <paramref name="name"/>, or null.</summary>
    public static Model? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>
    /// The refusal of a hyperparameter <paramref name="model"/> does not take, e.g. <c>model mlp has no hyperparameter
    /// 'hidden_size' (did you mean 'hidden_sizes'? it takes: activation, dropout, hidden_sizes, in_features)</c>; null when it takes every key.
    /// </summary>
    public static string? UnknownKey(string model, IReadOnlyCollection<string> takes, IEnumerable<string> keys)
    {
        var unknown = keys.Order(StringComparer.Ordinal).FirstOrDefault(k => !takes.Contains(k));
        if (unknown is null) return null;
        var close = takes.Select(k => (Key: k, Distance: Distance(k, unknown))).Where(c => c.Distance <= 2).OrderBy(c => c.Distance).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Key).FirstOrDefault();
        var list = takes.Count == 0 ? "it takes none" : $"it takes: {string.Join(", ", takes.Order(StringComparer.Ordinal))}";
        return $"model {model} has no hyperparameter '{unknown}' ({(close is null ? "" : $"did you mean '{close}'? ")}{list})";
    }

    // Levenshtein distance of two short keys.
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}

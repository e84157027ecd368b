namespace FederatedCare.NodeAgent.Options;

/// <summary>Checks <see cref="PolicyOptions"/> (section <c>NodeAgent:Policy</c>) and names every wrong setting by its key.</summary>
public static class PolicyOptionsValidator
{
    /// <summary>Adds one message per wrong setting of <paramref name="options"/>'s policy to <paramref name="errors"/>.</summary>
    public static void Validate(NodeAgentOptions options, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        if (options.Policy is not { } policy) return;
        const string p = NodeAgentOptions.SectionName + ":Policy";
        if (!string.Equals(policy.Approval, PolicyOptions.AutoApproval, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(policy.Approval, PolicyOptions.ManualApproval, StringComparison.OrdinalIgnoreCase))
            errors.Add($"{p}:Approval '{policy.Approval}' must be {PolicyOptions.AutoApproval} or {PolicyOptions.ManualApproval}.");
        else if (string.Equals(policy.Approval, PolicyOptions.ManualApproval, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(options.StateDirectory))
            errors.Add($"{p}:Approval manual needs {NodeAgentOptions.SectionName}:StateDirectory: pending jobs and decisions are kept there.");
        if (policy.Datasets.Count == 0)
            errors.Add($"{p}:Datasets is empty: list each dataset a job may use and its columns, e.g. {p}:Datasets:heart-disease:Columns:0=age.");
        foreach (var (name, dataset) in policy.Datasets)
        {
            if (dataset is null || dataset.Columns.Count == 0 || dataset.Columns.Any(string.IsNullOrWhiteSpace))
                errors.Add($"{p}:Datasets:{name}:Columns must list at least one column, none empty.");
            if (!options.Datasets.ContainsKey(name))
                errors.Add($"{p}:Datasets:{name} is not one of this node's datasets ({string.Join(", ", options.Datasets.Keys)}).");
        }
        foreach (var kind in policy.JobKinds.Where(k => !PolicyOptions.AllKinds.Contains(k, StringComparer.OrdinalIgnoreCase)))
            errors.Add($"{p}:JobKinds '{kind}' is unknown; kinds: {string.Join(", ", PolicyOptions.AllKinds)}.");
        if (policy.Strategies.Any(string.IsNullOrWhiteSpace)) errors.Add($"{p}:Strategies must not hold an empty name.");
        if (policy.Models.Any(string.IsNullOrWhiteSpace)) errors.Add($"{p}:Models must not hold an empty name.");
        if (policy.AllowedOperators.Any(string.IsNullOrWhiteSpace)) errors.Add($"{p}:AllowedOperators must not hold an empty name.");
        if (policy.MaxRounds < 0) errors.Add($"{p}:MaxRounds must be 0 (no limit) or more (was {policy.MaxRounds}).");
        if (policy.MaxEpsilon is { } epsilon && !(double.IsFinite(epsilon) && epsilon > 0))
            errors.Add($"{p}:MaxEpsilon must be a positive number (was {epsilon}); leave it out for no limit.");
        if (policy.MinRegionsPerAggregate < 1) errors.Add($"{p}:MinRegionsPerAggregate must be at least 1 (was {policy.MinRegionsPerAggregate}).");
    }
}

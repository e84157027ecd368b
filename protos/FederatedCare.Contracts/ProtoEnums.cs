using System.Reflection;
using Google.Protobuf.Reflection;

namespace FederatedCare.Protos.V1;

/// <summary>
/// The contract's enums as the .proto files and job-spec files spell them (<c>JOB_MODE_LOCAL</c>), for validation
/// messages that must list the valid values. A value received as a number may be one no enum member names.
/// </summary>
public static class ProtoEnums
{
    /// <summary>Whether <paramref name="value"/> is a member of <typeparamref name="T"/> (not an unknown number).</summary>
    public static bool IsDefined<T>(T value) where T : struct, Enum => Enum.IsDefined(value);

    /// <summary>The .proto name of <paramref name="value"/>, e.g. <c>LOCAL_OPTIMIZER_ADAM</c>; the number when it is no member.</summary>
    public static string Name<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString(), BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<OriginalNameAttribute>()?.Name
        ?? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every member's .proto name, comma-separated, in declaration order.</summary>
    public static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(Name));

    /// <summary>The refusal of an unknown value: <c>spec.mode 7 is not one of JOB_MODE_FEDERATED, JOB_MODE_LOCAL.</c></summary>
    /// <param name="field">The field's path, e.g. <c>spec.mode</c>.</param>
    /// <param name="value">The value received.</param>
    public static string NotOneOf<T>(string field, T value) where T : struct, Enum => $"{field} {Name(value)} is not one of {Names<T>()}.";

    /// <summary>
    /// The members of the contract enum called <paramref name="fullName"/> (e.g. <c>federatedcare.v1.JobMode</c>) as
    /// the .proto file names them, or null when the contract has no such enum.
    /// </summary>
    public static IReadOnlyList<string>? ValuesOf(string fullName) =>
        ContractFiles.SelectMany(f => f.EnumTypes.Concat(f.MessageTypes.SelectMany(Nested)))
            .FirstOrDefault(e => e.FullName == fullName)?.Values.Select(v => v.Name).ToList();

    private static IEnumerable<FileDescriptor> ContractFiles =>
        [JobsReflection.Descriptor, ModelReflection.Descriptor, DatasetReflection.Descriptor, FederationReflection.Descriptor, AnalysisReflection.Descriptor];

    private static IEnumerable<EnumDescriptor> Nested(MessageDescriptor m) => m.EnumTypes.Concat(m.NestedTypes.SelectMany(Nested));
}

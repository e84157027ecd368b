using System.Numerics;
using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// <c>fedcare provision --ca-dir DIR --revoke NAME|SERIAL</c>: adds certificates to the folder's revocation list
/// (<c>crl.pem</c>, an X.509 CRL signed with the CA key) and logs each in <c>provision.log</c>. The current list is
/// verified against the CA before it is extended; the new one replaces it in one rename, so a coordinator reading the
/// file never sees half of it. The certificate files themselves stay (a later <c>--add-region NAME --force</c> issues
/// the holder a new certificate). <c>--refresh-crl</c> signs the same list again with a later next update, so a list
/// nobody was added to does not go stale (the coordinator warns about a list past its next update).
/// </summary>
public static class CertificateRevoker
{
    /// <summary>What a revocation did.</summary>
    /// <param name="Files">The folder's files.</param>
    /// <param name="Revoked">The certificates newly listed.</param>
    /// <param name="AlreadyRevoked">The certificates that were on the list already (nothing changed for them).</param>
    /// <param name="CrlNumber">The number of the list now in <c>crl.pem</c>.</param>
    /// <param name="NextUpdate">The next update of the list written; null when nothing was written.</param>
    public sealed record Result(PkiFiles Files, IReadOnlyList<RevocationTarget> Revoked, IReadOnlyList<RevocationTarget> AlreadyRevoked, BigInteger CrlNumber,
        DateTimeOffset? NextUpdate = null);

    /// <summary>
    /// Revokes each of <paramref name="targets"/>; the new list's next update is <paramref name="days"/> days away.
    /// With <paramref name="refresh"/> the list is signed again (CRL number one higher) even when no target is new.
    /// </summary>
    /// <exception cref="InvalidOperationException">No CA in the folder, a target that names no certificate, or a current list the CA did not sign; nothing is written then.</exception>
    public static Result Revoke(string directory, IReadOnlyList<string> targets, int days, TimeProvider time, bool refresh = false)
    {
        if (days < 1) throw new InvalidOperationException($"--days must be at least 1 (was {days}).");
        var files = new PkiFiles(Path.GetFullPath(directory));
        using var ca = CertificateAuthorityFolder.Load(files);
        var resolved = targets.Select(t => RevocationTarget.Resolve(files, t, ca.Certificate)).DistinctBy(t => t.Serial).ToList();
        string? current = File.Exists(files.RevocationList) ? File.ReadAllText(files.RevocationList) : null;
        var listed = current is null ? null : RevocationList.Parse(current, [ca.Certificate], $"'{files.RevocationList}'");
        var already = resolved.Where(t => listed?.Serials.Contains(t.Serial) == true).ToList();
        var revoked = resolved.Except(already).ToList();
        if (revoked.Count == 0 && !refresh) return new Result(files, [], already, CrlNumber(current));

        var now = time.GetUtcNow();
        var (pem, number) = ca.SignRevocationList(current, revoked.Select(t => t.SerialBytes), now, now.AddDays(days));
        var staging = files.RevocationList + ".new";
        File.WriteAllText(staging, pem);
        File.Move(staging, files.RevocationList, overwrite: true);
        foreach (var target in revoked) ProvisionLog.Revoked(files, now, target.Identity, target.Serial, number);
        if (revoked.Count == 0) ProvisionLog.Refreshed(files, now, number, now.AddDays(days));
        return new Result(files, revoked, already, number, now.AddDays(days));
    }

    private static BigInteger CrlNumber(string? current)
    {
        if (current is null) return 0;
        System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder.LoadPem(current, out var number);
        return number;
    }
}

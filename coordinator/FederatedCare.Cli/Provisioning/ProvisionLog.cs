using System.Globalization;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using FederatedCare.Protos.Security;

namespace FederatedCare.Cli.Provisioning;

/// <summary>
/// <c>provision.log</c> in the PKI folder: one line per certificate issued and per revocation, appended and never
/// rewritten, so the folder records which serial number belonged to whom and when it was revoked, e.g.
/// <c>2026-12-02T13:40:00Z issued node:Karolinska serial 4A1F… until 2027-12-02T13:40:00Z node-karolinska.pem</c>.
/// </summary>
public static class ProvisionLog
{
    /// <summary>Records that <paramref name="certificate"/> was issued to <paramref name="who"/> (e.g. <c>node:Halland</c>, <c>coordinator</c>) and written to <paramref name="file"/>.</summary>
    public static void Issued(PkiFiles files, DateTimeOffset at, string who, X509Certificate2 certificate, string file) =>
        Append(files, at, $"issued {who} serial {certificate.SerialNumber} until {Time(new DateTimeOffset(certificate.NotAfter))} {Path.GetFileName(file)}");

    /// <summary>Records that serial <paramref name="serial"/> (of <paramref name="who"/>, when known) is on CRL number <paramref name="crlNumber"/>.</summary>
    public static void Revoked(PkiFiles files, DateTimeOffset at, FederationIdentity? who, string serial, BigInteger crlNumber) =>
        Append(files, at, $"revoked {(who is null ? "" : who + " ")}serial {serial} crl {crlNumber.ToString(CultureInfo.InvariantCulture)} {Path.GetFileName(files.RevocationList)}");

    /// <summary>Records that the revocation list was signed again, unchanged, as number <paramref name="crlNumber"/> with next update <paramref name="nextUpdate"/>.</summary>
    public static void Refreshed(PkiFiles files, DateTimeOffset at, BigInteger crlNumber, DateTimeOffset nextUpdate) =>
        Append(files, at, $"refreshed crl {crlNumber.ToString(CultureInfo.InvariantCulture)} next update {Time(nextUpdate)} {Path.GetFileName(files.RevocationList)}");

    private static void Append(PkiFiles files, DateTimeOffset at, string entry) =>
        File.AppendAllText(files.Log, $"{Time(at)} {entry}\n");

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

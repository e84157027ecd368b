using FederatedCare.NodeAgent.Extensions;
using FederatedCare.NodeAgent.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FederatedCare.NodeAgent.Tests.Extensions;

/// <summary>
/// <c>--config FILE</c> in the source order of a real <see cref="HostApplicationBuilder"/>: the file overrides
/// appsettings.json (which sets the coordinator address, TLS, TorchThreads, Device and Reconnect), the command line
/// overrides the file, and relative paths in the file resolve against its folder.
/// </summary>
public sealed class ConfigFilePrecedenceTests : IDisposable
{
    private readonly TempDir _app = new();
    private readonly TempDir _node = new();

    public ConfigFilePrecedenceTests()
    {
        // The agent's own appsettings.json defaults, as shipped.
        _app.Write("appsettings.json", """
            { "NodeAgent": { "CoordinatorAddress": "http://127.0.0.1:5050", "TorchThreads": 1, "Device": "auto",
              "Reconnect": { "InitialDelayMs": 200, "MaxDelayMs": 5000 },
              "Tls": { "CertificatePath": "", "KeyPath": "", "CaPath": "" } } }
            """);
        _node.Write("node.json", """
            { "NodeAgent": { "Region": "Halland", "CoordinatorAddress": "https://fed.example.org:5050", "TorchThreads": 3,
              "Device": "cpu", "Reconnect": { "MaxDelayMs": 60000 },
              "Tls": { "CertificatePath": "certs/node.pem", "KeyPath": "certs/node-key.pem", "CaPath": "/etc/fed/ca.pem" } } }
            """);
    }

    [Fact]
    public void The_file_overrides_appsettings_json()
    {
        var options = Bind("--config", Path.Combine(_node.Path, "node.json"));

        Assert.Equal("Halland", options.Region);
        Assert.Equal("https://fed.example.org:5050", options.CoordinatorAddress);
        Assert.Equal(3, options.TorchThreads);
        Assert.Equal("cpu", options.Device);
        Assert.Equal(60000, options.Reconnect.MaxDelayMs);
        Assert.Equal(200, options.Reconnect.InitialDelayMs); // not in the file: appsettings.json's
    }

    [Fact]
    public void The_command_line_overrides_the_file_either_side_of_config()
    {
        var options = Bind("--NodeAgent:TorchThreads=2", "--config", Path.Combine(_node.Path, "node.json"),
            "--NodeAgent:CoordinatorAddress=https://other.example.org:5050");

        Assert.Equal(2, options.TorchThreads);
        Assert.Equal("https://other.example.org:5050", options.CoordinatorAddress);
        Assert.Equal("cpu", options.Device);
    }

    [Fact]
    public void Relative_tls_paths_in_the_file_resolve_against_its_folder()
    {
        var options = Bind("--config", Path.Combine(_node.Path, "node.json"));

        Assert.Equal(Path.Combine(_node.Path, "certs", "node.pem"), options.Tls.CertificatePath);
        Assert.Equal(Path.Combine(_node.Path, "certs", "node-key.pem"), options.Tls.KeyPath);
        Assert.Equal("/etc/fed/ca.pem", options.Tls.CaPath);
    }

    [Fact]
    public void Without_the_file_appsettings_json_applies()
    {
        var options = Bind("--NodeAgent:Region=Halland");

        Assert.Equal("http://127.0.0.1:5050", options.CoordinatorAddress);
        Assert.Equal(1, options.TorchThreads);
        Assert.False(options.Tls.IsConfigured);
    }

    public void Dispose()
    {
        _app.Dispose();
        _node.Dispose();
    }

    private NodeAgentOptions Bind(params string[] args)
    {
        // The agent's builder with its content root (where appsettings.json is read) moved to this test's folder.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = _app.Path });
        ConfigFile.Add(builder.Configuration, args);
        var options = new NodeAgentOptions();
        builder.Configuration.GetSection(NodeAgentOptions.SectionName).Bind(options);
        ConfigFile.ResolvePaths(options);
        return options;
    }
}

using System.Runtime.InteropServices;
using Dashboard.Sandbox;

// Runs the sandbox alone: `dotnet run --project src/Dashboard.Sandbox`.
var options = new SandboxOptions();
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();
configuration.GetSection(SandboxOptions.SectionName).Bind(options);

await using var sandbox = await SandboxHost.StartAsync(options, loggerFactory: null, CancellationToken.None);
var kubeconfig = sandbox.WriteKubeconfig(Path.Combine(Directory.GetCurrentDirectory(), ".sandbox", "kubeconfig"));
Console.WriteLine($"Sandbox Kubernetes API: {sandbox.KubernetesUri}");
Console.WriteLine($"Sandbox AWS endpoint:   {sandbox.AwsUri} (regions {options.Region} with the scenario{(options.SecondRegion.Length > 0 ? $", {options.SecondRegion}" : "")})");
Console.WriteLine($"Balancers' data plane:  {sandbox.DataPlane.HttpUri} (plain), {sandbox.DataPlane.HttpsUri} (TLS); send the balancer's name as Host");
Console.WriteLine($"Point kubectl at it:    export KUBECONFIG={kubeconfig}");
Console.WriteLine("Press Ctrl+C to stop (SIGTERM and SIGINT also stop it).");

// Ctrl+C, `kill`, `docker stop` and SIGINT to a background job all end here: the signal is taken over (not the
// runtime's default exit) so the servers stop and the sandbox is disposed before the process exits with code 0.
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
await stop.Task;
Console.WriteLine("Sandbox stopping.");

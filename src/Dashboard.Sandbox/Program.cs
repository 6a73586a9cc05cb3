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
Console.WriteLine($"Sandbox AWS endpoint:   {sandbox.AwsUri}");
Console.WriteLine($"Point kubectl at it:    export KUBECONFIG={kubeconfig}");
Console.WriteLine("Press Ctrl+C to stop.");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
await stop.Task;

// Whole-system benchmarks. Usage is printed when run without arguments.
if (args is ["aws", .. var awsArguments]) return await Dashboard.Benchmarks.AwsBenchmarks.RunAsync(awsArguments);
Console.WriteLine("usage: dotnet run -c Release --project tests/Dashboard.Benchmarks -- <benchmark>");
return 0;

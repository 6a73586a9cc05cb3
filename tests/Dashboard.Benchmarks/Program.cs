// Whole-system benchmarks. Usage is printed when run without arguments.
using System.Globalization;
using Dashboard.Benchmarks;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
switch (args.FirstOrDefault())
{
    case "aws-polling":
        return await AwsPollingCommand.RunAsync(args.Skip(1).ToList(), CancellationToken.None);
    default:
        Console.WriteLine("usage: dotnet run -c Release --project tests/Dashboard.Benchmarks -- <benchmark>");
        Console.WriteLine("  " + AwsPollingCommand.Usage);
        return 0;
}

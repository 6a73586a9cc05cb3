// Whole-system benchmarks. Usage is printed when run without arguments.
Console.WriteLine("usage: dotnet run -c Release --project tests/Dashboard.Benchmarks -- <benchmark>");
return 0;

using Dashboard.Client.Model;

namespace Dashboard.Client.Tests.Cost;

public sealed class CostQueryTests
{
    [Fact]
    public void Round_trips_through_the_url()
    {
        var query = new CostQuery { Namespace = "mlops", Type = "network", IdleOnly = true };

        Assert.Equal("cost?ns=mlops&type=network&idle=true", query.ToUrl());
        Assert.Equal(query, CostQuery.Parse("http://localhost/" + query.ToUrl()));
    }

    [Fact]
    public void Unknown_types_and_other_values_are_ignored()
    {
        var query = CostQuery.Parse("cost?type=gateway&idle=yes&q=x");

        Assert.Equal(CostQuery.Empty, query);
        Assert.Equal("cost", query.ToUrl());
    }

    [Theory]
    [InlineData(0, "$0.00")]
    [InlineData(0.003, "<$0.01")]
    [InlineData(1234.5, "$1,234.50")]
    [InlineData(-2.5, "-$2.50")]
    public void Money_is_written_in_dollars_whatever_the_culture(double amount, string expected)
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("fr-FR");
        try
        {
            Assert.Equal(expected, CostFormat.Money((decimal)amount));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}

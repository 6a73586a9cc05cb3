using Dashboard.Server.Costs;

namespace Dashboard.Server.Tests.Costs;

public sealed class CostEstimatorTests
{
    private static readonly ElbPrices Prices = new();

    [Fact]
    public void A_balancer_older_than_the_month_bills_every_hour_since_the_first_including_the_current_one()
    {
        // 10 whole days (240 h) plus hours 00..10 of the 11th: 251 slots.
        Assert.Equal(251, CostEstimator.BilledHours(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), CostFixtures.Now));
    }

    [Fact]
    public void A_balancer_created_mid_hour_bills_that_partial_hour_as_a_whole_one()
    {
        var created = new DateTimeOffset(2025, 6, 11, 8, 59, 0, TimeSpan.Zero);

        Assert.Equal(3, CostEstimator.BilledHours(created, CostFixtures.Now)); // 08:59–09:00, 09–10, 10–10:30
        Assert.Equal(0, CostEstimator.BilledHours(CostFixtures.Now.AddMinutes(1), CostFixtures.Now));
    }

    [Fact]
    public void Month_to_date_is_hours_times_the_hourly_price_plus_lcu_hours_times_the_lcu_price()
    {
        var created = new DateTimeOffset(2025, 6, 7, 7, 0, 0, TimeSpan.Zero); // 100 slots up to 10:30 on the 11th

        var alb = CostEstimator.Estimate(BalancerTypes.Application, created, lcuHours: 50, Prices, CostFixtures.Now);
        var nlb = CostEstimator.Estimate(BalancerTypes.Network, created, lcuHours: 50, Prices, CostFixtures.Now);

        Assert.Equal(100, alb.Hours);
        Assert.Equal(2.25m, alb.HourlyCost);        // 100 × 0.0225
        Assert.Equal(0.40m, alb.LcuCost);           // 50 × 0.008
        Assert.Equal(2.65m, alb.MonthToDate);
        Assert.Equal(0.30m, nlb.LcuCost);           // 50 × 0.006
    }

    [Fact]
    public void The_projection_adds_the_remaining_hours_at_the_hourly_price_and_the_months_average_lcus()
    {
        var created = new DateTimeOffset(2025, 6, 7, 7, 0, 0, TimeSpan.Zero);
        var remaining = CostEstimator.RemainingHours(CostFixtures.Now);

        var estimate = CostEstimator.Estimate(BalancerTypes.Application, created, lcuHours: 50, Prices, CostFixtures.Now);

        Assert.Equal(30 * 24 - 251, remaining); // June has 720 hours; 251 are used or running
        var expected = 2.65m + (remaining * (0.0225m + (0.5m * 0.008m)));
        Assert.Equal(CostEstimator.Round(expected), estimate.Projected);
    }

    [Fact]
    public void A_whole_month_of_an_idle_alb_costs_about_sixteen_dollars()
    {
        var start = new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var estimate = CostEstimator.Estimate(BalancerTypes.Application, start.AddMonths(-1), 0, Prices, start);

        Assert.Equal(31 * 24 * 0.0225m, estimate.Projected); // 16.74
    }

    [Fact]
    public void Configured_prices_of_another_region_are_used_and_unknown_regions_fall_back_to_us_east_1()
    {
        var options = new CostOptions();
        options.Prices["eu-west-1"] = new ElbPrices { ApplicationHour = 0.0252m, ApplicationLcuHour = 0.008m };

        Assert.Equal(0.0252m, options.PricesFor("eu-west-1").ApplicationHour);
        Assert.Equal(0.0225m, options.PricesFor("ap-south-2").ApplicationHour);
    }

    [Theory]
    [InlineData(0.0, 3, true)]
    [InlineData(10.0, 3, true)]
    [InlineData(11.0, 3, false)]
    [InlineData(0.0, 0.5, false)] // younger than a day: too early to call idle
    public void Idle_means_at_most_the_threshold_of_requests_for_a_balancer_old_enough_to_judge(double requests, double ageDays, bool idle)
    {
        Assert.Equal(idle, CostEstimator.IsIdle(requests, CostFixtures.Now.AddDays(-ageDays), CostFixtures.Now, threshold: 10));
    }

    [Fact]
    public void Unknown_traffic_is_never_idle()
    {
        Assert.False(CostEstimator.IsIdle(null, CostFixtures.Now.AddDays(-30), CostFixtures.Now, threshold: 10));
    }
}

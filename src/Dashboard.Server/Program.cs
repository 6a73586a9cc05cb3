using Dashboard.Server.Api;
using Dashboard.Server.Authentication;
using Dashboard.Server.Aws;
using Dashboard.Server.Changes;
using Dashboard.Server.Configuration;
using Dashboard.Server.Costs;
using Dashboard.Server.Feed;
using Dashboard.Server.Health;
using Dashboard.Server.Hosting;
using Dashboard.Server.Incidents;
using Dashboard.Server.Inventory;
using Dashboard.Server.Kubernetes;
using Dashboard.Server.LoadBalancers;
using Dashboard.Server.Localization;
using Dashboard.Server.Metrics;
using Dashboard.Server.ScaleOut;
using Dashboard.Server.Telemetry;
using Dashboard.Server.Topology;
using Dashboard.Server.Verify;

StartupValidation.ExitWithMessageOnRefusal();

// The content root is the output folder, where the repository's one appsettings.json is linked.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

builder.AddDashboardCore();
builder.AddDashboardLocalization();
builder.AddDashboardHealth();
builder.AddDashboardAuthentication();
builder.AddDashboardKubernetes();
builder.AddDashboardInventory();
builder.AddDashboardFeed();
builder.AddDashboardAws();
// Before the pollers: the stored snapshot is loaded (and the Lease decides who polls) before their first round.
builder.AddDashboardScaleOut();
builder.AddDashboardLoadBalancers();
builder.AddDashboardCosts();
builder.AddDashboardTopology();
builder.AddDashboardIncidents();
builder.AddDashboardMetrics();
builder.AddDashboardApi();
builder.AddDashboardTelemetry();
builder.AddDashboardChanges();
builder.AddDashboardVerify();

var app = builder.Build();

// A bad configuration: one message listing every problem of every section, exit code 1, nothing started.
StartupValidation.ThrowIfInvalid(app.Services);

// Authentication first: security headers and forwarded headers must see every request, antiforgery needs the user.
app.UseDashboardAuthentication();
app.UseDashboardLocalization();
app.UseDashboardCore();
app.MapDashboardHealth();
app.MapDashboard();
app.MapDashboardCosts();
app.MapDashboardApi();
app.MapDashboardScaleOut();
app.MapDashboardIncidents();
app.MapDashboardTelemetry();
app.MapDashboardChanges();
app.MapDashboardVerify();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;

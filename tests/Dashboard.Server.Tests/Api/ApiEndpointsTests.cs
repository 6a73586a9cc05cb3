using System.Net;
using System.Text.Json;
using Dashboard.Client.Authorization;
using Dashboard.Server.Tests.Authentication;

namespace Dashboard.Server.Tests.Api;

/// <summary>Every /api/v1 endpoint against the sandbox's seed scenario: shapes, filters, paging, problems, roles.</summary>
public sealed class ApiEndpointsTests(ApiScenarioFixture fixture) : IClassFixture<ApiScenarioFixture>
{
    private static readonly string[] Severities = ["outage", "degraded", "stuck", "notice"];

    [Fact]
    public async Task Services_are_rows_with_decoded_annotations_load_balancer_settings_and_lints()
    {
        var (status, body, response) = await fixture.GetAsync("/api/v1/services?namespace=mlops");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, s => Assert.Equal("mlops", s.GetProperty("namespace").GetString()));
        var nlb = Assert.Single(items, s => s.GetProperty("name").GetString() == "retail-forecast-nlb");
        Assert.Equal("Service", nlb.GetProperty("kind").GetString());
        Assert.Equal("LoadBalancer", nlb.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Object, nlb.GetProperty("loadBalancer").ValueKind);
        Assert.False(string.IsNullOrEmpty(nlb.GetProperty("loadBalancer").GetProperty("scheme").GetString()));
        var annotation = Assert.Single(nlb.GetProperty("annotations").EnumerateArray(),
            a => a.GetProperty("name").GetString() == "service.beta.kubernetes.io/aws-load-balancer-type");
        Assert.False(string.IsNullOrEmpty(annotation.GetProperty("meaning").GetString()));
        Assert.True(DateTimeOffset.Parse(nlb.GetProperty("createdAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Offset == TimeSpan.Zero);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("continue").ValueKind);

        // Lints carry a stable code beside their text, on every list row that has any.
        var (_, all, _) = await fixture.GetAsync("/api/v1/services?limit=1000");
        var lints = all.GetProperty("items").EnumerateArray().SelectMany(s => s.GetProperty("lints").EnumerateArray()).ToList();
        Assert.NotEmpty(lints);
        Assert.All(lints, l =>
        {
            Assert.Matches("^[a-z0-9-]+$", l.GetProperty("code").GetString());
            Assert.Contains(l.GetProperty("severity").GetString(), new[] { "info", "warning", "error" });
            Assert.False(string.IsNullOrEmpty(l.GetProperty("title").GetString()));
        });
    }

    [Fact]
    public async Task Ingresses_are_rows_with_rules_settings_and_decoded_annotations()
    {
        var (status, body, _) = await fixture.GetAsync("/api/v1/ingresses?namespace=catalog");

        Assert.Equal(HttpStatusCode.OK, status);
        var catalog = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal("Ingress", catalog.GetProperty("kind").GetString());
        Assert.Equal("catalog", catalog.GetProperty("name").GetString());
        Assert.NotEmpty(catalog.GetProperty("rules").EnumerateArray());
        Assert.NotEmpty(catalog.GetProperty("annotations").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, catalog.GetProperty("lints").ValueKind);
        Assert.Equal(JsonValueKind.Object, catalog.GetProperty("healthCheck").ValueKind);
    }

    [Fact]
    public async Task Load_balancers_have_owners_listeners_target_groups_with_counts_flags_and_data_age()
    {
        var (status, body, _) = await fixture.GetAsync("/api/v1/load-balancers");

        Assert.Equal(HttpStatusCode.OK, status);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        foreach (var lb in items)
        {
            foreach (var field in new[] { "name", "arn", "scheme", "dnsName", "state" })
            {
                Assert.False(string.IsNullOrEmpty(lb.GetProperty(field).GetString()), field);
            }
            Assert.Contains(lb.GetProperty("type").GetString(), new[] { "application", "network" });
            Assert.All(lb.GetProperty("owners").EnumerateArray(), o =>
            {
                Assert.Contains(o.GetProperty("kind").GetString(), new[] { "Service", "Ingress" });
                Assert.False(string.IsNullOrEmpty(o.GetProperty("namespace").GetString()));
                Assert.False(string.IsNullOrEmpty(o.GetProperty("name").GetString()));
                Assert.InRange(o.GetProperty("share").GetDouble(), 0, 1);
            });
            Assert.All(lb.GetProperty("listeners").EnumerateArray(), l => Assert.True(l.GetProperty("port").GetInt32() > 0));
            var groups = lb.GetProperty("targetGroups").EnumerateArray().ToList();
            Assert.Equal(groups.Sum(g => g.GetProperty("totalTargets").GetInt32()), lb.GetProperty("totalTargets").GetInt32());
            Assert.All(groups, g => Assert.InRange(g.GetProperty("healthyTargets").GetInt32(), 0, g.GetProperty("totalTargets").GetInt32()));
            Assert.Equal(JsonValueKind.Array, lb.GetProperty("flags").ValueKind);
            Assert.Equal(JsonValueKind.String, lb.GetProperty("asOf").ValueKind);
        }
        Assert.Contains(items, lb => lb.GetProperty("listeners").GetArrayLength() > 0);
        // The shared ALB of the storefront and catalog Ingress group: one balancer, two owners, flagged shared.
        var shared = Assert.Single(items, lb => lb.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "shared"));
        Assert.Equal(["Ingress/catalog/catalog", "Ingress/storefront/storefront"],
            shared.GetProperty("owners").EnumerateArray().Select(ApiScenarioFixture.OwnerKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task For_every_balancer_the_owners_in_load_balancers_equal_the_owners_in_costs()
    {
        var (balancers, _) = await fixture.WalkAsync("/api/v1/load-balancers", 1000);
        var (costs, _) = await fixture.WalkAsync("/api/v1/costs", 1000);

        var costOwners = costs.ToDictionary(c => c.GetProperty("arn").GetString()!, Owners, StringComparer.Ordinal);
        Assert.NotEmpty(balancers);
        foreach (var lb in balancers)
        {
            var arn = lb.GetProperty("arn").GetString()!;
            Assert.True(costOwners.TryGetValue(arn, out var owners), $"{lb.GetProperty("name").GetString()} has no row in /api/v1/costs");
            Assert.Equal(Owners(lb), owners);
        }
        // And the owners' shares add up to the whole balancer.
        Assert.All(costs, c => Assert.Equal(1.0, c.GetProperty("owners").EnumerateArray().Sum(o => o.GetProperty("share").GetDouble()), 6));

        // Owner and share: the same rule decides both answers (shares rounded, as two reads may straddle a usage re-read).
        static IReadOnlyList<string> Owners(JsonElement balancer) =>
            [.. balancer.GetProperty("owners").EnumerateArray()
                .Select(o => $"{ApiScenarioFixture.OwnerKey(o)} {o.GetProperty("share").GetDouble().ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}")
                .Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task An_endpoint_answers_its_chain_checklist_and_diagnoses()
    {
        var (status, body, _) = await fixture.GetAsync("/api/v1/endpoints/service/mlops/retail-forecast-nlb");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Service", body.GetProperty("object").GetProperty("kind").GetString());
        Assert.Equal("retail-forecast-nlb", body.GetProperty("object").GetProperty("name").GetString());
        var lb = Assert.Single(body.GetProperty("loadBalancers").EnumerateArray());
        Assert.NotEmpty(lb.GetProperty("targetGroups").EnumerateArray());
        var checklist = body.GetProperty("checklist").EnumerateArray().ToList();
        Assert.NotEmpty(checklist);
        Assert.All(checklist, c =>
        {
            Assert.False(string.IsNullOrEmpty(c.GetProperty("code").GetString()));
            Assert.Contains(c.GetProperty("state").GetString(), new[] { "pass", "warn", "fail", "unknown" });
        });
        Assert.Equal(JsonValueKind.Array, body.GetProperty("diagnoses").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("events").ValueKind);

        var (ingressStatus, ingress, _) = await fixture.GetAsync("/api/v1/endpoints/ingress/catalog/catalog");
        Assert.Equal(HttpStatusCode.OK, ingressStatus);
        Assert.Equal("Ingress", ingress.GetProperty("object").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Sources_answer_each_data_source_with_its_state_and_age()
    {
        var (status, body, _) = await fixture.GetAsync("/api/v1/sources");

        Assert.Equal(HttpStatusCode.OK, status);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, s => s.GetProperty("key").GetString() == "kubernetes");
        Assert.All(items, s =>
        {
            Assert.Contains(s.GetProperty("state").GetString(), new[] { "syncing", "live", "stale" });
            Assert.False(string.IsNullOrEmpty(s.GetProperty("displayName").GetString()));
            Assert.True(s.TryGetProperty("lastGoodAt", out _));
        });
    }

    [Theory]
    [InlineData("/api/v1/endpoints/service/mlops/no-such-service", HttpStatusCode.NotFound, "notFound")]
    [InlineData("/api/v1/endpoints/service/mlops/retail-forecast", HttpStatusCode.NotFound, "notFound")]
    [InlineData("/api/v1/endpoints/pod/mlops/retail-forecast-nlb", HttpStatusCode.BadRequest, "unknownKind")]
    [InlineData("/api/v1/endpoints/Service/mlops/retail-forecast-nlb", HttpStatusCode.BadRequest, "unknownKind")]
    [InlineData("/api/v1/endpoints/service/MLOPS/retail-forecast-nlb", HttpStatusCode.UnprocessableEntity, "validationFailed")]
    [InlineData("/api/v1/services?continue=bm90LWEtdG9rZW4", HttpStatusCode.BadRequest, "badContinueToken")]
    [InlineData("/api/v1/load-balancers?limit=0", HttpStatusCode.UnprocessableEntity, "validationFailed")]
    [InlineData("/api/v1/triage?limit=5000", HttpStatusCode.UnprocessableEntity, "validationFailed")]
    [InlineData("/api/v1/ingresses?namespace=Not_Valid", HttpStatusCode.UnprocessableEntity, "validationFailed")]
    [InlineData("/api/v1/no-such-list", HttpStatusCode.NotFound, "notFound")]
    public async Task Errors_are_problem_details_with_a_code(string path, HttpStatusCode expected, string code)
    {
        var (status, body, response) = await fixture.GetAsync(path);

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("type").GetString()));
        Assert.Equal(code, body.GetProperty("code").GetString());
        if (expected == HttpStatusCode.UnprocessableEntity)
        {
            var errors = body.GetProperty("errors").EnumerateObject().ToList();
            Assert.NotEmpty(errors);
            Assert.All(errors, e => Assert.NotEmpty(e.Value.EnumerateArray()));
        }
    }

    [Fact]
    public async Task The_api_only_reads_other_methods_are_a_405_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/endpoints/service/mlops/retail-forecast-nlb");
        request.Headers.Add(TestAuthenticationHandler.RolesHeader, ApiScenarioFixture.AllRoles);

        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Triage_answers_one_card_per_endpoint_and_cause()
    {
        // The scenario holds deliberate faults; until AWS has checked the new targets they show as initial.
        List<JsonElement> cards = [];
        await ApiScenarioFixture.WaitUntilAsync(async () => (cards = (await fixture.WalkAsync("/api/v1/triage", 2)).Items).Count > 0, "a triage card");

        var keys = cards.Select(c => $"{ApiScenarioFixture.OwnerKey(c.GetProperty("endpoint"))}|{c.GetProperty("cause").GetProperty("code").GetString()}").ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(cards, c =>
        {
            Assert.Contains(c.GetProperty("severity").GetString(), Severities);
            Assert.False(string.IsNullOrEmpty(c.GetProperty("cause").GetProperty("code").GetString()));
            Assert.False(string.IsNullOrEmpty(c.GetProperty("cause").GetProperty("title").GetString()));
            var targets = c.GetProperty("targets").EnumerateArray().ToList();
            Assert.NotEmpty(targets);
            Assert.All(targets, t => Assert.False(string.IsNullOrEmpty(t.GetProperty("id").GetString())));
            Assert.Equal(JsonValueKind.Array, c.GetProperty("pods").ValueKind);
            Assert.False(string.IsNullOrEmpty(c.GetProperty("fix").GetProperty("text").GetString()));
            Assert.True(c.GetProperty("fix").TryGetProperty("object", out _));
            Assert.True(c.GetProperty("fix").TryGetProperty("command", out _));
            Assert.True(c.TryGetProperty("since", out _));
            Assert.True(c.TryGetProperty("freshAsOf", out _));
        });
        // Most severe first.
        var ranks = cards.Select(c => Array.IndexOf(Severities, c.GetProperty("severity").GetString())).ToList();
        Assert.Equal(ranks.Order(), ranks);
    }

    [Fact]
    public async Task Costs_answer_the_report_with_balancers_and_their_owners()
    {
        var (status, body, _) = await fixture.GetAsync("/api/v1/costs");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("USD", body.GetProperty("currency").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-01$", body.GetProperty("monthStart").GetString());
        Assert.True(body.GetProperty("totals").GetProperty("monthToDate").GetDecimal() >= 0);
        Assert.NotEmpty(body.GetProperty("sources").EnumerateArray());
        Assert.NotEmpty(body.GetProperty("namespaces").EnumerateArray());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, b =>
        {
            Assert.False(string.IsNullOrEmpty(b.GetProperty("arn").GetString()));
            Assert.True(b.GetProperty("monthToDate").GetDecimal() >= 0);
            Assert.NotEmpty(b.GetProperty("owners").EnumerateArray());
        });
        Assert.Equal(JsonValueKind.Null, body.GetProperty("continue").ValueKind);
    }

    [Theory]
    [InlineData("/api/v1/services")]
    [InlineData("/api/v1/ingresses")]
    [InlineData("/api/v1/load-balancers")]
    [InlineData("/api/v1/costs")]
    public async Task Paging_walks_every_row_exactly_once(string list)
    {
        var (whole, onePage) = await fixture.WalkAsync(list, 1000);
        var (paged, pages) = await fixture.WalkAsync(list, 2);

        Assert.Equal(1, onePage);
        Assert.True(whole.Count > 2, $"{list} has {whole.Count} rows: too few to page");
        Assert.Equal((whole.Count + 1) / 2, pages);
        Assert.Equal(whole.Select(Key), paged.Select(Key));
        Assert.Equal(paged.Count, paged.Select(Key).Distinct(StringComparer.Ordinal).Count());

        static string Key(JsonElement row) => row.TryGetProperty("arn", out var arn)
            ? arn.GetString()!
            : $"{row.GetProperty("namespace").GetString()}/{row.GetProperty("name").GetString()}";
    }

    [Fact]
    public async Task The_same_request_on_the_same_snapshot_gets_the_same_continue_token_and_the_token_is_bound_to_its_list()
    {
        var (_, first, _) = await fixture.GetAsync("/api/v1/services?limit=3");
        var (_, again, _) = await fixture.GetAsync("/api/v1/services?limit=3");

        var token = first.GetProperty("continue").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal(token, again.GetProperty("continue").GetString());
        var (status, problem, _) = await fixture.GetAsync("/api/v1/ingresses?continue=" + Uri.EscapeDataString(token!));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("badContinueToken", problem.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/api/v1/services", "payments")]
    [InlineData("/api/v1/ingresses", "storefront")]
    [InlineData("/api/v1/load-balancers", "catalog")]
    [InlineData("/api/v1/triage", "mlops")]
    [InlineData("/api/v1/costs", "payments")]
    public async Task The_namespace_filter_keeps_only_rows_of_that_namespace(string list, string ns)
    {
        var (all, _) = await fixture.WalkAsync(list, 1000);
        var (filtered, _) = await fixture.WalkAsync($"{list}?namespace={ns}", 1000);

        Assert.All(filtered, row => Assert.Contains(ns, Namespaces(row)));
        Assert.True(filtered.Count < all.Count || list == "/api/v1/triage", $"{list}?namespace={ns} filtered nothing out");
        var (_, none, _) = await fixture.GetAsync($"{list}?namespace=no-such-namespace");
        Assert.Empty(none.GetProperty("items").EnumerateArray());

        static IEnumerable<string?> Namespaces(JsonElement row) =>
            row.TryGetProperty("owners", out var owners) ? owners.EnumerateArray().Select(o => o.GetProperty("namespace").GetString())
            : row.TryGetProperty("endpoint", out var endpoint) ? [endpoint.GetProperty("namespace").GetString()]
            : [row.GetProperty("namespace").GetString()];
    }

    [Theory]
    [InlineData("/api/v1/services", DashboardRoles.Viewer, HttpStatusCode.OK)]
    [InlineData("/api/v1/services", DashboardRoles.Operator, HttpStatusCode.OK)]
    [InlineData("/api/v1/services", DashboardRoles.CostReader, HttpStatusCode.Forbidden)]
    [InlineData("/api/v1/services", "none", HttpStatusCode.Forbidden)]
    [InlineData("/api/v1/services", null, HttpStatusCode.Unauthorized)]
    [InlineData("/api/v1/triage", null, HttpStatusCode.Unauthorized)]
    [InlineData("/api/v1/costs", DashboardRoles.Viewer, HttpStatusCode.Forbidden)]
    [InlineData("/api/v1/costs", DashboardRoles.Operator, HttpStatusCode.Forbidden)]
    [InlineData("/api/v1/costs", DashboardRoles.CostReader, HttpStatusCode.OK)]
    [InlineData("/api/v1/costs", null, HttpStatusCode.Unauthorized)]
    [InlineData("/openapi/v1.json", DashboardRoles.Viewer, HttpStatusCode.OK)]
    public async Task Roles_decide_as_on_the_pages_and_refusals_are_problem_details_not_redirects(string path, string? roles, HttpStatusCode expected)
    {
        var (status, body, response) = await fixture.GetAsync(path, roles);

        Assert.Equal(expected, status);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Null(response.Headers.Location);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal((int)expected, body.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_with_its_response_schema()
    {
        var (status, document, _) = await fixture.GetAsync("/openapi/v1.json", DashboardRoles.Viewer);

        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document.GetProperty("paths");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var expected = new Dictionary<string, string>
        {
            ["/api/v1/services"] = "ListPageOfServiceDto",
            ["/api/v1/ingresses"] = "ListPageOfIngressDto",
            ["/api/v1/load-balancers"] = "ListPageOfLoadBalancerDto",
            ["/api/v1/endpoints/{kind}/{namespace}/{name}"] = "EndpointDto",
            ["/api/v1/incidents"] = "ListPageOfIncidentDto",
            ["/api/v1/endpoints/{kind}/{namespace}/{name}/incidents"] = "ListPageOfIncidentDto",
            ["/api/v1/triage"] = "ListPageOfTriageCardDto",
            ["/api/v1/costs"] = "CostReportDto",
            ["/api/v1/sources"] = "ListPageOfSourceDto",
            ["/api/v1/exposed"] = "ListPageOfExposedEndpointDto",
            ["/api/v1/metrics"] = "MetricSeriesDto",
            ["/api/v1/metrics/charts"] = "MetricsViewDto",
            ["/api/v1/metrics/sparklines"] = "SparklineSetDto",
            ["/api/v1/status"] = "StatusDto",
        };
        // The guided changes' endpoints (Changes/ChangeEndpoints, tested in ChangeApiTests) are in the same document.
        string[] changes = ["/api/v1/audit", "/api/v1/changes/access", "/api/v1/changes/plan", "/api/v1/changes/{changeId}", "/api/v1/changes/{changeId}/rollback", "/api/v1/changes/{planId}/apply"];
        // Verify and smoke tests (Verify/VerifyEndpoints, tested in VerifyApiTests) too.
        string[] verify = ["/api/v1/endpoints/{kind}/{namespace}/{name}/smoke-tests", "/api/v1/endpoints/{kind}/{namespace}/{name}/verify",
            "/api/v1/endpoints/{kind}/{namespace}/{name}/verify-targets", "/api/v1/smoke-tests/{id}"];
        Assert.Equal(expected.Keys.Concat(changes).Concat(verify).Order(StringComparer.Ordinal), paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var (path, schema) in expected)
        {
            var responses = paths.GetProperty(path).GetProperty("get").GetProperty("responses");
            var reference = responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
            Assert.Equal("#/components/schemas/" + schema, reference);
            Assert.True(schemas.TryGetProperty(schema, out _), $"{schema} is not in components");
            // The status takes no parameters: nothing to refuse as bad input.
            foreach (var code in path == "/api/v1/status" ? ["401", "403", "429"] : new[] { "400", "401", "403", "422", "429" })
            {
                Assert.True(responses.GetProperty(code).GetProperty("content").TryGetProperty("application/problem+json", out _), $"{path} {code}");
            }
        }
        // Scripts' bearer tokens are described (this fixture runs in the Oidc mode).
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        var owner = schemas.GetProperty("OwnerDto").GetProperty("properties");
        Assert.Equal(["kind", "name", "namespace", "share"], owner.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var limit = paths.GetProperty("/api/v1/services").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "limit");
        Assert.Equal("integer", limit.GetProperty("schema").GetProperty("type").GetString());
    }
}

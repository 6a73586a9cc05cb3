using Dashboard.Client.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Dashboard.Server.Api;

/// <summary>The read API, version 1 (Dashboard:Api): endpoints, bearer tokens for scripts, rate limit, OpenAPI document.</summary>
public static class ApiExtensions
{
    /// <summary>Where the OpenAPI document is served (<c>/openapi/v1.json</c>).</summary>
    public const string OpenApiRoute = "/openapi/{documentName}.json";

    /// <summary>Registers the API's services. Call after <c>AddDashboardAuthentication</c>.</summary>
    public static WebApplicationBuilder AddDashboardApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ValidateApiOptions>();
        services.AddSingleton<ApiRateLimiter>();
        var api = builder.Configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>() ?? new ApiOptions();
        var bearer = ApiAuthentication.AddApiBearer(services, builder.Configuration, api);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(new ApiAuthorizationResultHandler(bearer));
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Endpoint Dashboard API";
                document.Info.Version = "v1";
                document.Info.Description = "What the dashboard's pages show, as JSON, and guided changes (plan, apply, rollback, audit; writes need Operator and X-Dashboard-Request: 1). Conventions and authentication: docs/api.md.";
                if (bearer)
                {
                    document.Components ??= new OpenApiComponents();
                    document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                    document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "A token from the dashboard's identity provider (Dashboard:Auth), for scripts; browsers use the session cookie.",
                    };
                }
                return Task.CompletedTask;
            });
            // limit is bound as text so that a bad value is answered with problem details (422); describe it as what it is.
            options.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.Name == "limit"))
                {
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Format = "int32",
                        Minimum = "1",
                        Maximum = ApiPaging.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Description = $"Rows per page, 1 to {ApiPaging.MaxLimit}; {ApiPaging.DefaultLimit} when not given.",
                    };
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Maps /api/v1 and the OpenAPI document (Viewer).</summary>
    public static WebApplication MapDashboardApi(this WebApplication app)
    {
        ApiEndpoints.Map(app);
        app.MapOpenApi(OpenApiRoute).RequireAuthorization(DashboardPolicies.Viewer);
        return app;
    }
}

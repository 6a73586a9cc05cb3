using System.Net;
using Dashboard.Sandbox.Aws.Emulator;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Sandbox.Tests.Aws;

/// <summary>The AWS emulator's fault switch (<c>/_sandbox/faults</c>) answers only callers on the same machine.</summary>
public sealed class LoopbackOnlyFilterTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData(null, false)]
    public async Task Only_loopback_callers_reach_the_fault_switch(string? client, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = client is null ? null : IPAddress.Parse(client);
        var reached = false;

        var result = await new LoopbackOnlyFilter().InvokeAsync(new DefaultEndpointFilterInvocationContext(context), _ =>
        {
            reached = true;
            return ValueTask.FromResult<object?>(Results.Ok());
        });

        Assert.Equal(allowed, reached);
        if (!allowed)
        {
            Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        }
    }
}

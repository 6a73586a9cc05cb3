using System.Net;
using System.Xml.Linq;
using Dashboard.Sandbox.Aws.Ec2;

namespace Dashboard.Sandbox.Aws.Emulator;

/// <summary>EC2's own Query shapes: <c>{Action}Response</c> with <c>requestId</c> first and no Result wrapper; errors as <c>Response/Errors/Error</c>.</summary>
internal sealed partial class AwsResponseWriter
{
    public async Task WriteEc2Async(string action, IEnumerable<XElement> result)
    {
        var document = new XElement(Ec2QueryApi.Ns + (action + "Response"),
            new XElement(Ec2QueryApi.Ns + "requestId", requestId),
            result);
        await WriteAsync(HttpStatusCode.OK, "text/xml;charset=UTF-8", document.ToString(SaveOptions.DisableFormatting));
    }

    private async Task WriteEc2ErrorAsync(AwsApiException error)
    {
        // EC2 answers unknown-resource errors with 400 too; its error document has no namespace.
        var document = new XElement("Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message))),
            new XElement("RequestID", requestId));
        await WriteAsync(error.StatusCode, "text/xml;charset=UTF-8", document.ToString(SaveOptions.DisableFormatting));
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dashboard.Sandbox.LoadBalancerController;

/// <summary>Go's net.ParseCIDR rules: four dotted decimals or an IPv6 address, then a prefix length within the family's bits.</summary>
internal static class Cidr
{
    public static bool IsValid(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(cidr[..slash], out var address)
            || !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var bits))
        {
            return false;
        }
        var text = cidr[..slash];
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? text.Contains(':', StringComparison.Ordinal) && bits <= 128
            : text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)) && bits <= 32;
    }
}

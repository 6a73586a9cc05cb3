using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dashboard.Sandbox.Cluster;

/// <summary>
/// Deterministic hashing for every simulated "random" value (pod suffixes, addresses, ids), so the same seed
/// always builds the same world whatever order objects are created in.
/// </summary>
internal static class StableHash
{
    /// <summary>The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).</summary>
    public const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>FNV-1a, 64 bit, over the UTF-8 of the parts joined by a separator.</summary>
    public static ulong Of(params ReadOnlySpan<string> parts)
    {
        var hash = 14695981039346656037UL;
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                hash = (hash ^ 0x1f) * 1099511628211UL;
            }
            foreach (var b in Encoding.UTF8.GetBytes(parts[i]))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }
        }
        // Final avalanche so nearby inputs spread over the whole range.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>FNV-1a, 32 bit, as the deployment controller hashes a pod template.</summary>
    public static uint Fnv32(string text)
    {
        var hash = 2166136261U;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619U;
        }
        return hash;
    }

    /// <summary>The pod-template-hash form: the decimal digits of the hash mapped onto <see cref="NameAlphabet"/>.</summary>
    public static string SafeEncode(uint value)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        var chars = new char[digits.Length];
        for (var i = 0; i < digits.Length; i++)
        {
            chars[i] = NameAlphabet[digits[i] % NameAlphabet.Length];
        }
        return new string(chars);
    }

    /// <summary>A generated-name suffix (5 characters, as generateName uses).</summary>
    public static string Suffix(ulong hash, int length = 5)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = NameAlphabet[(int)(hash % (ulong)NameAlphabet.Length)];
            hash /= (ulong)NameAlphabet.Length;
        }
        return new string(chars);
    }

    public static string Hex(string seedText, int length)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seedText));
        return Convert.ToHexStringLower(bytes)[..length];
    }

    public static string Uuid(string seedText)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seedText)).AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0f) | 0x40);
        return new Guid(bytes).ToString();
    }
}

namespace Dashboard.Server.Aws;

/// <summary>
/// No usable AWS credentials: none found, a profile missing, or an SSO session expired. The message names the
/// sources that were tried and how to fix it; it never contains a key, secret or token.
/// </summary>
public sealed class AwsCredentialsException(string message, Exception? innerException = null) : Exception(message, innerException);

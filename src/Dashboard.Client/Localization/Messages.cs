namespace Dashboard.Client.Localization;

/// <summary>
/// Marker of <c>Messages.resx</c> / <c>Messages.vi.resx</c>: the templates of texts the server computes once for every
/// viewer, named by key ("Check.Health.Summary") with numbered placeholders. Rendered through <see cref="LocalText"/>.
/// </summary>
public sealed class Messages
{
    private Messages()
    {
    }
}

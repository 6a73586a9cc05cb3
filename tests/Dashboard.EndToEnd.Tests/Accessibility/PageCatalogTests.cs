namespace Dashboard.EndToEnd.Tests.Accessibility;

/// <summary>The accessibility and phone-width checks visit every page there is.</summary>
public sealed class PageCatalogTests
{
    [Fact]
    public void Every_page_directive_of_the_client_is_in_the_catalog()
    {
        var declared = PageCatalog.Templates();
        Assert.NotEmpty(declared);
        var covered = PageCatalog.Pages.Select(p => p.Template).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(declared.Except(covered));
        Assert.Empty(covered.Except(declared));
    }
}

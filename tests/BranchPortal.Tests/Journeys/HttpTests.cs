using System.Net;
using NUnit.Framework;

namespace BranchPortal.Tests.Journeys;

/// <summary>What the portal answers over plain HTTP: headers, health, the sign-in redirect, no inline script or style.</summary>
public sealed class HttpTests
{
    private static HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = PortalServer.BaseAddress };

    [Test]
    public async Task EveryResponse_CarriesTheSecurityHeaders_WithAStrictContentSecurityPolicy()
    {
        using var http = Client();

        using var response = await http.GetAsync(new Uri("/Account/SignIn", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        csp.Should().Contain("script-src 'self'").And.Contain("style-src 'self'").And.Contain("frame-ancestors 'none'").And.NotContain("unsafe-inline");
        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Referrer-Policy").Should().Equal("no-referrer");
        response.Headers.Contains("Server").Should().BeFalse();
    }

    [Test]
    public async Task TheSignInPage_HasNoInlineScriptOrStyle_AndItsFormCarriesAnAntiforgeryToken()
    {
        using var http = Client();

        var html = await http.GetStringAsync(new Uri("/Account/SignIn", UriKind.Relative));

        html.Should().NotContain("<script").And.NotContain("style=").And.NotContain("<style");
        html.Should().Contain("name=\"__RequestVerificationToken\"");
        html.Should().Contain("<link rel=\"stylesheet\" href=\"/css/site.css");
    }

    [Test]
    public async Task Healthz_AnswersHealthy_WithoutSigningIn()
    {
        using var http = Client();

        using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Test]
    public async Task APage_WithoutSigningIn_RedirectsToTheSignInPage()
    {
        using var http = Client();

        using var response = await http.GetAsync(new Uri("/Organizer", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.Should().Be("/Account/SignIn?ReturnUrl=%2FOrganizer");
    }

    [Test]
    public async Task TheStylesheet_IsServedFromTheSiteItself()
    {
        using var http = Client();

        using var response = await http.GetAsync(new Uri("/css/site.css", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
    }

    [Test]
    public void TheDemo_PrintsOneAccountPerRole_WithItsPassword()
    {
        var output = PortalServer.Output;

        foreach (var (role, user, password) in new[] { ("Organizer", Demo.Organizer, Demo.OrganizerPassword), ("Lab", Demo.Lab, Demo.LabPassword), ("Coordinator", Demo.Coordinator, Demo.CoordinatorPassword), ("Administrator", "admin.zhao", "demo-Administrator-2026"), ("Viewer", Demo.Viewer, Demo.ViewerPassword) })
        {
            output.Should().MatchRegex($@"{role}\s+{System.Text.RegularExpressions.Regex.Escape(user)}\s+password {System.Text.RegularExpressions.Regex.Escape(password)}");
        }
    }
}

using System.Security.Claims;
using Bogus;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace BranchPortal.Tests.Units;

/// <summary>How a refused page reaches the registry's access log (<see cref="ForbiddenAccess"/>), without a browser.</summary>
public sealed class ForbiddenAccessTests
{
    private static readonly Actor Admin = Actor.For("admin.zhao", Role.Administrator);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
    private TempRegistry _temp = null!;
    private ClaimsPrincipal _lab = null!;
    private string _name = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempRegistry(_clock, o => o.RequireRoles = true);
        _name = "lab." + new Faker("zh_CN").Name.LastName();
        _lab = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, _name), new Claim(ClaimTypes.Role, "Lab")], CookieAuthenticationDefaults.AuthenticationScheme));
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void ARefusedPage_IsRecorded_AsTheUser_WithThePathAndTheRolesItNeeds()
    {
        var refused = PolicyAuthorizationResult.Forbid(AuthorizationFailure.Failed([new RolesAuthorizationRequirement(["Coordinator"])]));

        ForbiddenAccess.RecordRefusedPage(_temp.Registry, _lab, new PathString("/Coordinator/Search"), ForbiddenAccess.Reason(refused));

        var entry = _temp.Registry.Access.History(new AccessQuery(Actor: _name), Admin).Should().ContainSingle().Which;
        entry.Action.Should().Be(RegistryAction.OpenHostPage);
        entry.Outcome.Should().Be(AccessOutcome.Denied);
        entry.Roles.Should().Equal(Role.Lab);
        entry.At.Should().Be(_clock.GetUtcNow());
        entry.Reason.Should().Be("/Coordinator/Search: the portal's page needs the role Coordinator");
    }

    [Test]
    public void APathTooLongForTheLog_IsCut_AndAnUnprintableOne_IsRecordedWithoutIt()
    {
        ForbiddenAccess.RecordRefusedPage(_temp.Registry, _lab, new PathString("/Coordinator/" + new string('x', 300)), "why");
        ForbiddenAccess.RecordRefusedPage(_temp.Registry, _lab, new PathString("/Coordinator/a\u0001b"), "why");

        var reasons = _temp.Registry.Access.History(new AccessQuery(Actor: _name), Admin).Select(e => e.Reason).ToList();
        reasons.Should().HaveCount(2);
        reasons.Should().Contain(r => r.StartsWith("/Coordinator/xxx", StringComparison.Ordinal) && r.Length <= AccessOperations.MaxPageLength + ": why".Length);
        reasons.Should().Contain("(unprintable path): why");
    }
}

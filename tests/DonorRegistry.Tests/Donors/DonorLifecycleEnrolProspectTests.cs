using DonorRegistry.Donors;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

/// <summary>
/// A bulk enrolment enrols each prospect by <see cref="DonorLifecycle.EnrolProspect"/>, which takes the step without
/// running the machine when the machine's definition makes it a plain one: it agrees with the machine's
/// <see cref="DonorLifecycle.Enrol"/> for every state and every age around the join-age bounds, under more than one policy.
/// </summary>
public sealed class DonorLifecycleEnrolProspectTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    private static IEnumerable<TestCaseData> Policies() =>
    [
        new TestCaseData(18, 45).SetName("EnrolProspect_AgreesWithEnrol_DefaultAges"),
        new TestCaseData(16, 60).SetName("EnrolProspect_AgreesWithEnrol_OtherAges"),
    ];

    [Test]
    public void Definition_MakesEnrolFromProspectAPlainStep() =>
        DonorLifecycle.For(DonorLifecycleTests.DonorIn(DonorState.Prospect), new EligibilityPolicy(), Today).EnrolIsPlainStep().Should().BeTrue();

    [TestCaseSource(nameof(Policies))]
    public void EnrolProspect_AgreesWithEnrol(int minimum, int maximum)
    {
        var policy = new EligibilityPolicy { MinimumJoinAge = minimum, MaximumJoinAge = maximum };
        var births = new[] { minimum, maximum, maximum + 1 }
            .SelectMany(age => new[] { -1, 0, 1 }.Select(days => Today.AddYears(-age).AddDays(days)))
            .Append(Today.AddYears(-30))
            .Append(Today.AddYears(-(maximum + 20)))
            .Append(Today.AddDays(-10));

        foreach (var state in Enum.GetValues<DonorState>())
        {
            foreach (var birth in births)
            {
                var byMachine = DonorLifecycleTests.DonorIn(state, birth);
                var byStep = DonorLifecycleTests.DonorIn(state, birth);

                var machine = Outcome(() => DonorLifecycle.For(byMachine, policy, Today).Enrol());
                var step = Outcome(() => DonorLifecycle.For(byStep, policy, Today).EnrolProspect());

                step.Should().Be(machine, $"a donor born {birth} in {state}");
                byStep.State.Should().Be(byMachine.State);
                byStep.Should().BeEquivalentTo(byMachine);
            }
        }
    }

    private static string Outcome(Action enrol)
    {
        try
        {
            enrol();
            return "enrolled";
        }
        catch (InvalidDonorTransitionException e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }
}

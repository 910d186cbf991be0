using System.Security.Claims;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Donors;

namespace BranchPortal.Security;

/// <summary>
/// What the signed-in user's roles may do, asked of the registry's own policy (<see cref="AccessOperations.Policy"/>),
/// so that a page offers only the actions the library would take from them.
/// </summary>
public static class PortalPermissions
{
    /// <summary>The registry action a donor's trigger is taken with, or null for a trigger no page of the portal takes itself.</summary>
    /// <param name="trigger">The trigger.</param>
    /// <returns>The action, or null.</returns>
    public static RegistryAction? ActionOf(DonorTrigger trigger) => trigger switch
    {
        DonorTrigger.Enrol => RegistryAction.Enrol,
        DonorTrigger.ScreenOut => RegistryAction.ScreenOut,
        DonorTrigger.Rescreen => RegistryAction.Rescreen,
        DonorTrigger.CollectSample => RegistryAction.CollectSample,
        DonorTrigger.RejectSample => RegistryAction.RejectSample,
        DonorTrigger.RecordTyping => RegistryAction.RecordTyping,
        DonorTrigger.List => RegistryAction.ListDonor,
        DonorTrigger.Defer => RegistryAction.Defer,
        DonorTrigger.EndDeferral => RegistryAction.EndDeferral,
        DonorTrigger.RecordDonation => RegistryAction.RecordDonation,
        DonorTrigger.Remove => RegistryAction.RemoveDonor,
        DonorTrigger.Reactivate => RegistryAction.ReactivateDonor,
        DonorTrigger.Withdraw => RegistryAction.Withdraw,
        _ => null,
    };

    /// <summary>Whether the signed-in user may take a donor's trigger (true for a trigger no registry action names: the state decides alone).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="trigger">The trigger.</param>
    /// <returns>True when the registry's policy lets their roles take it.</returns>
    public static bool May(Registry registry, ClaimsPrincipal user, DonorTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return ActionOf(trigger) is not { } action || registry.Access.Policy.IsAllowed(PortalActor.Of(user), action);
    }
}

namespace BranchPortal;

/// <summary>The portal's strings: Resources/SharedResource.resx (Chinese, the default) and SharedResource.en.resx.</summary>
public sealed class SharedResource
{
}

namespace DonorRegistry.Care;

/// <summary>Where an appreciation visit is.</summary>
public enum VisitState
{
    /// <summary>Planned: due on its day.</summary>
    Due = 0,

    /// <summary>The coordinator visited.</summary>
    Visited = 1,

    /// <summary>Skipped, with a reason.</summary>
    Skipped = 2,
}

namespace DonorRegistry.Care;

/// <summary>How severe an adverse event was (CTCAE-like grades).</summary>
public enum AdverseEventSeverity
{
    /// <summary>Grade 1: mild, no treatment needed.</summary>
    Mild = 1,

    /// <summary>Grade 2: moderate, simple treatment.</summary>
    Moderate = 2,

    /// <summary>Grade 3: severe, medical care needed.</summary>
    Severe = 3,

    /// <summary>Grade 4: life-threatening.</summary>
    LifeThreatening = 4,
}

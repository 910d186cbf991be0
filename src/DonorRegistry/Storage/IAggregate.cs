namespace DonorRegistry.Storage;

/// <summary>What the change pipeline needs of every record with a lifecycle: its key, version and state.</summary>
internal interface IAggregate
{
    /// <summary>The record's id as text, as audit records and exceptions name it.</summary>
    string Key { get; }

    /// <summary>The version: 1 when created, one more per stored change.</summary>
    int Version { get; set; }

    /// <summary>The state by name, for the audit record.</summary>
    string StateName { get; }

    /// <summary>Marks the record changed at <paramref name="at"/>; <paramref name="stateChanged"/> says whether the state moved.</summary>
    void Touch(DateTimeOffset at, bool stateChanged);
}

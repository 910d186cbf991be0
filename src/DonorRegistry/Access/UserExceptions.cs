namespace DonorRegistry.Access;

/// <summary>Thrown when a user name names no account in the registry.</summary>
public sealed class UserNotFoundException : NotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="userName">The user name that was not found.</param>
    public UserNotFoundException(string userName)
        : base(AggregateKind.User, userName, $"No user '{Guard.Prefix(userName)}' is in this registry. Add one with Users.Add (or Users.AddFirstAdministrator on an empty registry).")
    {
        UserName = userName;
    }

    /// <summary>The user name that was not found.</summary>
    public string UserName { get; }
}

/// <summary>Thrown when a user name is taken already (names are compared without case). Nothing is stored.</summary>
public sealed class DuplicateUserException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="userName">The user name that is taken.</param>
    public DuplicateUserException(string userName)
        : base($"The user name '{Guard.Prefix(userName)}' is taken already (user names are compared without case); choose another.")
    {
        UserName = userName;
    }

    /// <summary>The user name that is taken.</summary>
    public string UserName { get; }
}

/// <summary>
/// Thrown when a user verb breaks a rule of the accounts: a first administrator on a registry that has users, a
/// sign-in of a disabled or locked-out account, a change that would leave no enabled administrator. Nothing is stored.
/// </summary>
public sealed class UserAccountException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="userName">The user name concerned.</param>
    /// <param name="message">What is wrong and what to do.</param>
    public UserAccountException(string userName, string message)
        : base(message)
    {
        UserName = userName;
    }

    /// <summary>Creates the exception with a code for a host to translate the message.</summary>
    internal UserAccountException(string userName, string message, ValidationCode code)
        : this(userName, message)
    {
        Code = code;
    }

    /// <summary>The user name concerned.</summary>
    public string UserName { get; }

    /// <summary>The rule broken, for a host to translate the message (<see cref="ValidationCode.LastAdministrator"/>); <see cref="ValidationCode.Unspecified"/> for the others.</summary>
    public ValidationCode Code { get; }
}

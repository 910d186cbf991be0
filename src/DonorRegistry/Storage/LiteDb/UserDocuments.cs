using DonorRegistry.Access;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The hand-written mapping of user accounts: a collection of their own, keyed by the lower-case user name.</summary>
internal static class UserDocuments
{
    public const string Collection = "users";
    public const string AuditCollection = "user_audit";

    public static BsonDocument Write(UserAccount u, BsonDocument document)
    {
        document["_id"] = u.UserName;
        document["v"] = u.Version;
        document["display"] = u.DisplayName;
        document["roles"] = new BsonArray(u.Roles.Select(r => new BsonValue(r.ToString())));
        document["hash"] = u.PasswordHash;
        document["failed"] = u.FailedSignIns;
        document["lockedUntil"] = u.LockedUntil is { } until ? until.UtcDateTime : BsonValue.Null;
        document["disabled"] = u.Disabled;
        return document;
    }

    public static UserAccount ToUser(BsonDocument doc) => Fields.Decode(doc, Collection, d => new UserAccount(
        Fields.Str(d, "_id"),
        Fields.Str(d, "display"),
        Fields.Strs(d, "roles").Select(RoleNamed).ToList(),
        Fields.Str(d, "hash"),
        Fields.Int(d, "failed"),
        d["lockedUntil"].IsNull ? null : Fields.Instant(d, "lockedUntil"),
        Fields.Bool(d, "disabled"),
        Fields.Int(d, "v")));

    public static Role RoleNamed(string name) =>
        name.Length > 0 && char.IsLetter(name[0]) && Enum.TryParse<Role>(name, ignoreCase: false, out var role) && Enum.IsDefined(role)
            ? role
            : throw new DocumentDamage(null, null, "a role name in field 'roles'");
}

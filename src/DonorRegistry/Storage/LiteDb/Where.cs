using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Filters with their values passed as parameters. LiteDB's <c>Query.EQ</c>, <c>Query.Between</c> and the like write
/// the value into the expression's text, and LiteDB parses, compiles and caches every distinct text for the life of
/// the process: a lookup by a new id or hash compiled a new expression (about 2 ms, most of an enrolment's time) and
/// kept it forever. Here each filter has one text per field, compiled once, and the values go in as parameters.
/// </summary>
internal static class Where
{
    /// <summary><paramref name="field"/> equals <paramref name="value"/>.</summary>
    public static BsonExpression Eq(string field, BsonValue value) => BsonExpression.Create($"$.{field} = @0", value);

    /// <summary>Both fields equal their values.</summary>
    public static BsonExpression Eq(string field, BsonValue value, string other, BsonValue otherValue) =>
        BsonExpression.Create($"$.{field} = @0 AND $.{other} = @1", value, otherValue);

    /// <summary><paramref name="field"/> lies between <paramref name="from"/> and <paramref name="to"/>, both included.</summary>
    public static BsonExpression Between(string field, BsonValue from, BsonValue to) =>
        BsonExpression.Create($"$.{field} BETWEEN @0 AND @1", from, to);

    /// <summary><paramref name="field"/> is one of <paramref name="values"/>.</summary>
    public static BsonExpression In(string field, BsonArray values) => BsonExpression.Create($"$.{field} IN @0", values);
}

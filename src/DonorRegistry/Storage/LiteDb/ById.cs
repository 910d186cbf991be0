using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// A document by its id, without LiteDB's per-call parse: <c>FindById</c> builds its <c>_id = @0</c> expression anew
/// on every call (tokenizing and building an expression tree each time; only the compiled delegate is cached), which
/// was a few per cent of every write's time. Here each thread parses the expression once and sets its one parameter
/// per call. The lookup runs to its end inside the call, so no other lookup on the thread can see the parameter.
/// </summary>
internal static class ById
{
    [ThreadStatic]
    private static BsonExpression? _expression;

    /// <summary>The document of <paramref name="collection"/> whose id is <paramref name="id"/>, or null.</summary>
    public static BsonDocument? FindOneById(this ILiteCollection<BsonDocument> collection, BsonValue id)
    {
        var expression = _expression ??= BsonExpression.Create("_id = @0", BsonValue.Null);
        expression.Parameters["0"] = id;
        try
        {
            return collection.FindOne(expression);
        }
        finally
        {
            expression.Parameters["0"] = BsonValue.Null;
        }
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DonorRegistry.Workflows.PostgreSql;

/// <summary>
/// The 64-bit key of a PostgreSQL advisory lock for a resource: the first 8 bytes of SHA-256 over the scope (the
/// store's schema) and the resource id. Stable across processes, machines and .NET versions (unlike
/// <see cref="string.GetHashCode()"/>), so every process locks the same key for the same workflow.
/// </summary>
internal static class AdvisoryKey
{
    public static long For(string scope, string resource)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\u001f" + resource), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }
}

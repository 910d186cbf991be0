namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Turns a registry path into the file it stands for: full, with symbolic links resolved (so the lock, the size
/// check and the key store's default path follow the real file), and refuses with <see cref="RegistryPathException"/>
/// a folder that does not exist or a path that is a folder.
/// </summary>
internal static class RegistryPaths
{
    /// <summary>The real file behind <paramref name="path"/> (its final link target, or the path itself).</summary>
    public static string Resolve(string path, string what)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RegistryPathException(path, $"is not a usable path for the {what} ({e.Message.TrimEnd('.')})", "give a file path", e);
        }

        var resolved = full;
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is not null)
            {
                resolved = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            }
        }
        catch (IOException e)
        {
            throw new RegistryPathException(full, $"is a symbolic link for the {what} that cannot be followed ({e.Message.TrimEnd('.')})", "point the link at a file, or give the file's own path", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Denied(full, what, e);
        }

        if (Directory.Exists(resolved))
        {
            throw new RegistryPathException(resolved, $"is a folder, not a file, so it cannot be the {what}", "give the path of a file inside it, such as " + Path.Combine(resolved, "registry.db"));
        }

        var folder = Path.GetDirectoryName(resolved);
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            throw new RegistryPathException(resolved, $"is in the folder '{folder}', which does not exist", "create the folder first, or give a path in an existing folder");
        }

        return resolved;
    }

    /// <summary>The refusal for a file or folder the process may not read and write.</summary>
    public static RegistryPathException Denied(string path, string what, Exception cause) =>
        new(path, $"cannot be read and written by this process as the {what} (permission denied: {cause.Message.TrimEnd('.')})", "give the account that runs the registry read and write access to the file and its folder", cause);
}

using DonorRegistry;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace BranchPortal.Forms;

/// <summary>
/// Puts the library's own validation messages beside the form field they are about. The library names the field
/// (<see cref="RegistryValidationException.Field"/>, <see cref="FormProblem.Field"/>); the page says which of its
/// inputs that is. A field the page does not show goes to the form as a whole (key "").
/// </summary>
public static class LibraryErrors
{
    /// <summary>Adds a problem the library found before a verb ran (<see cref="FormChecks"/>).</summary>
    /// <param name="state">The page's model state.</param>
    /// <param name="problem">The problem.</param>
    /// <param name="input">The page's input.</param>
    public static void Add(ModelStateDictionary state, FormProblem problem, string input) => state.AddModelError(input, problem.Message);

    /// <summary>Adds a verb's refusal beside its field.</summary>
    /// <param name="state">The page's model state.</param>
    /// <param name="error">The refusal.</param>
    /// <param name="inputs">The library's field names mapped to the page's inputs.</param>
    public static void Add(ModelStateDictionary state, RegistryValidationException error, IReadOnlyDictionary<string, string> inputs) =>
        state.AddModelError(inputs.TryGetValue(error.Field, out var input) ? input : string.Empty, error.Message);
}

using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;

namespace ViralityDashboard.Components.Layout;

/// <summary>Remembers dark or light mode in the browser's local storage, per user and device.</summary>
public sealed class ThemePreference(ProtectedLocalStorage storage)
{
    private const string Key = "virality.dark";

    public async Task<bool> IsDarkAsync()
    {
        try
        {
            var stored = await storage.GetAsync<bool>(Key);
            return stored.Success && stored.Value;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false; // written under another data-protection key: start over
        }
    }

    public ValueTask SetDarkAsync(bool dark) => storage.SetAsync(Key, dark);
}

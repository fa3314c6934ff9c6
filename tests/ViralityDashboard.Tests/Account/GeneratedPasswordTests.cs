using ViralityDashboard.Account;

namespace ViralityDashboard.Tests.Account;

/// <summary>
/// The generated owner and viewer passwords must pass Identity's rules every time: one draw in twenty of the
/// first version had no digit, and the app then failed its first start.
/// </summary>
public sealed class GeneratedPasswordTests
{
    [Fact]
    public void EveryGeneratedPasswordHasADigitAnUpperAndALowerCaseLetter()
    {
        var passwords = Enumerable.Range(0, 2_000).Select(_ => OwnerAccount.GeneratePassword()).ToList();

        Assert.All(passwords, p =>
        {
            Assert.Matches("^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$", p);
            Assert.Contains(p, char.IsAsciiDigit);
            Assert.Contains(p, char.IsAsciiLetterUpper);
            Assert.Contains(p, char.IsAsciiLetterLower);
        });
        Assert.True(passwords.Distinct().Count() == passwords.Count, "generated passwords repeat");
    }
}

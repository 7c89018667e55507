using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Security;

/// <summary>
/// The sign-in store (<c>signin.db</c>, or the shared PostgreSQL database): sign-in sessions, and on PostgreSQL the
/// Data Protection key ring that protects the sign-in and antiforgery cookies (with SQLite the keys stay as files in
/// <c>{Storage:DataDirectory}/keys</c>).
/// </summary>
public sealed class SignInDbContext(DbContextOptions<SignInDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The store's name: its SQLite file <c>signin.db</c> and its migration history.</summary>
    public const string StoreName = "signin";

    public DbSet<SignInSessionRecord> Sessions => Set<SignInSessionRecord>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<SignInSessionRecord>(e =>
        {
            e.ToTable("signin_sessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(64);
            e.HasIndex(x => new { x.User, x.SignedInAt });
            e.HasIndex(x => x.SignedInAt);
        });
        model.Entity<DataProtectionKey>(e => e.ToTable("data_protection_keys"));
    }
}

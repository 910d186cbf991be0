using DonorRegistry.Donors;
using DonorRegistry.PostgreSql;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage.PostgreSql;

/// <summary>
/// The per-donor keys on the server (ADR 20): a keys schema beside the registry's, through the records' own login (one
/// transaction) or a role of its own (a connection of its own). Withdrawal deletes the key row and lists the donor in the
/// ledger there; several instances enrol at once; a restored older copy of the records never brings a withdrawn donor
/// back, and an older copy of the keys is refused. Ignored without DONORREGISTRY_PG.
/// </summary>
public sealed class PostgreSqlKeysTests
{
    private const string By = "coordinator.li";
    private readonly List<IDisposable> _cleanUp = [];
    private PostgreSqlServer.Schema _schema = null!;

    public enum Login
    {
        /// <summary>The keys through the records' own connection string: one transaction.</summary>
        Same,

        /// <summary>The keys through a role of their own: a connection and a transaction of their own.</summary>
        KeysRole,
    }

    [SetUp]
    public void SetUp() => _schema = PostgreSqlServer.NewSchema("keys");

    [TearDown]
    public void TearDown()
    {
        foreach (var item in Enumerable.Reverse(_cleanUp))
        {
            item.Dispose();
        }

        _cleanUp.Clear();
        _schema?.Dispose(); // null when the test was ignored for want of a server
        _schema = null!;
    }

    [TestCase(Login.Same)]
    [TestCase(Login.KeysRole)]
    public void KeysLiveInTheKeysSchema_NotInAFile_AndAWithdrawalDeletesTheKeyRowAndListsTheDonorInTheLedger(Login login)
    {
        var keys = KeysConnection(login);
        using var fx = Fixture(keys);
        var donor = fx.Enrol();
        var other = fx.Enrol();

        fx.Registry.KeyStorePath.Should().BeNull("no key-store file");
        File.Exists(fx.KeyStorePath).Should().BeFalse();
        KeyRows().Should().Equal(donor.Id.Value, other.Id.Value);
        fx.Donors.GetPersonalData(donor.Id, By, "a test").Should().NotBeNull();

        fx.Donors.Withdraw(donor.Id, By);

        KeyRows().Should().Equal(other.Id.Value);
        Ledger().Should().Equal(donor.Id.Value);
        fx.Reopen();
        var read = () => fx.Donors.GetPersonalData(donor.Id, By, "a test");
        read.Should().Throw<PersonalDataErasedException>();
        fx.Donors.GetPersonalData(other.Id, By, "a test").Should().NotBeNull();
    }

    [Test]
    public void TheKeysRole_AloneReadsTheKeys_AndTheRecordsRoleIsRefusedThem()
    {
        var records = Role("records");
        Admin($"CREATE SCHEMA {Quote(_schema.Name)} AUTHORIZATION {Quote(records)}");
        var recordsConnection = new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { Username = records }.ConnectionString;
        var keys = KeysConnection(Login.KeysRole);
        using var fx = new RegistryFixture(postgreSql: recordsConnection, configure: o => UseKeys(o, recordsConnection, keys));
        var donor = fx.Enrol();
        fx.Donors.GetPersonalData(donor.Id, By, "a test").Should().NotBeNull();

        var asRecords = () => Query(recordsConnection, $"SELECT count(*) FROM {Quote(_schema.Name + "_keys")}.donor_keys");
        var asKeys = () => Query(keys, $"SELECT count(*) FROM {Quote(_schema.Name)}.donors");

        asRecords.Should().Throw<PostgresException>().Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        asKeys.Should().Throw<PostgresException>().Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        Query(keys, $"SELECT count(*) FROM {Quote(_schema.Name + "_keys")}.donor_keys").Should().Be(1);
    }

    [TestCase(Login.Same)]
    [TestCase(Login.KeysRole)]
    public void TwoInstances_EnrolAtOnce_WithNoKeyLostOrShared_AndAWithdrawalInOneErasesThePersonalDataInTheOther(Login login)
    {
        var keys = KeysConnection(login);
        using var fx = Fixture(keys);
        using var second = Registry.Open(fx.Options());
        const int Batches = 8;
        const int PerBatch = 40;
        var requests = Enumerable.Range(0, 2 * Batches).Select(_ => fx.Volunteers.Many(PerBatch, fx.Today).ToArray()).ToArray();

        var enrolled = Enumerable.Range(0, 2 * Batches).AsParallel().WithDegreeOfParallelism(4)
            .SelectMany(i => (i % 2 == 0 ? fx.Registry : second).Donors.EnrolMany(requests[i], By).Select((d, at) => (d.Id, requests[i][at].Personal)))
            .ToList();

        enrolled.Select(e => e.Id).Should().OnlyHaveUniqueItems().And.HaveCount(2 * Batches * PerBatch);
        KeyRows().Should().BeEquivalentTo(enrolled.Select(e => e.Id.Value), "one key per donor, none lost, none left over");
        foreach (var (id, personal) in enrolled)
        {
            fx.Donors.GetPersonalData(id, By, "a test").NationalId.Should().Be(personal.NationalId);
            second.Donors.GetPersonalData(id, By, "a test").FullName.Should().Be(personal.FullName);
        }

        var leaving = enrolled[17].Id;
        second.Donors.Withdraw(leaving, By);

        var read = () => fx.Donors.GetPersonalData(leaving, By, "a test");
        read.Should().Throw<PersonalDataErasedException>("the other instance reads the key and the record on the server");
        fx.Donors.FindByNationalId(enrolled[17].Personal.NationalId).Should().BeNull();
        KeyRows().Should().NotContain(leaving.Value);
    }

    [TestCase(Login.Same)]
    [TestCase(Login.KeysRole)]
    public void RecordsRestoredFromACopyTakenBeforeAWithdrawal_DoNotBringTheDonorBack(Login login)
    {
        var keys = KeysConnection(login);
        using var fx = Fixture(keys);
        var donor = fx.Enrol();
        var personal = fx.Donors.GetPersonalData(donor.Id, By, "a test");
        var backup = Snapshot(_schema.Name);
        fx.Donors.Withdraw(donor.Id, By);
        fx.Registry.Dispose();

        Restore(_schema.Name, backup); // the records as they were before the withdrawal; the keys schema as it is
        fx.Open();

        fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Withdrawn, "the ledger in the keys schema withdraws them again");
        var read = () => fx.Donors.GetPersonalData(donor.Id, By, "a test");
        read.Should().Throw<PersonalDataErasedException>();
        fx.Donors.FindByNationalId(personal.NationalId).Should().BeNull();
        fx.Donors.GetHistory(donor.Id)[^1].Actor.Should().Be("withdrawal-ledger");
        KeyRows().Should().BeEmpty();
    }

    [Test]
    public void AKeysSchemaOlderThanTheRecords_IsRefused_AndSoAreKeysNamedTheOtherWay()
    {
        var keys = _schema.ConnectionString;
        using var fx = Fixture(keys);
        var donor = fx.Enrol();
        fx.Enrol();
        var backup = Snapshot(_schema.Name + "_keys");
        fx.Donors.Withdraw(donor.Id, By);
        fx.Registry.Dispose();
        Restore(_schema.Name + "_keys", backup);

        var open = () => Registry.Open(fx.Options());
        open.Should().Throw<KeyStoreMismatchException>().WithMessage("*withdrawal ledger*older*");

        var file = fx.Options();
        file.UsePostgreSql(_schema.ConnectionString);
        file.KeyStorePath = Path.Combine(fx.Folder, "keys");
        var asFile = () => Registry.Open(file);
        asFile.Should().Throw<KeyStoreMismatchException>().WithMessage("*schema on the server*");

        var both = fx.Options();
        both.KeyStorePath = Path.Combine(fx.Folder, "keys");
        both.Invoking(o => o.Validate()).Should().Throw<RegistryValidationException>().Which.Field.Should().Be(nameof(RegistryOptions.KeyStorePath));
    }

    [Test]
    public void AKeysSchemaMissingTheKeysOfNewerDonors_IsRefused()
    {
        using var fx = Fixture(_schema.ConnectionString);
        fx.Enrol();
        var backup = Snapshot(_schema.Name + "_keys");
        fx.Enrol();
        fx.Registry.Dispose();
        Restore(_schema.Name + "_keys", backup);

        var open = () => Registry.Open(fx.Options());

        open.Should().Throw<KeyStoreMismatchException>().WithMessage("*lacks keys*");
    }

    private static void UseKeys(RegistryOptions options, string records, string keys)
    {
        options.KeyStorePath = null;
        options.UsePostgreSql(records, keys: keys);
    }

    private static string Quote(string name) => "\"" + name + "\"";

    private RegistryFixture Fixture(string keys)
    {
        var fx = new RegistryFixture(postgreSql: _schema.ConnectionString, configure: o => UseKeys(o, _schema.ConnectionString, keys));
        return fx;
    }

    /// <summary>The keys connection string: the records' own, or a new role's that owns the keys schema alone.</summary>
    private string KeysConnection(Login login)
    {
        if (login == Login.Same)
        {
            return _schema.ConnectionString;
        }

        var role = Role("keys");
        Admin($"CREATE SCHEMA {Quote(_schema.Name + "_keys")} AUTHORIZATION {Quote(role)}");
        return new NpgsqlConnectionStringBuilder(_schema.ConnectionString) { Username = role, SearchPath = _schema.Name + "_keys" }.ConnectionString;
    }

    /// <summary>A login role for this test, dropped after it (and after the schemas it owns).</summary>
    private string Role(string prefix)
    {
        var role = $"{prefix}_{Guid.NewGuid():N}"[..24];
        Admin($"CREATE ROLE {Quote(role)} LOGIN");
        _cleanUp.Add(new Disposer(() =>
        {
            NpgsqlConnection.ClearAllPools();
            _schema.Dispose();
            Admin($"DROP ROLE IF EXISTS {Quote(role)}");
        }));
        return role;
    }

    private List<long> KeyRows() =>
        Rows($"SELECT donor FROM {Quote(_schema.Name + "_keys")}.donor_keys ORDER BY donor");

    private List<long> Ledger() =>
        Rows($"SELECT donor FROM {Quote(_schema.Name + "_keys")}.withdrawals ORDER BY seq");

    /// <summary>Copies every table of a schema into a new one: a backup, as pg_dump of that schema would keep it.</summary>
    private string Snapshot(string schema)
    {
        var copy = $"snap_{Guid.NewGuid():N}";
        _cleanUp.Add(new Disposer(() => Admin($"DROP SCHEMA IF EXISTS {Quote(copy)} CASCADE")));
        Admin($"CREATE SCHEMA {Quote(copy)}");
        foreach (var table in Tables(schema))
        {
            Admin($"CREATE TABLE {Quote(copy)}.{Quote(table)} AS TABLE {Quote(schema)}.{Quote(table)}");
        }

        return copy;
    }

    /// <summary>Puts every table of a schema back as the snapshot holds it.</summary>
    private void Restore(string schema, string snapshot)
    {
        NpgsqlConnection.ClearAllPools();
        var tables = Tables(schema).Select(t => $"{Quote(schema)}.{Quote(t)}").ToList();
        // As pg_restore --disable-triggers would: the foreign keys are not checked while the tables fill.
        Admin($"SET session_replication_role = replica; TRUNCATE {string.Join(", ", tables)}; "
            + string.Concat(Tables(schema).Select(t => $"INSERT INTO {Quote(schema)}.{Quote(t)} OVERRIDING SYSTEM VALUE SELECT * FROM {Quote(snapshot)}.{Quote(t)}; ")));
    }

    private List<string> Tables(string schema)
    {
        using var connection = new NpgsqlConnection(PostgreSqlServer.Required());
        connection.Open();
        using var command = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'", connection) { Parameters = { new() { Value = schema } } };
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private List<long> Rows(string sql)
    {
        using var connection = new NpgsqlConnection(PostgreSqlServer.Required());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<long>();
        while (reader.Read())
        {
            rows.Add(reader.GetInt64(0));
        }

        return rows;
    }

    private static long Query(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (long)command.ExecuteScalar()!;
    }

    private static void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(PostgreSqlServer.Required());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private sealed class Disposer(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

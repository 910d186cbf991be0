using Npgsql;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// The registry's tables as a versioned list of migrations (ADR 18), and the keys schema's (ADR 20). <c>Migrate</c> applies the missing ones in
/// one transaction under an advisory lock (so several instances starting together apply each once), records each in
/// <c>schema_version</c>, and refuses a database whose schema is newer than this library. A registry lives in the
/// first schema of the connection string's <c>Search Path</c> (created when missing), or in <c>public</c>.
/// </summary>
internal static class PgSchema
{
    /// <summary>The migrations, oldest first; a released one is never edited, only followed by another.</summary>
    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> Migrations =
    [
        (1, "the registry's tables: records as JSONB documents with their keys, indexes and constraints as columns", """
            CREATE TABLE registry (
                id int PRIMARY KEY CHECK (id = 1),
                format text NOT NULL,
                registry_id uuid NOT NULL,
                key_id text NOT NULL,
                key_check bytea NOT NULL,
                leaving_age int NOT NULL,
                created_at timestamptz NOT NULL);
            CREATE TABLE sequences (name text PRIMARY KEY, next bigint NOT NULL CHECK (next >= 1));

            CREATE TABLE donors (
                id bigint PRIMARY KEY,
                version int NOT NULL,
                state text NOT NULL,
                drive text,
                due date,
                listed_on date,
                nid uuid NOT NULL,
                doc jsonb NOT NULL);
            CREATE INDEX donors_state ON donors (state, id);
            CREATE INDEX donors_drive ON donors (drive, id) WHERE drive IS NOT NULL;
            CREATE INDEX donors_due ON donors (due) WHERE due IS NOT NULL;
            -- The coarse national-ID identity: shared by a few donors on purpose, so not unique (ADR 12).
            CREATE INDEX donors_nid ON donors (nid);
            CREATE TABLE donor_search (id bigint PRIMARY KEY REFERENCES donors (id), row bytea NOT NULL);

            CREATE TABLE samples (
                id text PRIMARY KEY, -- the barcode: one sample per barcode
                version int NOT NULL,
                donor bigint NOT NULL,
                drive text,
                collected_at timestamptz NOT NULL,
                doc jsonb NOT NULL);
            CREATE INDEX samples_donor ON samples (donor);
            CREATE INDEX samples_drive ON samples (drive) WHERE drive IS NOT NULL;
            CREATE TABLE shipments (id text PRIMARY KEY, doc jsonb NOT NULL);

            CREATE TABLE cases (id text PRIMARY KEY, version int NOT NULL, donor bigint NOT NULL, opened_at timestamptz NOT NULL, doc jsonb NOT NULL);
            CREATE INDEX cases_donor ON cases (donor);
            CREATE INDEX cases_opened_at ON cases (opened_at);

            CREATE TABLE drives (id text PRIMARY KEY, version int NOT NULL, doc jsonb NOT NULL);
            CREATE TABLE lectures (id text PRIMARY KEY, drive text, held_on date NOT NULL, doc jsonb NOT NULL);
            CREATE INDEX lectures_drive ON lectures (drive) WHERE drive IS NOT NULL;
            CREATE INDEX lectures_held_on ON lectures (held_on);

            CREATE TABLE donations (
                id text PRIMARY KEY,
                version int NOT NULL,
                donor bigint NOT NULL,
                next_due date,
                next_visit date,
                collection_end date NOT NULL,
                doc jsonb NOT NULL);
            CREATE INDEX donations_donor ON donations (donor);
            CREATE INDEX donations_next_due ON donations (next_due) WHERE next_due IS NOT NULL;
            CREATE INDEX donations_next_visit ON donations (next_visit) WHERE next_visit IS NOT NULL;
            CREATE INDEX donations_end ON donations (collection_end);
            CREATE TABLE publicity (donor bigint PRIMARY KEY, consent boolean NOT NULL, since timestamptz NOT NULL);
            CREATE TABLE publicity_history (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                donor bigint NOT NULL,
                consent boolean NOT NULL,
                actor text NOT NULL,
                at timestamptz NOT NULL);
            CREATE INDEX publicity_history_donor ON publicity_history (donor, seq);
            CREATE TABLE recognitions (id text PRIMARY KEY, donor bigint NOT NULL, on_day date NOT NULL, doc jsonb NOT NULL);
            CREATE INDEX recognitions_donor ON recognitions (donor);
            CREATE INDEX recognitions_on_day ON recognitions (on_day);

            CREATE TABLE volunteers (id text PRIMARY KEY, version int NOT NULL, named_on date NOT NULL, doc jsonb NOT NULL);
            CREATE INDEX volunteers_named_on ON volunteers (named_on);

            -- One audit record per record and version: the key refuses a second (the pipeline's guarantee, ADR 9 and 10).
            CREATE TABLE audit (
                kind text NOT NULL,
                subject text NOT NULL,
                version int NOT NULL,
                from_state text NOT NULL,
                to_state text NOT NULL,
                action text NOT NULL,
                actor text NOT NULL,
                reason text,
                at timestamptz NOT NULL,
                chain bytea,
                PRIMARY KEY (kind, subject, version));

            CREATE TABLE daily_counts (day date NOT NULL, drive text NOT NULL, metric text NOT NULL, n int NOT NULL, PRIMARY KEY (day, drive, metric));
            CREATE TABLE recollections (barcode text PRIMARY KEY, donor bigint NOT NULL, drive text, at timestamptz NOT NULL, first_sampled_on date NOT NULL);
            CREATE INDEX recollections_at ON recollections (at);
            CREATE TABLE search_log (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at timestamptz NOT NULL,
                candidates int NOT NULL,
                matches int NOT NULL,
                max_mismatches int NOT NULL);
            CREATE INDEX search_log_at ON search_log (at);
            """),
        (2, "users and the access log (issue 11)", """
            CREATE TABLE users (id text PRIMARY KEY, version int NOT NULL, doc jsonb NOT NULL);
            CREATE TABLE access_log (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at timestamptz NOT NULL,
                actor text NOT NULL,
                roles text NOT NULL,
                host boolean NOT NULL,
                action text NOT NULL,
                kind text,
                subject text,
                outcome text NOT NULL,
                reason text NOT NULL);
            CREATE INDEX access_log_at ON access_log (at);
            CREATE INDEX access_log_actor ON access_log (actor, at);
            CREATE INDEX access_log_subject ON access_log (kind, subject, at);
            """),
        (3, "the change table other application instances follow (issue 13, ADR 21)", """
            -- One row per committed write that stored records, numbered in commit order: the number is taken from the
            -- 'change' row of sequences, whose row lock the write holds until it commits (ADR 21).
            CREATE TABLE changes (
                seq bigint PRIMARY KEY,
                origin uuid NOT NULL,
                at timestamptz NOT NULL DEFAULT now(),
                kinds text[] NOT NULL,
                ids text[] NOT NULL);
            CREATE INDEX changes_at ON changes (at);
            INSERT INTO sequences (name, next) VALUES ('change', 1) ON CONFLICT (name) DO NOTHING;
            """),
        (4, "where the per-donor keys live: a key-store file, or a keys schema on the server (ADR 20)", """
            ALTER TABLE registry ADD COLUMN keys text NOT NULL DEFAULT 'file';
            """),
        (5, "checkpoints of an import from a LiteDB registry (ADR 22)", """
            CREATE TABLE import_checkpoint (
                source uuid NOT NULL,
                step text NOT NULL,
                last text NOT NULL,
                copied bigint NOT NULL,
                done boolean NOT NULL,
                at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (source, step));
            """),
    ];

    /// <summary>
    /// The keys schema's migrations (ADR 20), applied to the keys schema (its own <c>schema_version</c>), through the
    /// keys' own connection when they have one: the key store's header, one wrapped key per donor, the withdrawal ledger.
    /// </summary>
    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> KeyMigrations =
    [
        (1, "the per-donor keys and the withdrawal ledger", """
            CREATE TABLE key_store (
                id int PRIMARY KEY CHECK (id = 1),
                registry_id uuid NOT NULL,
                key_id text NOT NULL,
                key_check bytea NOT NULL,
                created_at timestamptz NOT NULL);
            -- One wrapped data key per donor (AES-GCM under a key derived from the registry key); a withdrawal deletes it.
            CREATE TABLE donor_keys (donor bigint PRIMARY KEY, wrapped bytea NOT NULL CHECK (length(wrapped) = 60));
            -- Every withdrawal, in order: donor numbers and instants, no personal data (ADR 12).
            CREATE TABLE withdrawals (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                donor bigint NOT NULL UNIQUE,
                at timestamptz NOT NULL);
            """),
    ];

    /// <summary>The tables the migrations create in a registry's schema (what the verifier holds to its keys and indexes).</summary>
    public static IReadOnlyList<string> Tables { get; } =
        [.. Migrations.SelectMany(m => System.Text.RegularExpressions.Regex.Matches(m.Sql, @"CREATE TABLE (\w+)").Select(t => t.Groups[1].Value)), "schema_version"];

    /// <summary>The schema version this library writes.</summary>
    public static int Latest => Migrations[^1].Version;

    /// <summary>The schema a connection string's registry lives in: the first of its search path, or null for the server's default.</summary>
    public static string? SchemaOf(NpgsqlConnectionStringBuilder builder) =>
        builder.SearchPath?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim('"');

    /// <summary>Applies the missing migrations in one transaction under an advisory lock; returns the schema version.</summary>
    public static int Migrate(NpgsqlDataSource source, string? schema, string where) => Migrate(source, schema, where, Migrations);

    /// <summary>Applies the missing migrations of <paramref name="migrations"/> to <paramref name="schema"/>; the keys schema is named outright (its statements run with it as the search path).</summary>
    public static int Migrate(NpgsqlDataSource source, string? schema, string where, IReadOnlyList<(int Version, string Description, string Sql)> migrations)
    {
        var latest = migrations[^1].Version;
        var keys = !ReferenceEquals(migrations, Migrations);
        var db = new PgDatabase(source, where);
        db.Begin();
        var committed = false;
        try
        {
            // One lock per schema: instances starting together wait here, and the second finds the work done.
            db.Execute("locking the schema for migrations", "SELECT pg_advisory_xact_lock(hashtextextended('DonorRegistry schema ' || $1, 0))", schema ?? "(default)");
            if (schema is not null)
            {
                // Only when missing: a role without CREATE on the database may be given a schema made for it (ADR 20).
                if (!db.Scalar<bool>("looking for the schema", "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema))
                {
                    db.Execute("creating the registry's schema", $"CREATE SCHEMA {Quote(schema)}");
                }

                if (keys)
                {
                    db.Execute("naming the keys schema", "SELECT set_config('search_path', $1, true)", Quote(schema));
                }
            }

            db.Execute("creating the schema_version table", "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            var current = db.Scalar<int?>("reading the schema version", "SELECT max(version) FROM schema_version") ?? 0;
            if (current > latest)
            {
                throw new NotARegistryException(where, $"its schema is at version {current} and this library knows up to version {latest}; upgrade the library");
            }

            foreach (var (version, description, sql) in migrations.Where(m => m.Version > current))
            {
                db.Execute($"applying schema migration {version}", sql);
                db.Execute("recording a schema migration", "INSERT INTO schema_version (version, description) VALUES ($1, $2)", version, description);
            }

            db.Commit();
            committed = true;
            return latest;
        }
        finally
        {
            db.End(rollBack: !committed);
        }
    }

    /// <summary>
    /// The NOTIFY channel of a schema's registry: a name of its own per schema (hashed, so that any schema name gives a
    /// valid channel under PostgreSQL's 63-byte limit).
    /// </summary>
    public static string ChannelOf(string? schema) =>
        "donorregistry_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(schema ?? "(default)")))[..24];

    /// <summary>A quoted SQL identifier.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

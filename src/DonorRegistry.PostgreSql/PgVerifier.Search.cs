using DonorRegistry.Donors;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.Verification;

namespace DonorRegistry.PostgreSql;

/// <summary>The checks of the constraints and indexes, the search rows and the in-memory search index (<see cref="PgVerifier"/>).</summary>
internal sealed partial class PgVerifier
{
    private const string SearchTable = "donor_search";

    /// <summary>
    /// The server's counterpart of LiteDB's index check. The ids were held to one row each while the documents were read
    /// (the primary keys' promise); here every table of the registry's schema must have its primary key (a table without
    /// one would take a second row of an id: a second sample of a barcode, a second audit record of a version), and every
    /// index must be valid and ready (a build that failed midway leaves one the planner skips). When the database has the
    /// amcheck extension and the registry's login may run it, each B-tree index is checked against its table's rows too.
    /// </summary>
    private void Constraints()
    {
        var tables = PgSchema.Tables.ToArray();
        var found = new HashSet<string>(StringComparer.Ordinal);
        Query("tables", "reading the registry's tables and primary keys",
            """
            SELECT c.relname, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p') FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)
            """,
            r =>
            {
                found.Add(r.GetString(0));
                if (!r.GetBoolean(1))
                {
                    Add(VerificationProblemKind.IndexMismatch, r.GetString(0), null, "a primary key that holds each id once", "no primary key");
                }
            }, Column.Typed(tables, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text));
        foreach (var missing in tables.Where(t => !found.Contains(t)))
        {
            Add(VerificationProblemKind.Unreadable, missing, null, $"table '{missing}', which the schema's migrations create", "no such table");
        }

        var btrees = new List<(string Table, string Index)>();
        Query("indexes", "reading the registry's indexes",
            """
            SELECT t.relname, x.relname, i.indisvalid AND i.indisready AND i.indislive, a.amname = 'btree'
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am a ON a.oid = x.relam
            WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
            ORDER BY t.relname, x.relname
            """,
            r =>
            {
                if (!r.GetBoolean(2))
                {
                    Add(VerificationProblemKind.IndexMismatch, r.GetString(0), null, $"index '{r.GetString(1)}' valid and ready", "an index the server does not use (its build failed or is not finished)");
                }
                else if (r.GetBoolean(3))
                {
                    btrees.Add((r.GetString(0), r.GetString(1)));
                }
            }, Column.Typed(tables, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text));

        // The extension is the database's, in a schema of its own: its functions are named through that schema, and
        // whether the registry's login may run them is asked once the schema is known.
        string? amcheck = null;
        Query("indexes", "looking for the amcheck extension",
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'", r => amcheck = r.GetString(0));
        if (amcheck is not null)
        {
            var allowed = false;
            Query("indexes", "asking whether amcheck may run", "SELECT has_function_privilege(format('%I.bt_index_check(regclass, boolean)', $1::text), 'execute')", r => allowed = r.GetBoolean(0), amcheck);
            amcheck = allowed ? amcheck : null;
        }

        if (amcheck is not null)
        {
            foreach (var (table, index) in btrees)
            {
                CheckIndex(PgSchema.Quote(amcheck), table, index);
            }
        }
    }

    /// <summary>amcheck's check of one B-tree index, with every row of its table found in it; a failure is reported and the next index checked.</summary>
    private void CheckIndex(string amcheck, string table, string index)
    {
        Execute("marking where an index check starts", "SAVEPOINT verify_index");
        try
        {
            Query(table, $"checking index '{index}'", $"SELECT {amcheck}.bt_index_check(format('%I.%I', current_schema(), $1::text)::regclass, true)", _ => { }, index);
            Execute("ending an index check", "RELEASE SAVEPOINT verify_index");
        }
        catch (RegistryDamagedException e)
        {
            Execute("going on after an index check", "ROLLBACK TO SAVEPOINT verify_index");
            Add(VerificationProblemKind.IndexMismatch, table, null, $"index '{index}' to list exactly the table's rows", VerificationFindings.Found(e));
        }
    }

    /// <summary>Each listed, typed donor has exactly the search row its record says (ADR 13, 16), and no other donor has one.</summary>
    private void SearchRows()
    {
        var check = _findings.CheckSearchRows(SearchTable, _donors, DocumentCodec.HasSearchRow, id => _ids[Donors].Contains(new DonorId(id).ToString()));
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        Rows(SearchTable, "reading the search rows", "SELECT id, row FROM donor_search", r =>
        {
            var id = r.GetInt64(0);
            var row = (byte[])r[1];
            try
            {
                _ = DocumentCodec.DecodeSearchRow(id, row, DonorState.Available, 0, strings, _db.Where); // its layout and checksum
            }
            catch (RegistryDamagedException e)
            {
                Add(VerificationProblemKind.Undecodable, SearchTable, new DonorId(id).ToString(), e.Expected, VerificationFindings.Found(e));
                return;
            }

            check.Row(id, donor => row.AsSpan().SequenceEqual(DocumentCodec.EncodeSearchRow(donor)));
        });

        check.Finish();
    }

    /// <summary>
    /// The in-memory search index (when built) agrees with the donor records (<see cref="VerificationFindings.CompareSearchIndex"/>).
    /// Donors that other instances changed and this instance's change feed has not applied yet (ADR 21) are left out: the
    /// snapshot holds their change and the index will once the feed, waiting for this instance's gate, applies it.
    /// </summary>
    private void SearchIndex()
    {
        if (inputs.SearchIndex() is not { } index)
        {
            return;
        }

        HashSet<long>? unsettled = null;
        if (store.Feed is { } feed)
        {
            unsettled = [];
            Query("changes", "reading the changes not applied yet", "SELECT kinds, ids FROM changes WHERE seq > $1", r =>
            {
                var (kinds, ids) = ((string[])r[0], (string[])r[1]);
                for (var i = 0; i < Math.Min(kinds.Length, ids.Length); i++)
                {
                    if (kinds[i] == nameof(AggregateKind.Donor) && DonorId.TryParse(ids[i], out var donor))
                    {
                        unsettled.Add(donor.Value);
                    }
                }
            }, feed.Applied);
        }

        _findings.CompareSearchIndex(_donors, index, DocumentCodec.SearchStates, unsettled);
    }
}

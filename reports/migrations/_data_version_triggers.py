"""The SQLite triggers of the data versions (migrations 0004, 0005, 0006, 0016, 0023, 0024), all of them.

SQLite cannot alter a column in place: for some schema changes (a NOT NULL column added with a
default, for one) Django rebuilds the table, and the rebuilt table has none of the old one's
triggers. `ensure_sqlite` puts back every trigger that is missing, from the same lists and with
the same names as the migrations that made them, so a migration that rebuilds a watched table
can call it (reports 0020 does, after the rebuilds of branches_user, reports_meeting and
criteria_indicator). PostgreSQL alters tables in place and keeps its triggers: nothing to do."""

from importlib import import_module

_ROWS = {1: "bontot_data_version", 2: "bontot_data_version_members", 3: "bontot_data_version_summary"}


def expected() -> dict[str, str]:
    """{trigger name: CREATE TRIGGER statement} for every data-version trigger on SQLite."""
    dashboard = import_module("reports.migrations.0004_dataversion")
    members = import_module("reports.migrations.0005_dataversion_members")
    summary = import_module("reports.migrations.0006_dataversion_summary")
    ratings = import_module("reports.migrations.0016_dataversion_organization_rating")
    decisions = import_module("reports.migrations.0023_dataversion_recognition_decision")
    self_reviews = import_module("reports.migrations.0024_dataversion_self_reviews")
    tables = {
        1: [*dashboard.TABLES, *ratings.TABLES],
        2: list(members.TABLES),
        3: [*summary.TABLES, *ratings.TABLES, *decisions.TABLES, *self_reviews.TABLES],
    }
    statements = {}
    for row, prefix in _ROWS.items():
        bump = f"UPDATE reports_dataversion SET value = abs(random()) WHERE id = {row};"
        for table in tables[row]:
            for op in ("INSERT", "UPDATE", "DELETE"):
                name = f"{prefix}_{table}_{op.lower()}"
                statements[name] = (
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {table} BEGIN {bump} END"
                )
    users = ", ".join(dashboard.USER_COLUMNS)
    bump = "UPDATE reports_dataversion SET value = abs(random()) WHERE id = 1;"
    for op in ("INSERT", "DELETE", f"UPDATE OF {users}"):
        name = f"bontot_data_version_branches_user_{op.split()[0].lower()}"
        statements[name] = (
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON branches_user BEGIN {bump} END"
        )
    return statements


def current() -> dict[str, str]:
    """{trigger name: CREATE TRIGGER statement} of every data-version trigger on SQLite after
    reports 0026: the whole-database triggers of the tables it did not move to units, and its
    unit triggers. (`expected` stays what the migrations before 0026 put back.)"""
    units = import_module("reports.migrations.0026_unit_data_versions")
    moved = {
        f"{_ROWS[s]}_{table}_{op}"
        for table, (scopes, _e) in units.UNIT_TABLES.items()
        for s in scopes
        for op in ("insert", "update", "delete")
    }
    return {
        **{name: sql for name, sql in expected().items() if name not in moved},
        **units.sqlite_triggers(),
    }


def ensure_sqlite(apps, schema_editor) -> None:
    """Every expected trigger on a table that exists: a migration running before a later one
    created a watched table (0020 before the self-reviews of 0021) leaves that table's triggers to
    the migration that watches it (0024)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in cursor.fetchall()}
    for statement in expected().values():
        if statement.split(" ON ", 1)[1].split()[0] in tables:
            schema_editor.execute(statement)


def noop(apps, schema_editor) -> None:
    """Going back leaves them: the migrations that made them drop them."""

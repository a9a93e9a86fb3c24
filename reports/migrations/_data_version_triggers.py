"""The SQLite triggers of the data versions (migrations 0004, 0005, 0006, 0016), all of them.

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
    tables = {
        1: [*dashboard.TABLES, *ratings.TABLES],
        2: list(members.TABLES),
        3: [*summary.TABLES, *ratings.TABLES],
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


def ensure_sqlite(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in expected().values():
        schema_editor.execute(statement)


def noop(apps, schema_editor) -> None:
    """Going back leaves them: the migrations that made them drop them."""

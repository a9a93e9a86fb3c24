"""Put the append-only trigger of reports/0003 on every history table of our apps that does not
have it yet (PostgreSQL only). Idempotent: the tables already guarded are left as they are."""

OUR_APPS = {"branches", "criteria", "pledges", "reports"}


def guard_all(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = 'history_append_only' AND event_manipulation = 'UPDATE'"
        )
        guarded = {row[0] for row in cursor.fetchall()}
    for model in apps.get_models():
        table = model._meta.db_table
        if (
            model._meta.app_label in OUR_APPS
            and model.__name__.startswith("Historical")
            and table not in guarded
        ):
            schema_editor.execute(
                f"CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION bontot_history_append_only()"
            )


def noop(apps, schema_editor):
    """Going back leaves the triggers: reports/0003's backward step drops them all."""

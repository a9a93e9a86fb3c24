"""Make the upgrade fixture: a database created by a released version of Bốn Tốt, with the demo
data (signed, countersigned and returned pledges, signed self-assessments) and the sealed PDF of
every signed document, for tests/test_upgrade.py.

Run from the repository root with the project's virtual environment:

    .venv/bin/python scripts/upgrade_fixture.py <commit> tests/fixtures/upgrade/<name>

It checks the commit out into a temporary work tree, runs that version's `migrate`,
`create_seal_certificate` and `load_demo` on a fresh SQLite database and a fresh PostgreSQL
database (PG_URL, default postgres://postgres@127.0.0.1:5432), has that version render and seal two
signed pledges and two signed self-assessments, and writes into the output folder: sqlite.sql.gz and postgresql.sql.gz (the two
databases as SQL), pdfs.tar.gz (the sealed PDFs), seal/ (the demo's self-signed certificate and
key: test material only) and manifest.json (row counts of every table, every signature's code and
hash, the sealed files' SHA-256).
"""

import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# Runs inside the old version (manage.py shell): render and keep the sealed PDF of every signed
# document, with that version's own code, and list the signatures.
RENDER = r"""
import json, sys
from django.apps import apps
Signature = None
for model in apps.get_models():
    if model.__name__ == "Signature":
        Signature = model
from django.contrib.auth import get_user_model
viewer = get_user_model().objects.get(username="admin")
out = []
rendered = {"Pledge": 0, "Review": 0}
for signature in Signature.objects.order_by("pk"):
    document = signature.document
    name = type(document).__name__
    if rendered.get(name, 9) >= 2:
        pdf = None
    elif name == "Pledge" and signature.role == "signer":
        from pledges.documents import pledge_pdf
        pdf = pledge_pdf(document, viewer=viewer).content
    elif name == "Review" and signature.role == "signer":
        from reports.review_documents import self_assessment_pdf
        from reports.selectors.reviews import review_sheet
        latest = document.signatures.filter(role="signer").order_by("-sequence").first()
        pdf = self_assessment_pdf(document, review_sheet(document), viewer).content if latest.pk == signature.pk and not document.editable_by_branch else None
    else:
        pdf = None
    if pdf:
        rendered[name] += 1
    out.append({"code": signature.code, "content_hash": signature.content_hash, "document": name, "role": signature.role, "pdf": bool(pdf)})
    if pdf:
        import pathlib
        target = pathlib.Path(sys.argv[-1]) / f"{signature.code}.pdf"
        target.write_bytes(pdf)
print("SIGNATURES=" + json.dumps(out))
"""


def run(cmd, env, cwd, capture=False):
    result = subprocess.run(cmd, env=env, cwd=cwd, check=True, text=True, capture_output=capture)
    return result.stdout if capture else None


def table_counts_sqlite(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in sorted(names)
    }


def table_counts_pg(url: str) -> dict[str, int]:
    names = subprocess.run(
        [
            "psql",
            url,
            "-Atc",
            "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1",
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout.split()
    counts = {}
    for name in names:
        counts[name] = int(
            subprocess.run(
                ["psql", url, "-Atc", f'SELECT COUNT(*) FROM "{name}"'],
                check=True,
                text=True,
                capture_output=True,
            ).stdout
        )
    return counts


def main(commit: str, out: Path) -> None:
    repo = Path.cwd()
    python = str(repo / ".venv" / "bin" / "python")
    pg = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tree = tmp / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], check=True)
        try:
            for link in ("node_modules",):
                (tree / link).symlink_to(repo / link)
            shutil.copytree(repo / "locale", tree / "locale", dirs_exist_ok=True)
            seal = tmp / "seal"
            media = tmp / "media"
            base_env = {
                **os.environ,
                "BONTOT_MODE": "development",
                "BONTOT_DEMO": "1",
                "DJANGO_DEBUG": "0",
                "BONTOT_MEDIA_ROOT": str(media),
                "BONTOT_SEAL_KEY": str(seal / "seal-key.pem"),
                "BONTOT_SEAL_CERT": str(seal / "seal-cert.pem"),
                "EMAIL_URL": "dummymail://",
                "BONTOT_PUBLIC_URL": "http://127.0.0.1:8000",
            }
            manifest = {
                "commit": subprocess.run(
                    ["git", "rev-parse", commit], check=True, text=True, capture_output=True
                ).stdout.strip()
            }
            pdfs = tmp / "pdfs"
            pdfs.mkdir()
            # SQLite
            sqlite_path = tmp / "db.sqlite3"
            env = {**base_env, "DATABASE_URL": f"sqlite:///{sqlite_path}"}
            run([python, "manage.py", "migrate", "--noinput", "-v0"], env, tree)
            run([python, "manage.py", "create_seal_certificate", "--if-missing"], env, tree)
            run([python, "manage.py", "load_demo"], env, tree, capture=True)
            printed = run(
                [
                    python,
                    "manage.py",
                    "shell",
                    "-c",
                    RENDER.replace("sys.argv[-1]", repr(str(pdfs))),
                ],
                env,
                tree,
                capture=True,
            )
            manifest["signatures"] = json.loads(printed.split("SIGNATURES=", 1)[1])
            manifest["sqlite_counts"] = table_counts_sqlite(sqlite_path)
            db = sqlite3.connect(sqlite_path)
            with gzip.open(out / "sqlite.sql.gz", "wt", encoding="utf-8") as handle:
                for line in db.iterdump():
                    handle.write(line + "\n")
            db.close()
            # PostgreSQL: the same steps on a fresh database (its own demo, its own signatures).
            name = "bontot_upgrade_fixture"
            subprocess.run(
                [
                    "psql",
                    f"{pg}/postgres",
                    "-qc",
                    f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                    "-c",
                    f"CREATE DATABASE {name}",
                ],
                check=True,
            )
            pg_media = tmp / "pg-media"
            env = {**base_env, "DATABASE_URL": f"{pg}/{name}", "BONTOT_MEDIA_ROOT": str(pg_media)}
            run([python, "manage.py", "migrate", "--noinput", "-v0"], env, tree)
            run([python, "manage.py", "load_demo"], env, tree, capture=True)
            pg_pdfs = tmp / "pg-pdfs"
            pg_pdfs.mkdir()
            printed = run(
                [
                    python,
                    "manage.py",
                    "shell",
                    "-c",
                    RENDER.replace("sys.argv[-1]", repr(str(pg_pdfs))),
                ],
                env,
                tree,
                capture=True,
            )
            manifest["pg_signatures"] = json.loads(printed.split("SIGNATURES=", 1)[1])
            manifest["pg_counts"] = table_counts_pg(f"{pg}/{name}")
            dump = subprocess.run(
                ["pg_dump", "--no-owner", "--no-privileges", f"{pg}/{name}"],
                check=True,
                capture_output=True,
            ).stdout
            with gzip.open(out / "postgresql.sql.gz", "wb") as handle:
                handle.write(dump)
            subprocess.run(
                ["psql", f"{pg}/postgres", "-qc", f"DROP DATABASE {name} WITH (FORCE)"], check=True
            )
            with tarfile.open(out / "pdfs.tar.gz", "w:gz") as archive:
                archive.add(pdfs, arcname="sqlite")
                archive.add(pg_pdfs, arcname="postgresql")
            manifest["pdf_sha256"] = {
                f"{kind}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
                for kind, folder in (("sqlite", pdfs), ("postgresql", pg_pdfs))
                for p in sorted(folder.iterdir())
            }
            shutil.copytree(seal, out / "seal", dirs_exist_ok=True)
            (out / "manifest.json").write_text(
                json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
            )
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], check=False)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))

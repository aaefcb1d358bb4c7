"""A throw-away PostgreSQL server for the tests: Debian's own server binaries (the ``postgresql``
package, installed by ``scripts/run_tests.sh``), a cluster in a temporary folder listening only
on a Unix socket in that folder (no TCP port, nothing reachable from outside), started once per
test session and stopped, with its folder removed, at the end.

``initdb`` refuses to run as root (the CI runs the tests as root): the server then runs as the
``postgres`` account the Debian package creates, through ``runuser``. ``TRACKER_TEST_PG`` (a
``postgresql://`` URL of a server whose user may create databases) uses that server instead.
No PostgreSQL binaries: the tests that need the server fail, saying what to install; they are
never skipped.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import psycopg

TEST_SERVER_ENV = "TRACKER_TEST_PG"
#: the server's superuser in the throw-away cluster (trust authentication on its socket only)
USER = "tracker"
#: a role that signs in with a password (scram-sha-256), and that password
PASSWORD_ROLE, PASSWORD = "withpassword", "the-right-one"


def server_binaries() -> Path | None:
    """The folder of ``initdb`` / ``pg_ctl``: Debian's newest ``/usr/lib/postgresql/N/bin``,
    else the ``PATH``'s."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


class ThrowAwayPostgres:
    """One server; ``new_database()`` gives the URL of a fresh empty database."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self.folder: Path | None = None
        given = os.environ.get(TEST_SERVER_ENV)
        if given:
            self.admin_url = given
            return
        binaries = server_binaries()
        if binaries is None:
            raise RuntimeError(
                "PostgreSQL server binaries not found (initdb, pg_ctl): install Debian's "
                "postgresql package (./scripts/run_tests.sh does), or set "
                f"{TEST_SERVER_ENV} to a server's URL"
            )
        self.folder = Path(tempfile.mkdtemp(prefix="pg-"))
        self._as = self._server_account()
        if self._as is not None:
            os.chown(self.folder, pwd.getpwnam(self._as).pw_uid, -1)
        data = self.folder / "data"
        self._run(
            binaries / "initdb",
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            USER,
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        )
        # one role that must give its password (the others are trusted on the socket): the
        # tests of a refused password sign in as it
        hba = data / "pg_hba.conf"
        hba.write_text(f"local all {PASSWORD_ROLE} scram-sha-256\n" + hba.read_text())
        options = (
            f"-k {self.folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._pg_ctl = binaries / "pg_ctl"
        self._data = data
        self._run(
            self._pg_ctl,
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )
        self.admin_url = f"postgresql://{USER}@/postgres?host={quote(str(self.folder))}"
        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}' CREATEDB")

    @staticmethod
    def _server_account() -> str | None:
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
                return name
            except KeyError:
                continue
        raise RuntimeError("running as root without a postgres or nobody account for initdb")

    def _run(self, *command: object) -> None:
        argv = [str(part) for part in command]
        if self._as is not None:
            argv = ["runuser", "-u", self._as, "--", *argv]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr or done.stdout}")

    def url_of(self, database: str, user: str | None = None) -> str:
        """The URL of ``database``, as the session's user or as ``user`` (``"name:password"``)."""
        head, _, query = self.admin_url.partition("?")
        base = head.rsplit("/", 1)[0]
        if user is not None:
            scheme, _, rest = base.partition("://")
            base = f"{scheme}://{user}@{rest.partition('@')[2]}"
        return f"{base}/{database}" + (f"?{query}" if query else "")

    def new_database(self, owner: str | None = None) -> str:
        """A fresh empty database (owned by ``owner`` when given: its URL signs in as the
        session's user all the same)."""
        name = f"t{os.getpid()}_{next(self._numbers)}"
        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))
        return self.url_of(name)

    def drop_database(self, url: str) -> None:
        name = url.partition("?")[0].rsplit("/", 1)[1]
        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.folder is None:
            return
        try:
            self._run(self._pg_ctl, "-D", str(self._data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

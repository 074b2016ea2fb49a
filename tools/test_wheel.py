# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The wheel of the addon (make wheel) installs into a fresh virtual
environment beside Odoo, and the addon installs from it on a fresh database,
with an addons path that does not hold this repository (make test-wheel).

Offline: the environment sees the system's site-packages, where Odoo 18.0 and
its requirements are installed, and pip looks at no index.
"""

import glob
import os
import subprocess
import sys
from pathlib import Path

import psycopg2

REPOSITORY = Path(__file__).resolve().parent.parent
ADDON = "account_dispute"


def _run(*args, **kwargs):
    return subprocess.run(
        [str(a) for a in args], check=True, capture_output=True, text=True, **kwargs
    )


def _connect(dbname):
    return psycopg2.connect(
        dbname=dbname,
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER") or None,
    )


def _drop(database):
    conn = _connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    conn.close()


def test_the_addon_installs_from_its_wheel(tmp_path):
    wheels = glob.glob(os.path.join(os.environ["WHEEL_DIR"], "*.whl"))
    assert len(wheels) == 1, f"one wheel expected (make wheel): {wheels}"
    database = os.environ["DB_WHEEL"]
    env_dir = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--system-site-packages", env_dir)
    python = env_dir / "bin" / "python"
    # With its dependencies (Odoo 18.0, xlsxwriter): found installed.
    _run(python, "-m", "pip", "install", "--no-index", "--quiet", wheels[0])

    # Odoo's own addons only: the addon can only come from the wheel.
    addons_path = _run(
        python,
        "-c",
        "from odoo.tools import config; config._parse_config([]); "
        "print(config['addons_path'])",
    ).stdout.strip()
    for path in addons_path.split(","):
        assert not Path(path).resolve().is_relative_to(REPOSITORY), addons_path
    conf = tmp_path / "odoo.conf"
    conf.write_text(
        "[options]\n"
        f"addons_path = {addons_path}\n"
        f"data_dir = {tmp_path / 'data'}\n"
        f"db_host = {os.environ.get('PGHOST', '127.0.0.1')}\n"
        f"db_port = {os.environ.get('PGPORT', '5432')}\n"
        f"db_user = {os.environ.get('PGUSER', '')}\n"
    )
    module_path = _run(
        python,
        "-c",
        "from odoo.tools import config; "
        f"config._parse_config(['-c', '{conf}']); "
        "from odoo.modules.module import get_module_path, initialize_sys_path; "
        f"initialize_sys_path(); print(get_module_path('{ADDON}'))",
    ).stdout.strip()
    assert Path(module_path).is_relative_to(env_dir), module_path

    _drop(database)
    try:
        _run(
            python,
            "-m",
            "odoo",
            "-c",
            conf,
            "-d",
            database,
            "-i",
            ADDON,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            cwd=tmp_path,
        )
        conn = _connect(database)
        with conn.cursor() as cr:
            cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [ADDON])
            state = cr.fetchone()
        conn.close()
        assert state == ("installed",)
    finally:
        _drop(database)

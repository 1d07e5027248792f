"""`cmake --install` puts the package where Debian's python3 finds it for the prefix, and the
installed package (extension, Python files and schema) works on its own."""

import os
import subprocess
import sys
import sysconfig

import pytest


def test_installed_package_imports_and_serves_a_document(tmp_path):
    build = os.environ.get("SCORINGJOBS_BUILD_DIR")
    if not build:
        pytest.fail("SCORINGJOBS_BUILD_DIR must name the CMake build tree (CMake sets it for ctest)")
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", build, "--prefix", str(prefix)], check=True, capture_output=True,
                   timeout=300)
    # <prefix>/lib/python3.X/dist-packages, or lib/python3/dist-packages when configured for /usr.
    found = sorted(prefix.glob("lib/python3*/dist-packages/scoringjobs/__init__.py"))
    assert len(found) == 1, found
    site = found[0].parent.parent
    assert (site / "scoringjobs" / "schema.graphql").is_file()
    assert (site / "scoringjobs" / ("_core" + sysconfig.get_config_var("EXT_SUFFIX"))).is_file()
    script = (
        "import scoringjobs, sys\n"
        "from scoringjobs.plexus import LocalClient\n"
        "assert scoringjobs.__file__.startswith(sys.argv[1]), scoringjobs.__file__\n"
        "with scoringjobs.Store(sys.argv[2]) as store:\n"
        "    job = scoringjobs.ScoringJob.create(store, 'a', 'c', 'i')\n"
        "    data = LocalClient(store).execute('query($id: ID!) { getScoringJob(id: $id) { id } }', {'id': job.id})\n"
        "    assert data == {'getScoringJob': {'id': job.id}}, data\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    subprocess.run([sys.executable, "-c", script, str(site), str(tmp_path / "jobs.db")], check=True, env=env,
                   timeout=120)

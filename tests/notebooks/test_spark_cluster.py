"""A real Spark cluster: a standalone master and worker on 127.0.0.1 run notebook 20 with the embedded figures."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmlab.reports.runner import execute, plan
from crmlab.reports.specs import find_notebooks
from crmlab.reports.worker import execute as execute_in
from tests.conftest import NOTEBOOKS, require_system

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(log: Path, text: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until ``text`` appears in ``log``; fail with the log if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"Spark did not log {text!r}:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[str]:
    """A standalone master and one worker (2 cores, 1 GB) from the installed pyspark; stopped afterwards."""
    from crmlab.data.spark import missing

    require_system("java" not in missing(), "Java 17", "sudo apt-get install openjdk-17-jre-headless")
    import pyspark

    home = Path(pyspark.__file__).parent
    logs = tmp_path_factory.mktemp("spark-cluster")
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_DAEMON_MEMORY": "512m"}
    port = free_port()
    master_url = f"spark://127.0.0.1:{port}"
    daemons = [
        ("master", ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port)]),
        ("worker", ["org.apache.spark.deploy.worker.Worker", master_url, "--host", "127.0.0.1", "--cores", "2"]),
    ]
    ready = {"master": "I have been elected leader", "worker": "Successfully registered with master"}
    processes = []
    try:
        for name, args in daemons:
            log = logs / f"{name}.log"
            command = [str(home / "bin" / "spark-class"), *args, "--webui-port", str(free_port())]
            if name == "worker":
                command += ["--memory", "1g"]
            with log.open("wb") as out:
                process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
            processes.append(process)
            wait_for(log, ready[name], process)
        yield master_url
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_notebook_20_on_a_standalone_cluster_records_the_embedded_figures(cluster, tmp_path, monkeypatch):
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # the driver (in the kernel) binds the loopback too
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    spec = next(s for s in find_notebooks(NOTEBOOKS) if s.name.startswith("20"))
    embedded = execute(plan(spec, {}, lang="en"), tmp_path)
    events: list[tuple] = []
    request = plan(spec, {"engine": "spark", "spark_master": cluster}, lang="en")
    folder = tmp_path / "on-cluster"
    folder.mkdir()
    on_cluster = execute_in(request, folder, events.append)  # the worker's body, to see its progress events
    assert on_cluster["status"] == "ok", on_cluster["error"]
    assert embedded.status == "ok", embedded.message
    assert on_cluster["figures"] == embedded.figures
    assert {f["name"] for f in on_cluster["figures"]} >= {"lines_kept", "customers", "top20_share", "r", "alpha"}
    html = (folder / "reader.html").read_text(encoding="utf-8")
    assert f"master <code>{cluster}</code>" in html  # the report says where the reduction ran
    stages = [e for e in events if e[0] == "stage"]
    assert stages and all(e[2].startswith("Spark stage ") for e in stages), events  # the live line's progress

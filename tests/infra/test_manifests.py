"""deploy/ without a Docker engine or a cluster: the files parse, say what they must, agree with each other, and
the nginx configuration is valid for Debian's nginx. (tests/infra/test_replicas.py runs nginx for real.)"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import streamlit
import yaml
from sqlalchemy.engine import make_url

from tests.conftest import ROOT, free_port
from tests.infra.helpers import DEPLOY, NGINX, render_nginx, start_replica

pytestmark = pytest.mark.infra
SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy", "Permissions-Policy")


# ---- nginx.conf ---------------------------------------------------------------------------------------------

def nginx_headers(text: str) -> dict[str, str]:
    return {m[1]: m[2] for m in re.finditer(r'^\s*add_header\s+(\S+)\s+"([^"]*)"\s+always;', text, re.M)}


def nginx_test(conf: Path) -> subprocess.CompletedProcess:
    prefix = Path(tempfile.mkdtemp(prefix="kuril-nginx-t-"))
    try:
        (prefix / "logs").mkdir()
        (prefix / "temp").mkdir()
        return subprocess.run([NGINX, "-t", "-q", "-c", str(conf), "-p", f"{prefix}/"],
                              capture_output=True, text=True, timeout=30)
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def test_nginx_conf_as_written_and_rendered_passes_nginx_t(tmp_path):
    if not os.path.exists(NGINX):
        pytest.fail("Debian's nginx is missing: bin/test installs it (apt-get install -y nginx)")
    raw = nginx_test(DEPLOY / "nginx.conf")
    assert raw.returncode == 0, raw.stderr
    conf = tmp_path / "three.conf"
    conf.write_text(render_nginx.render("127.0.0.1:18080", ["10.0.0.11:8501", "10.0.0.12:8501", "[fd00::13]:8501"]))
    rendered = nginx_test(conf)
    assert rendered.returncode == 0, rendered.stderr


def test_render_changes_only_the_listen_line_and_the_upstreams():
    template = (DEPLOY / "nginx.conf").read_text()
    out = render_nginx.render("127.0.0.1:9999", ["127.0.0.1:1111", "127.0.0.1:2222"])
    changed = [(a, b) for a, b in zip(template.splitlines(), out.splitlines(), strict=False) if a != b]
    assert [b.strip() for _, b in changed] == ["server 127.0.0.1:1111 max_fails=1 fail_timeout=10s;",
                                              "server 127.0.0.1:2222 max_fails=1 fail_timeout=10s;",
                                              "listen 127.0.0.1:9999;  # @listen"]
    assert len(out.splitlines()) == len(template.splitlines())
    # Three replicas: one more line; the rendered text renders again (the markers stay).
    three = render_nginx.render("8080", ["a:1", "b:2", "c:3"])
    assert three.count("max_fails=1 fail_timeout=10s;") == 3
    assert render_nginx.render("8080", ["a:1", "b:2", "c:3"], template=three) == three
    for bad_listen, bad_up in (("8080; evil", ["a:1"]), ("8080", ["a:1; include /etc/passwd"]), ("8080", []),
                               ("8080", ["a:1 backup"])):
        with pytest.raises(ValueError):
            render_nginx.render(bad_listen, bad_up)


def test_render_script_on_the_command_line():
    out = subprocess.run([sys.executable, str(DEPLOY / "render_nginx.py"), "--listen", "0.0.0.0:8080",
                          "--upstream", "10.0.0.11:8501", "--upstream", "10.0.0.12:8501"],
                         capture_output=True, text=True, check=True).stdout
    assert "listen 0.0.0.0:8080;" in out and "server 10.0.0.12:8501" in out
    bad = subprocess.run([sys.executable, str(DEPLOY / "render_nginx.py"), "--upstream", "x;y"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "not an address" in bad.stderr


def test_the_csp_allows_exactly_the_inline_scripts_of_the_installed_streamlit_and_the_app():
    """The CSP allows Streamlit's inline script and the app's page-language scripts by hash: a Streamlit upgrade
    that changes its script, or a change to the app's, must update the hashes."""
    from dashboard.ui.lang import PAGE_LANGUAGE_SCRIPTS

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index, re.S)
    inline += list(PAGE_LANGUAGE_SCRIPTS.values())
    wanted = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in inline}
    csp = nginx_headers((DEPLOY / "nginx.conf").read_text())["Content-Security-Policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src ")).split()[1:]
    assert {s for s in script_src if s.startswith("'sha256-")} == wanted, (
        f"streamlit {streamlit.__version__}: put {sorted(wanted)} in script-src (deploy/nginx.conf and "
        "deploy/kubernetes.yaml)")


# ---- kubernetes.yaml ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def manifests() -> dict[str, dict]:
    docs = [d for d in yaml.safe_load_all((DEPLOY / "kubernetes.yaml").read_text()) if d]
    kinds = [d["kind"] for d in docs]
    assert len(set(kinds)) == len(kinds)
    for d in docs:
        assert d["apiVersion"] and d["metadata"]["name"]
    return {d["kind"]: d for d in docs}


def test_deployment_replicas_resources_security_and_probes(manifests):
    dep = manifests["Deployment"]
    spec = dep["spec"]
    assert spec["replicas"] == 3
    pod = spec["template"]["spec"]
    assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001  # the image's user (deploy/Dockerfile)
    (c,) = pod["containers"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= c["resources"][kind].keys()
    assert c["securityContext"]["allowPrivilegeEscalation"] is False
    assert c["securityContext"]["capabilities"]["drop"] == ["ALL"]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert ports == {"http": 8501}
    for probe in ("readinessProbe", "livenessProbe"):
        get = c[probe]["httpGet"]
        assert get["path"] == "/_stcore/health" and ports.get(get["port"], get["port"]) == 8501
    # A read-only root filesystem needs writable /tmp and home.
    mounts = {m["mountPath"] for m in c["volumeMounts"]}
    assert {"/tmp", "/home/app"} <= mounts  # noqa: S108


def test_replicas_share_one_database_from_a_secret_the_repository_does_not_hold(manifests):
    (c,) = manifests["Deployment"]["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in c["env"]}
    # The URL and the password come from the one Secret, each under its own key; neither is written in clear.
    refs = {name: env[name]["valueFrom"]["secretKeyRef"] for name in ("KURIL_DATABASE_URL", "PGPASSWORD")}
    assert {r["name"] for r in refs.values()} == {"kuril-database"}
    assert refs["KURIL_DATABASE_URL"]["key"] == "url" and refs["PGPASSWORD"]["key"] == "password"
    assert not any("value" in env[name] for name in refs)
    # No Secret ships with the manifests, so applying them cannot overwrite the real one with a placeholder.
    assert "Secret" not in manifests
    # The command the file gives for creating it puts no password in the URL (libpq reads PGPASSWORD).
    text = (DEPLOY / "kubernetes.yaml").read_text()
    urls = re.findall(r"postgresql\+psycopg://[^'\s]+", text)
    assert urls and all(make_url(u).password is None for u in urls)


def test_service_has_client_ip_affinity_and_ingress_has_cookie_affinity(manifests):
    svc, dep, ing = manifests["Service"], manifests["Deployment"], manifests["Ingress"]
    assert svc["spec"]["sessionAffinity"] == "ClientIP"
    assert svc["spec"]["selector"].items() <= dep["spec"]["template"]["metadata"]["labels"].items()
    assert svc["spec"]["ports"][0]["targetPort"] == "http"
    notes = ing["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert int(notes[prefix + "proxy-read-timeout"]) >= 3600 and int(notes[prefix + "proxy-send-timeout"]) >= 3600
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"]


def test_kubernetes_response_headers_match_nginx_conf(manifests):
    in_nginx = nginx_headers((DEPLOY / "nginx.conf").read_text())
    in_k8s = manifests["ConfigMap"]["data"]
    for name in SECURITY_HEADERS:
        assert in_k8s[name] == in_nginx[name], name


# ---- Dockerfile ---------------------------------------------------------------------------------------------

def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out, pending = [], ""
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        word, _, rest = full.partition(" ")
        out.append((word.upper(), rest.strip()))
    assert not pending, "a continuation line at the end"
    return out


def test_dockerfile_is_well_formed_and_says_what_it_must():
    steps = dockerfile()
    known = {"FROM", "ARG", "ENV", "RUN", "COPY", "WORKDIR", "USER", "EXPOSE", "HEALTHCHECK", "CMD", "LABEL"}
    assert {w for w, _ in steps} <= known, {w for w, _ in steps} - known
    assert steps[0][0] == "ARG" and steps[0][1] == "PYTHON_IMAGE=python:3.11-slim"
    froms = [a for w, a in steps if w == "FROM"]
    assert froms == ["${PYTHON_IMAGE} AS build", "${PYTHON_IMAGE}"]
    final = steps[max(i for i, (w, _) in enumerate(steps) if w == "FROM"):]
    users = [a for w, a in final if w == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert ("EXPOSE", "8501") in final
    # Exec-form JSON arrays must be valid JSON, or Docker silently runs them through a shell.
    (health,) = [a for w, a in final if w == "HEALTHCHECK"]
    options, cmd = health.split(" CMD ", 1)
    assert set(re.findall(r"--([a-z-]+)=", options)) <= {"interval", "timeout", "start-period", "retries"}
    health_cmd = json.loads(cmd)
    assert health_cmd[:2] == ["python", "-c"] and "http://127.0.0.1:8501/_stcore/health" in health_cmd[2]
    (cmd,) = [a for w, a in final if w == "CMD"]
    assert json.loads(cmd) == ["streamlit", "run", "dashboard/app.py", "--server.address=0.0.0.0",
                               "--server.port=8501"]
    # The pinned requirements are installed, then the project.
    runs = " ".join(a for w, a in steps if w == "RUN")
    assert "pip install -r /tmp/requirements.txt" in runs and "pip install --no-deps -e ." in runs
    assert all(re.fullmatch(r"[A-Za-z_]+=\S+(\s+[A-Za-z_]+=\S+)*", a) for w, a in steps if w == "ENV")


def dockerignore_excludes(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern that matches the path or one of its parent folders decides."""
    def regex(p: str) -> re.Pattern:
        out = ""
        for part in re.split(r"(\*\*/|\*\*|\*|\?)", p.strip("/")):
            out += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(part, re.escape(part))
        return re.compile(out)

    parts = path.split("/")
    candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    excluded = False
    for p in patterns:
        neg = p.startswith("!")
        if any(regex(p[1:] if neg else p).fullmatch(c) for c in candidates):
            excluded = not neg
    return excluded


def test_the_build_context_holds_what_the_dockerfile_copies_and_runs(tmp_path):
    """Copy what deploy/Dockerfile.dockerignore lets through and what the Dockerfile copies, then run the app's
    default page from that copy alone (AppTest, in a separate Python): the image would have every file it needs."""
    patterns = [ln.strip() for ln in (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
                if ln.strip() and not ln.startswith("#")]
    sources = []
    for w, a in dockerfile():
        if w == "COPY" and not a.startswith("--from"):
            sources += shlex.split(a)[:-1]
    assert sources, "no COPY from the build context"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", *sources], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    for src in sources:
        assert (ROOT / src).exists(), src
        assert any(f == src or f.startswith(src + "/") for f in files), f"{src} has no files"
    context = tmp_path / "app"
    for f in files:
        if not dockerignore_excludes(f, patterns):
            (context / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, context / f)
    for src in sources:
        assert (context / src).exists(), f"{src} is left out of the build context by Dockerfile.dockerignore"
    assert not (context / "tests").exists() and not (context / ".venv").exists()
    script = textwrap.dedent("""
        import dashboard, dashboard.model.loader as loader
        from streamlit.testing.v1 import AppTest
        assert dashboard.__file__.startswith(%r), dashboard.__file__
        assert str(loader.DEFAULT_DATA_DIR).startswith(%r), loader.DEFAULT_DATA_DIR
        at = AppTest.from_file("dashboard/app.py", default_timeout=60).run()
        assert not at.exception, at.exception
        assert at.get("plotly_chart"), "no chart"
        print("ok")
    """) % (str(context), str(context))
    env = {**os.environ, "PYTHONPATH": str(context), "HOME": str(tmp_path), "KURIL_DEBUG": "1"}
    env.pop("KURIL_DATA", None)
    run = subprocess.run([sys.executable, "-c", script], cwd=context, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and run.stdout.strip().endswith("ok"), run.stdout + run.stderr


def test_the_healthcheck_command_passes_on_a_live_app_and_fails_without_one():
    (health,) = [a for w, a in dockerfile() if w == "HEALTHCHECK"]
    code = json.loads(health.split(" CMD ", 1)[1])[2]
    with contextlib.ExitStack() as stack:
        replica = start_replica(stack)
        ok = subprocess.run([sys.executable, "-c", code.replace("127.0.0.1:8501", replica.address)],
                            capture_output=True, timeout=30)
        assert ok.returncode == 0, ok.stderr
    dead = subprocess.run([sys.executable, "-c", code.replace("8501", str(free_port()))],
                          capture_output=True, timeout=30)
    assert dead.returncode != 0

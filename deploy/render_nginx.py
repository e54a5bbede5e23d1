"""Write deploy/nginx.conf with other listen and replica addresses.

    python deploy/render_nginx.py --listen 0.0.0.0:8080 --upstream 10.0.0.11:8501 --upstream 10.0.0.12:8501 > out.conf

Only the line marked ``@listen`` and the lines between ``@upstreams begin`` and ``@upstreams end`` are replaced;
everything else in deploy/nginx.conf is kept as written. tests/infra uses :func:`render` with real ports.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

TEMPLATE = Path(__file__).resolve().with_name("nginx.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # Debian's, also where it is when /usr/sbin is not on PATH
_ADDRESS = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$|^\d{1,5}$|^unix:/[^\s;{}]+$")
_LISTEN = re.compile(r"^(?P<indent>[ \t]*)listen[ \t]+[^;\n]+;[ \t]*# @listen[ \t]*$", re.M)
_UPSTREAMS = re.compile(r"^(?P<indent>[ \t]*)# @upstreams begin\n.*?^[ \t]*# @upstreams end[ \t]*$", re.M | re.S)


def check_address(address: str) -> str:
    if not _ADDRESS.match(address):
        raise ValueError(f"not an address nginx can use here: {address!r} (host:port, port or unix:/path)")
    return address


def render(listen: str, upstreams: Sequence[str], template: str | None = None,
           server_params: str = "max_fails=1 fail_timeout=10s") -> str:
    """The configuration with ``listen`` (``host:port`` or ``port``) and one ``server`` line per upstream."""
    text = TEMPLATE.read_text() if template is None else template
    if not upstreams:
        raise ValueError("at least one upstream is needed (two or more for replicas)")
    if len(_LISTEN.findall(text)) != 1 or len(_UPSTREAMS.findall(text)) != 1:
        raise ValueError("the template must have exactly one '# @listen' line and one '# @upstreams' block")
    check_address(listen)
    text = _LISTEN.sub(lambda m: f"{m['indent']}listen {listen};  # @listen", text)

    def block(m: re.Match) -> str:
        pad = m["indent"]
        lines = [f"{pad}# @upstreams begin"]
        lines += [f"{pad}server {check_address(u)} {server_params};" for u in upstreams]
        lines.append(f"{pad}# @upstreams end")
        return "\n".join(lines)

    return _UPSTREAMS.sub(block, text)


def nginx_command(prefix: Path, listen: str, upstreams: Sequence[str]) -> list[str]:
    """Make ``prefix`` ready for nginx (its logs/ and temp/, and nginx.conf rendered for ``listen`` and
    ``upstreams``) and return the command that runs nginx there in the foreground: bin/serve and tests/infra."""
    prefix.chmod(0o755)  # when the master runs as root, its workers (nobody) must reach temp/
    (prefix / "logs").mkdir(exist_ok=True)
    (prefix / "temp").mkdir(exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(listen, upstreams))
    directives = "daemon off;"
    if os.geteuid() == 0:
        directives += " user nobody nogroup;"  # workers drop root; as another user nginx ignores "user"
    return [NGINX, "-c", str(conf), "-p", f"{prefix}/", "-g", directives]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", default="8080", help="address nginx listens on: port or host:port (default 8080)")
    ap.add_argument("--upstream", action="append", required=True, metavar="HOST:PORT",
                    help="a replica's address; repeat for each replica")
    ap.add_argument("--template", type=Path, default=TEMPLATE, help="default: deploy/nginx.conf")
    args = ap.parse_args(argv)
    try:
        sys.stdout.write(render(args.listen, args.upstream, args.template.read_text()))
    except ValueError as e:
        ap.error(str(e))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

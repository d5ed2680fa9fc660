"""Copy the page's vendor assets from node_modules into sitroom/web/static/vendor/.

Run `npm ci` first (package.json and package-lock.json pin the versions), then `python -m sitroom.web.build`
(or `npm run build`). Nothing is fetched here: the files come from node_modules, installed from the npm
registry; at run time the page loads them from this server, never from a CDN.
"""

from __future__ import annotations

import argparse
import logging
import shutil
from pathlib import Path

from sitroom.errors import ConfigError
from sitroom.web import VENDOR_DIR, VENDOR_FILES

log = logging.getLogger(__name__)


def find_node_modules(start: Path | None = None) -> Path | None:
    """node_modules in the working directory or beside the source checkout (the repository root)."""
    candidates = [Path.cwd() / "node_modules"] if start is None else [start / "node_modules"]
    candidates.append(Path(__file__).resolve().parents[3] / "node_modules")
    return next((c for c in candidates if c.is_dir()), None)


def build(node_modules: Path | None = None, dest: Path = VENDOR_DIR) -> list[Path]:
    """Copy each vendor file; returns the files written. Raises ConfigError naming what is missing."""
    modules = node_modules or find_node_modules()
    if modules is None:
        raise ConfigError("node_modules not found: run `npm ci` in the repository root first")
    missing = [src for src in VENDOR_FILES.values() if not (modules / src).is_file()]
    if missing:
        raise ConfigError(f"{modules} lacks {', '.join(missing)}: run `npm ci` to install package-lock.json")
    written = []
    for name, src in VENDOR_FILES.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(modules / src, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, help="where npm installed the packages")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        written = build(args.node_modules)
    except ConfigError as exc:
        log.error("%s", exc)
        return 1
    log.info("copied %d vendor files into %s", len(written), VENDOR_DIR)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Build the static site into build/site/: compile and fingerprint assets, freeze every page, check every link.
Then package each function for Lambda as build/functions/<name>.zip (portal/lambda_packages.py).

Usage: python build.py [--lock | --site-only]
  --lock       first rewrite infra/lambda-lock.txt, the sha256 of every wheel the functions ship, for the versions
               in .venv (make lock pins those in constraints.txt, then runs this).
  --site-only  build the site and stop: make run serves the functions from their code, not from Lambda packages.
"""

import sys
import time
import zipfile
from pathlib import Path

from functions.storage import StorageError
from portal import config, create_app
from portal.assets import AssetsMissing, build_assets
from portal.config import PROJECT_ROOT
from portal.content import ContentError
from portal.delivered import DELIVERED
from portal.freeze import BrokenLinks, check_links, freeze
from portal.charter.pages import REGISTER
from portal import lambda_bytecode
from portal.lambda_packages import LOCK, PackagingError, lambda_runtime, lock_all, package_all

SITE = PROJECT_ROOT / "build" / "site"
FUNCTIONS = PROJECT_ROOT / "build" / "functions"
FUNCTION_PAGES = ("/council/", "/supplier/")  # pages the static site links to that a function serves (sign-in pages)


def build(
    content_dir: Path | None = None, destination: Path = SITE, assets_dir: Path | None = None, storage: str | None = None
) -> list[str]:
    """Build the site; raise ContentError or BrokenLinks on a mistake. Returns the URLs written.

    The Charter's register and "Social value delivered" are read from `storage` (PORTAL_STORAGE by default),
    read-only (DESIGN.md decision 15)."""
    settings = config.from_environment()
    content_dir = content_dir or settings["PORTAL_CONTENT"]
    assets_dir = assets_dir or settings["PORTAL_ASSETS"]
    app = create_app(
        {"PORTAL_CONTENT": content_dir, "PORTAL_ASSETS": assets_dir, "PORTAL_STORAGE": storage or settings["PORTAL_STORAGE"]}
    )  # loads and checks the content
    app.extensions[REGISTER] = published_register(app)
    app.extensions[DELIVERED] = delivered_report(app)
    build_assets(app.extensions["portal.content"].site.brand_colour, assets_dir)
    urls = freeze(app, destination)
    check_links(destination, app.config["PORTAL_BASE_URL"], served_by_functions=FUNCTION_PAGES)
    return urls


def delivered_report(app):
    """The public report from the published contracts' kept summaries; nothing is written."""
    from functions.contracts.monitoring import public_report_from
    from functions.storage import app_store
    from portal.clock import uk_today

    with app.app_context():
        return public_report_from(app_store(app), app.extensions["portal.content"], uk_today())


def published_register(app) -> list:
    """The Charter's public register as it stands today, from the app's store; nothing is written."""
    from functions.charter.signatories import Signatories
    from functions.storage import app_store
    from portal.clock import now, uk_today

    with app.app_context():
        return Signatories(app_store(app), now).register(uk_today(), app.extensions["portal.content"].charter)


def main(arguments: list[str]) -> int:
    if arguments not in ([], ["--lock"], ["--site-only"]):
        print(__doc__.split("Usage: ")[1], file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        urls = build()
    except (ContentError, BrokenLinks, AssetsMissing) as error:
        print(error, file=sys.stderr)
        return 1
    except StorageError as error:  # the Charter's register is read from storage
        print(f"Could not read the Charter's register from storage: {error}", file=sys.stderr)
        return 1
    print(f"Built {len(urls)} files into {SITE.relative_to(PROJECT_ROOT)}/ in {time.perf_counter() - started:.1f} s")
    if arguments == ["--site-only"]:
        return 0
    started = time.perf_counter()
    try:
        if arguments == ["--lock"]:
            wheels = lock_all(FUNCTIONS)
            print(f"Locked {wheels} wheels in {LOCK.relative_to(PROJECT_ROOT)} in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
        packages = package_all(FUNCTIONS)  # after the site: the packages carry the built assets' manifest
    except PackagingError as error:
        print(error, file=sys.stderr)
        return 1
    for package in packages:
        with zipfile.ZipFile(package) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        print(
            f"Packaged {package.relative_to(PROJECT_ROOT)}: {package.stat().st_size / 1e6:.1f} MB "
            f"({unpacked / 1e6:.1f} MB unzipped)"
        )
    print(lambda_bytecode.report(lambda_runtime().python))
    print(f"Packaged the functions in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

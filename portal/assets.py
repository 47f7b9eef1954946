"""Front-end assets: compiled from portal/assets/ with Sass, fingerprinted for caching, looked up by name."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from .config import PROJECT_ROOT

SOURCE = Path(__file__).parent / "assets"
SASS = PROJECT_ROOT / "node_modules" / ".bin" / "sass"
MANIFEST = "manifest.json"


class AssetsMissing(RuntimeError):
    """The app was started before the assets were built."""


def _fingerprinted(path: Path) -> Path:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return path.with_name(f"{path.stem}.{digest}{path.suffix}")


def _stylesheet_inputs_digest(brand_colour: str) -> str:
    """Everything the compiled CSS depends on: our Sass, the brand colour, and the installed npm packages."""
    digest = hashlib.sha256(brand_colour.encode())
    for path in sorted((SOURCE / "scss").rglob("*.scss")) + [PROJECT_ROOT / "package-lock.json"]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def compile_stylesheet(brand_colour: str, destination: Path) -> Path:
    """portal.scss, with the council's brand colour, compiled to one compressed CSS file.

    Sass takes most of a build's time, so the result is kept in build/.sass-cache under a digest of its inputs.
    """
    output = destination / "portal.css"
    cached = PROJECT_ROOT / "build" / ".sass-cache" / f"{_stylesheet_inputs_digest(brand_colour)}.css"
    if cached.is_file():
        shutil.copyfile(cached, output)
        return output
    entry = destination / "_entry.scss"
    entry.write_text(f'@use "portal" with ($council-brand: {brand_colour});\n')
    try:
        subprocess.run(
            [
                str(SASS),
                "--pkg-importer=node",
                "--style=compressed",
                "--no-source-map",
                f"--load-path={SOURCE / 'scss'}",
                str(entry),
                str(output),
            ],
            check=True,
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
        )
    except FileNotFoundError:
        raise AssetsMissing("Sass is not installed: run 'make install' first") from None
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"Sass could not compile the stylesheet:\n{error.stderr}") from None
    finally:
        entry.unlink(missing_ok=True)
    cached.parent.mkdir(parents=True, exist_ok=True)
    # Copied aside, then renamed into place, so that a build running at the same moment never copies half a file.
    draft = cached.with_name(f".{cached.name}.{os.getpid()}")
    shutil.copyfile(output, draft)
    os.replace(draft, cached)
    return output


def build_assets(brand_colour: str, destination: Path) -> dict:
    """Build every asset into `destination` under a content-hashed name; return and save the manifest."""
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    plain = [compile_stylesheet(brand_colour, destination)]
    for source in sorted((SOURCE / "js").glob("*.js")) + sorted((SOURCE / "images").glob("*")):
        plain.append(Path(shutil.copy(source, destination / source.name)))
    manifest = {}
    for path in plain:
        final = _fingerprinted(path)
        path.rename(final)
        manifest[path.name] = final.name
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def read_manifest(directory: Path) -> dict:
    try:
        return json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        raise AssetsMissing(f"No built assets in {directory}: run 'python build.py' (or 'make run') first") from None

"""Every template compiled to a Python module when a Lambda package is built, so that a cold function loads the
GOV.UK and portal templates from bytecode instead of parsing and compiling each Jinja source on its first page
(docs/performance.md, "Cold start").

Jinja's compiled code depends on some of the environment's settings: the council's function, for one, adds a
`finalize` (functions/council/bidi.py) that every other function goes without. So the build compiles the templates
once for each set of settings a function may have, in a folder named for them, and a function loads from the folder
named for its own settings when it shows its first page, and from source if there is none. Locally there is no such
folder, so templates are read from source and an edit shows at once.
"""

import hashlib
import os
import shutil
from pathlib import Path

from jinja2 import BaseLoader, Environment, ModuleLoader, TemplateNotFound

NAME = "compiled_templates"  # a folder at the root of a package, beside portal/ and content/


def use_compiled(environment: Environment, root: Path) -> None:
    """Load templates from the modules under `root`/NAME where the package has them for this environment."""
    folder = Path(root) / NAME
    if folder.is_dir():
        environment.loader = _Compiled(folder, environment.loader)


class _Compiled(BaseLoader):
    """Compiled modules for the environment's settings when it loads a template (they may change after the app is
    made); anything else from the loader it wraps."""

    def __init__(self, folder: Path, source: BaseLoader):
        self.folder, self.source, self.modules = folder, source, {}

    def load(self, environment, name, globals=None):
        settings = _settings(environment)
        if settings not in self.modules:
            found = self.folder / settings
            self.modules[settings] = ModuleLoader(str(found)) if found.is_dir() else None
        if self.modules[settings] is not None:
            try:
                return self.modules[settings].load(environment, name, globals)
            except TemplateNotFound:
                pass
        return self.source.load(environment, name, globals)

    def get_source(self, environment, template):
        return self.source.get_source(environment, template)

    def list_templates(self):
        return self.source.list_templates()


def compiled(environment: Environment, cache: Path) -> Path:
    """A folder of `environment`'s templates compiled to modules, with and without its finalize, kept in `cache` by a
    digest of what decides them: <folder>/<settings>/tmpl_<sha1 of the name>.py."""
    variants = {_settings(e): e for e in (environment, environment.overlay(finalize=None))}
    folder = Path(cache) / _digest(environment, sorted(variants))[:32]
    if not folder.is_dir():
        partial = folder.with_name(f"{folder.name}.{os.getpid()}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        for settings, variant in variants.items():
            # Not ignore_errors: a template that cannot compile stops the build, not a supplier's page.
            variant.compile_templates(str(partial / settings), zip=None, ignore_errors=False, log_function=None)
        try:
            partial.replace(folder)
        except OSError:  # another build put the same modules there first
            shutil.rmtree(partial)
    return folder


def _settings(environment: Environment) -> str:
    """The settings Jinja compiles into a template's code, as a short name."""
    import jinja2

    kept = (
        jinja2.__version__,
        environment.finalize is not None,
        *(
            getattr(environment, setting)
            for setting in (
                "block_start_string block_end_string variable_start_string variable_end_string comment_start_string "
                "comment_end_string line_statement_prefix line_comment_prefix trim_blocks lstrip_blocks "
                "newline_sequence keep_trailing_newline optimized is_async"
            ).split()
        ),
        sorted(environment.extensions),
        getattr(environment.autoescape, "__qualname__", environment.autoescape),
    )
    return hashlib.sha256(repr(kept).encode()).hexdigest()[:16]


def _digest(environment: Environment, settings: list[str]) -> str:
    """Changes with any template's name or source and with the settings compiled."""
    digest = hashlib.sha256(repr(settings).encode())
    for name in sorted(environment.list_templates()):
        source, _, _ = environment.loader.get_source(environment, name)
        digest.update(name.encode() + b"\0" + hashlib.sha256(source.encode()).digest())
    return digest.hexdigest()

"""Load everything in content/ into one validated Content object, or fail naming each file and problem."""

import dataclasses
from pathlib import Path

from marshmallow import Schema, ValidationError

from . import model, schemas
from ..reading.errors import ContentError, Problem, flatten_messages
from ..reading.markdown import Markdown
from ..reading.source import Source, read_markdown, read_yaml


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []
        self.loaded: list[tuple[Source, object]] = []  # what each file gave, to render its Markdown (render_all)

    def name(self, path: Path) -> str:
        return str(Path(self.root.name) / path.relative_to(self.root))

    def read(self, path: Path, reader) -> Source | None:
        if not path.is_file():
            self.problems.append(Problem(self.name(path), "this file is missing"))
            return None
        try:
            return reader(path, self.name(path))
        except ContentError as error:
            self.problems.extend(error.problems)
            return None

    def validate(self, source: Source | None, schema: Schema):
        if source is None:
            return None
        if not isinstance(source.data, dict):
            self.problems.append(source.problem("the file must hold named fields ('name: value' lines)"))
            return None
        try:
            loaded = schema.load(source.data)
            self.loaded.append((source, loaded))
            return loaded
        except ValidationError as error:
            self.problems.extend(source.problem(message, path) for path, message in flatten_messages(error.messages))
            return None

    def load_yaml(self, relative: str, schema: Schema):
        return self.validate(self.read(self.root / relative, read_yaml), schema)

    def load_measures(self, framework: model.Framework | None) -> list[model.Measure]:
        measures, seen = [], {}
        for path in sorted((self.root / "measures").glob("*.yaml")):
            source = self.read(path, read_yaml)
            measure = self.validate(source, schemas.MeasureSchema())
            if measure is None:
                continue
            if measure.code in seen:
                self.problems.append(
                    source.problem(
                        f"{measure.code} is also the code in {seen[measure.code]}; each measure needs its own", ("code",)
                    )
                )
            seen.setdefault(measure.code, source.name)
            if path.stem != measure.slug:
                self.problems.append(source.problem(f"name the file {measure.slug}.yaml to match its code", ("code",)))
            if framework is not None:
                self.check_references(source, measure, framework)
            measures.append(measure)
        if not measures and not self.problems:
            self.problems.append(Problem(self.name(self.root / "measures"), "there are no measures: add at least one .yaml file"))
        return measures

    def check_references(self, source: Source, measure: model.Measure, framework: model.Framework):
        priority = next((p for p in framework.priorities if p.id == measure.priority), None)
        if priority is None:
            known = ", ".join(p.id for p in framework.priorities)
            self.problems.append(
                source.problem(f"'{measure.priority}' is not a priority in framework.yaml; use one of: {known}", ("priority",))
            )
        elif measure.outcome not in {o.id for o in priority.outcomes}:
            known = ", ".join(o.id for o in priority.outcomes)
            self.problems.append(
                source.problem(f"'{measure.outcome}' is not an outcome of '{priority.id}'; use one of: {known}", ("outcome",))
            )

    def check_money_proxies(self, source: Source, settings: model.ContractSettings, measures: list[model.Measure]):
        """A proxy names a measure that exists, and one not already counted in pounds (decision 16)."""
        units = {m.code: m.unit for m in measures}
        for index, code in enumerate(settings.money_proxies):
            where = ("money_proxies", index, "measure")
            if code not in units:
                self.problems.append(source.problem(f"there is no measure {code} in content/measures/", where))
            elif units[code].startswith("£"):
                self.problems.append(source.problem(f"{code} is already counted in pounds; remove its money proxy", where))

    def check_framework_ids(self, framework: model.Framework):
        source_name = self.name(self.root / "framework.yaml")
        for kind, ids in (
            ("priority", [p.id for p in framework.priorities]),
            ("outcome", [o.id for p in framework.priorities for o in p.outcomes]),
        ):
            for repeated in sorted({i for i in ids if ids.count(i) > 1}):
                self.problems.append(
                    Problem(source_name, f"the {kind} id '{repeated}' is used more than once; each needs its own")
                )

    def load_assessments(self) -> dict:
        from ..questionnaire.schema import AssessmentSchema, assessment_problems

        assessments = {}
        for path in sorted((self.root / "assessments").glob("*.yaml")):
            source = self.read(path, read_yaml)
            assessment = self.validate(source, AssessmentSchema())
            if assessment is None:
                continue
            if path.stem != assessment.id:
                self.problems.append(source.problem(f"name the file {assessment.id}.yaml to match its id", ("id",)))
            self.problems.extend(source.problem(message, where) for where, message in assessment_problems(assessment))
            assessments[assessment.id] = assessment
        return assessments

    def load_pages(self) -> list[model.Page]:
        pages = []
        for path in sorted((self.root / "pages").glob("*.md")):
            source = self.read(path, read_markdown)
            front = self.validate(source, schemas.PageFrontMatterSchema())
            if front is None:
                continue
            if not schemas.SLUG.regex.match(path.stem):
                self.problems.append(
                    source.problem("name the file with lowercase letters, numbers and hyphens only, like 'getting-help.md'")
                )
            if path.stem in schemas.RESERVED_SLUGS:
                self.problems.append(
                    source.problem(f"'{path.stem}' is the address of a page the portal makes itself; rename the file")
                )
            pages.append(model.Page(slug=path.stem, body=Markdown(source.body), **front))
            self.loaded.append((source, pages[-1].body))
        if not any(p.section == "home" for p in pages):
            self.problems.append(Problem(self.name(self.root / "pages"), "no page has 'section: home'; the home page needs one"))
        return pages

    def load_events(self) -> list:
        """content/events/<slug>.md, each with its published answers from content/events/<slug>/qa.yaml."""
        from ..events.model import Event
        from ..events.schema import EventFrontMatterSchema, QuestionsAndAnswersSchema

        folder = self.root / "events"
        events = []
        for path in sorted(folder.glob("*.md")):
            source = self.read(path, read_markdown)
            front = self.validate(source, EventFrontMatterSchema())
            if front is None:
                continue
            if not schemas.SLUG.regex.match(path.stem):
                self.problems.append(
                    source.problem(
                        "name the file with lowercase letters, numbers and hyphens only, like 'home-care-supplier-day.md'"
                    )
                )
            if not source.body.strip():
                closing_line = len(path.read_text(encoding="utf-8").splitlines()) - len(source.body.splitlines())
                self.problems.append(Problem(source.name, "add the agenda in Markdown below this closing '---'", closing_line))
            answers = []
            qa_path = folder / path.stem / "qa.yaml"
            if qa_path.exists():
                loaded = self.load_yaml(str(qa_path.relative_to(self.root)), QuestionsAndAnswersSchema())
                answers = loaded["questions"] if loaded else []
            events.append(Event(slug=path.stem, agenda=Markdown(source.body), questions_and_answers=answers, **front))
            self.loaded.append((source, events[-1].agenda))
        for extra in sorted(p for p in folder.glob("*") if p.is_dir() and not (folder / f"{p.name}.md").exists()):
            self.problems.append(
                Problem(
                    self.name(extra),
                    f"there is no event called '{extra.name}': add {extra.name}.md, or rename the folder to match an event",
                )
            )
        return sorted(events, key=lambda e: e.starts)

    def render_all(self):
        """Render every Markdown text now, naming the file of any that cannot be."""
        for source, loaded in self.loaded:
            for text in _markdown_in(loaded):
                try:
                    text.html
                except Exception as error:  # the Markdown library's own failure: say where, not a traceback
                    self.problems.append(source.problem(f"this Markdown cannot be shown ({type(error).__name__}: {error})"))


def _markdown_in(value):
    """Every Markdown text inside a loaded value: dataclasses, lists and dicts of them."""
    if isinstance(value, Markdown):
        yield value
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _markdown_in(getattr(value, field.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _markdown_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _markdown_in(item)


def load_content(root: Path, render_all: bool = True) -> model.Content:
    """Read and check every file under `root`; raise ContentError listing all problems found.

    render_all False leaves each Markdown text to be rendered when first shown: a Lambda function shows few."""
    root = Path(root)
    loader = _Loader(root)
    site = loader.load_yaml("site.yaml", schemas.SiteSchema())
    framework = loader.load_yaml("framework.yaml", schemas.FrameworkSchema())
    if framework is not None:
        loader.check_framework_ids(framework)
    measures = loader.load_measures(framework)
    charter = loader.load_yaml("charter.yaml", schemas.CharterSchema())
    pages = loader.load_pages()
    assessments = loader.load_assessments()
    events = loader.load_events()
    contracts_source = loader.read(root / "contracts.yaml", read_yaml)
    contracts = loader.validate(contracts_source, schemas.ContractSettingsSchema())
    if contracts is not None:
        loader.check_money_proxies(contracts_source, contracts, measures)
    if render_all:
        loader.render_all()
    if loader.problems:
        raise ContentError(loader.problems)
    return model.Content(
        site=site,
        framework=framework,
        measures=measures,
        charter=charter,
        pages=pages,
        assessments=assessments,
        events=events,
        contracts=contracts,
    )

"""A questionnaire as declared in content/assessments/<id>.yaml: sections, questions, options, levels."""

from dataclasses import dataclass, field
from functools import cached_property

from markupsafe import Markup

from ..evidence.filetypes import BYTES_PER_MB
from .answer_types import AnswerType, answer_type


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None = None
    points: int = 0
    advice: Markup | None = None
    exclusive: bool = False  # "None of these": picked on its own, after an "or", in a choices question


@dataclass(frozen=True)
class ShowIf:
    """Ask a question only when an earlier answer in its section is one of `values`."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    why: str
    hint: str | None = None
    optional: bool = False
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    max_length: int | None = None
    show_if: ShowIf | None = None
    error_if_empty: str | None = None  # what to do, as GOV.UK error messages say it: "Enter your organisation's name"
    autocomplete: str | None = None  # the HTML autocomplete token, so browsers can fill it in (WCAG 1.3.5)
    thousands_separator: bool = True  # false for a whole number that is a year or a code: 2045, not 2,045

    @property
    def kind(self) -> AnswerType:
        """What its `type:` means: how its answers are read, shown, stored and exported."""
        return answer_type(self.type)

    @property
    def length_limit(self) -> int | None:
        return self.max_length or self.kind.default_max_length

    def option(self, value) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def chosen(self, answer) -> list[Option]:
        """The options an answer picks (none for a question without options)."""
        values = answer if isinstance(answer, list) else [answer]
        return [o for o in self.options if o.value in values]

    @property
    def max_points(self) -> int:
        return self.kind.max_points(self)


@dataclass(frozen=True)
class EvidenceSlot:
    """Files a supplier may send to back up an answer: what to send, which kinds, how large and how many."""

    id: str
    question: str
    label: str
    hint: str | None = None
    when: tuple[str, ...] = ()  # the answers that ask for it; empty: any answer
    types: tuple[str, ...] = ()
    max_size_mb: int = 25
    max_files: int = 10
    ask_valid_until: bool = False

    @property
    def max_bytes(self) -> int:
        return self.max_size_mb * BYTES_PER_MB

    def applies(self, answer) -> bool:
        """Whether an answer to its question asks for this evidence."""
        if answer is None:
            return False
        if not self.when:
            return True
        chosen = answer if isinstance(answer, list) else [answer]
        return any(value in self.when for value in chosen)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    summary: str | None = None
    scored: bool = False
    guidance: str | None = None
    requires_completed: tuple[str, ...] = ()
    evidence: tuple[EvidenceSlot, ...] = ()

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    min_percent: int
    description: str


@dataclass(frozen=True)
class Assessment:
    id: str
    version: int
    title: str
    summary: str
    time_to_complete: str
    before_you_start: Markup
    how_we_use_your_answers: Markup
    drafts_expire_after_days: int
    levels: tuple[Level, ...]
    sections: tuple[Section, ...]
    source: str = field(default="", compare=False)

    @cached_property
    def _questions(self) -> dict:
        return {q.id: (s, q) for s in self.sections for q in s.questions}

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def question(self, question_id: str) -> Question | None:
        found = self._questions.get(question_id)
        return found[1] if found else None

    def section_of(self, question_id: str) -> Section | None:
        found = self._questions.get(question_id)
        return found[0] if found else None

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @property
    def evidence_slots(self) -> list[EvidenceSlot]:
        return [slot for s in self.sections for slot in s.evidence]

    def evidence_slot(self, slot_id: str) -> EvidenceSlot | None:
        return next((slot for slot in self.evidence_slots if slot.id == slot_id), None)

    @property
    def scored_sections(self) -> list[Section]:
        return [s for s in self.sections if s.scored]

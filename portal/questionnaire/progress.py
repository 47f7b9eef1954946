"""Where a supplier is in a questionnaire, and how ready its answers say it is: plain functions of the answers."""

from dataclasses import dataclass, replace

from markupsafe import Markup

from .model import Assessment, EvidenceSlot, Level, Question, Section

NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = "Not yet started", "In progress", "Completed", "Cannot start yet"


def is_shown(question: Question, answers: dict) -> bool:
    """Whether a question applies, given the answers so far (branching from show_if)."""
    if question.show_if is None:
        return True
    answer = answers.get(question.show_if.question)
    chosen = answer if isinstance(answer, list) else [answer]
    return any(value in question.show_if.values for value in chosen)


def shown_questions(section: Section, answers: dict) -> list[Question]:
    """The section's questions that apply; a question hidden by an earlier answer hides those that hang on it."""
    shown, visible_ids = [], set()
    for question in section.questions:
        depends = question.show_if.question if question.show_if else None
        if (depends is None or depends in visible_ids) and is_shown(question, answers):
            shown.append(question)
            visible_ids.add(question.id)
    return shown


def shown_answers(assessment: Assessment, answers: dict) -> dict:
    """Only the answers to questions that the answers show: what is sent. A draft keeps the rest, so that
    changing an answer back restores the answers it had hidden."""
    return {q.id: answers[q.id] for s in assessment.sections for q in shown_questions(s, answers) if q.id in answers}


def section_evidence(section: Section, answers: dict) -> list[EvidenceSlot]:
    """The evidence slots in a section that the answers ask for: their question applies and its answer is one they name."""
    shown = {q.id for q in shown_questions(section, answers)}
    return [slot for slot in section.evidence if slot.question in shown and slot.applies(answers.get(slot.question))]


def applicable_evidence(assessment: Assessment, answers: dict) -> list[EvidenceSlot]:
    return [slot for section in assessment.sections for slot in section_evidence(section, answers)]


def unanswered(section: Section, answers: dict) -> list[Question]:
    """Questions that apply, are not optional, and have no answer yet."""
    return [q for q in shown_questions(section, answers) if not q.optional and answers.get(q.id) in (None, "", [])]


def next_question(section: Section, answers: dict, after: str | None = None) -> Question | None:
    """The question to ask after `after` (or the first), skipping those that no longer apply."""
    shown = shown_questions(section, answers)
    ids = [q.id for q in shown]
    start = ids.index(after) + 1 if after in ids else 0
    return shown[start] if start < len(shown) else None


def section_status(assessment: Assessment, section: Section, answers: dict, completed: set) -> str:
    if any(required not in completed for required in section.requires_completed):
        return CANNOT_START
    if section.id in completed and not unanswered(section, answers):
        return COMPLETED
    if any(q.id in answers for q in section.questions):
        return IN_PROGRESS
    return NOT_STARTED


def checklist_of(section: Section) -> Section:
    """A theme's quick checklist: every question with answers to pick, on one page.

    With no JavaScript to branch, a question that hangs on another is shown to all, made optional, and told
    when it applies; scoring still ignores it unless the answer it hangs on was given.
    """
    kept = []
    for question in section.questions:
        if not question.options:
            continue
        if question.show_if:
            target = section.question(question.show_if.question)
            if target not in kept:
                continue
            when = " or ".join(f"‘{target.option(v).label}’" for v in question.show_if.values)
            applies = f"Answer this if you answered {when} to ‘{target.label}’"
            question = replace(question, optional=True, hint=f"{question.hint} {applies}" if question.hint else applies)
        kept.append(question)
    return replace(section, questions=tuple(kept))


def ready_to_submit(assessment: Assessment, answers: dict, completed: set) -> bool:
    return all(section_status(assessment, s, answers, completed) == COMPLETED for s in assessment.sections)


@dataclass(frozen=True)
class Readiness:
    """How ready one theme is: a percentage of the points available, its level, and what to do next."""

    section: Section
    percent: int
    level: Level
    next_steps: tuple[Markup, ...]


def readiness_level(assessment: Assessment, percent: float) -> Level:
    return next(level for level in assessment.levels if percent >= level.min_percent)


def readiness(assessment: Assessment, section: Section, answers: dict) -> Readiness:
    shown = shown_questions(section, answers)
    available = sum(q.max_points for q in shown)
    scored = sum(o.points for q in shown for o in q.chosen(answers.get(q.id)))
    percent = round(100 * scored / available) if available else 0
    advice = tuple(o.advice for q in shown for o in q.chosen(answers.get(q.id)) if o.advice)
    return Readiness(section, percent, readiness_level(assessment, percent), advice)


def readiness_by_theme(assessment: Assessment, answers: dict) -> list[Readiness]:
    return [readiness(assessment, section, answers) for section in assessment.scored_sections]

"""The questionnaire core, without Flask: answers, branching, progress, readiness, and the YAML's own checks."""

import pytest

from portal.content import ContentError, load_content
from portal.questionnaire import progress
from portal.questionnaire.answers import AnswerInvalid, display_answer, parse_answer
from portal.questionnaire.model import Option, Question

from .conftest import CONTENT


def question(type_, **kwargs):
    return Question(id="q", type=type_, label="Question?", why="Because.", **kwargs)


@pytest.mark.parametrize(
    "type_, raw, expected",
    [
        ("whole_number", " 1,250 ", 1250),
        ("quantity", "12.50", "12.50"),
        ("money", "£1,250.5", "1250.5"),
        ("date", ["7", "3", "2026"], "2026-03-07"),
        ("url", "https://www.example.co.uk/plan", "https://www.example.co.uk/plan"),
        ("email", "a.b@example.co.uk", "a.b@example.co.uk"),
        ("text", "  Acme  ", "Acme"),
    ],
)
def test_answers_are_stored_typed(type_, raw, expected):
    extra = {"unit": "tonnes CO2e"} if type_ == "quantity" else {}
    assert parse_answer(question(type_, **extra), raw) == expected


@pytest.mark.parametrize(
    "type_, raw, message",
    [
        ("whole_number", "12.5", "Enter a whole number, like 12"),
        ("whole_number", "", "Enter a number"),
        ("money", "12.555", "Enter an amount in pounds, like 1250 or 1250.50"),
        ("date", ["31", "2", "2026"], "Date must be a real date, like 27 3 2026"),
        ("date", ["", "2", "2026"], "Date must include a day"),
        ("url", "www.example", "Enter a web address in the correct format, like https://www.example.co.uk"),
        ("email", "nobody", "Enter an email address in the correct format, like name@example.com"),
        ("text", "x" * 201, "Answer must be 200 characters or fewer"),
        ("yes_no", "perhaps", "Select from the options given"),
        ("yes_no", None, "Select yes or no"),
    ],
)
def test_wrong_answers_get_govuk_style_messages(type_, raw, message):
    options = (Option("yes", "Yes"), Option("no", "No")) if type_ == "yes_no" else ()
    with pytest.raises(AnswerInvalid, match=f"^{message}$"):
        parse_answer(question(type_, options=options), raw)


def test_numbers_outside_the_range_name_it():
    with pytest.raises(AnswerInvalid, match="^Enter a number between 1990 and 2026$"):
        parse_answer(question("whole_number", min=1990, max=2026), "2050")


def test_optional_questions_may_be_left_blank():
    assert parse_answer(question("text", optional=True), "   ") is None


def test_answers_read_as_a_person_would_write_them():
    assert display_answer(question("money"), "1250.5") == "£1,250.50"
    assert display_answer(question("date"), "2026-03-07") == "7 March 2026"
    assert display_answer(question("quantity", unit="tonnes CO2e"), "12.5") == "12.5 tonnes CO2e"
    assert display_answer(question("text"), None) == "Not answered"


@pytest.fixture(scope="module")
def readiness_assessment():
    return load_content(CONTENT).assessment("readiness")


def test_a_branch_hides_questions_that_no_longer_apply(readiness_assessment):
    section = readiness_assessment.section("carbon-reduction-plan")
    branching = [q for q in section.questions if q.show_if]
    assert branching, "the carbon section should branch on whether there is a plan"
    target = section.question(branching[0].show_if.question)
    other = next(o.value for o in target.options if o.value not in branching[0].show_if.values)
    assert branching[0] not in progress.shown_questions(section, {target.id: other})
    assert branching[0] in progress.shown_questions(section, {target.id: branching[0].show_if.values[0]})


def test_best_answers_are_ready_and_no_answers_are_getting_started(readiness_assessment):
    for section in readiness_assessment.scored_sections:
        best = {}
        for q in section.questions:  # in order, so that branches open as the answers are given
            if q.options and q in progress.shown_questions(section, best):
                best[q.id] = (
                    [o.value for o in q.options if o.points > 0]
                    if q.type == "choices"
                    else max(q.options, key=lambda o: o.points).value
                )
        assert progress.readiness(readiness_assessment, section, best).level.id == readiness_assessment.levels[0].id, section.id
        assert progress.readiness(readiness_assessment, section, {}).level.id == readiness_assessment.levels[-1].id


def test_section_status_follows_the_task_list_pattern(readiness_assessment):
    organisation, declaration = readiness_assessment.section("organisation"), readiness_assessment.section("declaration")
    status = lambda section, answers, completed=(): progress.section_status(
        readiness_assessment, section, answers, set(completed)
    )
    assert status(organisation, {}) == "Not yet started"
    assert status(organisation, {"organisation_name": "Acme"}) == "In progress"
    assert status(organisation, {"organisation_name": "Acme"}, ["organisation"]) == "In progress"  # answers still missing
    assert status(declaration, {}) == "Cannot start yet"


def yaml_problem(content_copy, edit) -> str:
    path = content_copy / "assessments" / "readiness.yaml"
    path.write_text(edit(path.read_text()))
    with pytest.raises(ContentError) as raised:
        load_content(content_copy)
    return str(raised.value)


def test_a_branch_on_a_later_question_is_refused(content_copy):
    message = yaml_problem(content_copy, lambda text: text.replace("question: has_crp", "question: no_such_question", 1))
    assert "content/assessments/readiness.yaml, line " in message
    assert "'no_such_question' is not an earlier question in this section" in message


def test_a_quantity_without_a_unit_is_refused(content_copy):
    def edit(text):
        lines = text.splitlines()
        unit = next(i for i, line in enumerate(lines) if line.strip().startswith("unit:"))
        return "\n".join(lines[:unit] + lines[unit + 1 :])

    message = yaml_problem(content_copy, edit)
    assert "content/assessments/readiness.yaml, line " in message
    assert "a quantity question needs a unit" in message


def test_a_choice_without_options_is_refused(content_copy):
    message = yaml_problem(content_copy, lambda text: text.replace("type: email", "type: choice", 1))
    assert "a choice question needs options" in message


def test_a_repeated_question_id_names_both_sections(content_copy):
    message = yaml_problem(content_copy, lambda text: text.replace("id: contact_email", "id: organisation_name", 1))
    assert "the question id 'organisation_name' is also used in section 'organisation'" in message


def test_an_unknown_question_type_lists_the_known_ones(content_copy):
    message = yaml_problem(content_copy, lambda text: text.replace("type: email", "type: phone", 1))
    assert "'sections.0.questions." in message and "use one of: yes_no, choice, choices" in message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("        question: wellbeing_support\n", "        question: has_crp\n", "'has_crp' is not a question in this section"),
        (
            "        when: [iso-14001]\n",
            "        when: [iso-9001]\n",
            "'iso-9001' is not an answer to 'crp_environmental_measures'",
        ),
        (
            "        types: [pdf, docx, odt]\n",
            "        types: [pdf, exe]\n",
            "use one of: pdf, docx, xlsx, odt, ods, csv, png, jpeg",
        ),
        (
            "      - id: edi-policy\n",
            "      - id: wellbeing-policy\n",
            "the evidence id 'wellbeing-policy' is used more than once",
        ),
        ("        max_files: 3\n", "        max_files: 0\n", "max_files"),
    ],
)
def test_evidence_slot_mistakes_name_the_file_line_and_problem(content_copy, old, new, expected):
    message = yaml_problem(content_copy, lambda text: text.replace(old, new, 1))
    assert "content/assessments/readiness.yaml, line " in message
    assert expected in message


def test_an_optional_question_with_an_error_for_leaving_it_empty_is_refused(content_copy):
    message = yaml_problem(
        content_copy,
        lambda text: text.replace(
            "        optional: true\n", "        optional: true\n        error_if_empty: Enter something\n", 1
        ),
    )
    assert "content/assessments/readiness.yaml, line " in message
    assert "an optional question can be left empty, so it has no error_if_empty" in message


def test_none_of_these_cannot_be_picked_with_other_options(readiness_assessment):
    question = readiness_assessment.question("wellbeing_support")
    none = next(o for o in question.options if o.exclusive)
    assert none.value == "none" and question.options[-1] is none
    with pytest.raises(AnswerInvalid, match="^Select the options that apply, or select ‘None of these’ on its own$"):
        parse_answer(question, [question.options[0].value, "none"])
    assert parse_answer(question, ["none"]) == ["none"]


def test_an_exclusive_option_follows_an_or_divider_on_the_page(app):
    from portal.questionnaire.forms import form_class, render_params

    question = app.extensions["portal.content"].assessment("readiness").question("wellbeing_support")
    with app.test_request_context():
        form = form_class((question,))(meta={"csrf": False})
        html = str(form[question.id](params=render_params(question)))
    assert html.index('govuk-checkboxes__divider">or<') < html.index('value="none"')
    assert 'data-behaviour="exclusive"' in html


def test_an_exclusive_option_must_be_the_last_of_a_choices_question(content_copy):
    path = content_copy / "assessments" / "readiness.yaml"
    text = path.read_text()
    path.write_text(
        text.replace("            exclusive: true\n", "            exclusive: true\n            points: 0\n", 0).replace(
            "          - value: all-roles\n", "          - value: all-roles\n            exclusive: true\n", 1
        )
    )
    with pytest.raises(ContentError, match="only a choices question has an exclusive option"):
        load_content(content_copy)


@pytest.mark.parametrize("hostile", ["<script>@x.com", "a@b.com, c@d.com", "Name <a@b.com>", "a..b@x.com", "a@-x.com"])
def test_an_email_question_takes_only_a_real_address(hostile):
    with pytest.raises(AnswerInvalid, match="^Enter an email address in the correct format, like name@example.com$"):
        parse_answer(question("email"), hostile)


def test_an_email_answer_is_stored_as_it_will_be_written_to():
    assert parse_answer(question("email"), " Owner@Example.CO.UK ") == "Owner@example.co.uk"

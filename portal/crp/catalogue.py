"""The rules a carbon reduction plan is checked against, in the order a supplier reads them: each is data (id,
source, message, fix) and its check, from rules.py. Messages, fixes and sources may name settings as {s.name}."""

from .rules import (
    baseline_given,
    baseline_period_twelve_months,
    completed_projects,
    declaration_signed,
    environmental_management,
    figures_plausible,
    net_zero_target,
    planned_projects,
    published,
    reduction_targets,
    reporting_months_match_baseline,
    reporting_period_recent,
    reporting_period_twelve_months,
    reporting_standard,
    scope_1_and_2,
    scope_3_further_categories,
    scope_3_required_categories,
    sign_off_director,
    sign_off_recent,
    zero_explained,
    Rule,
)

PPN = "PPN 006 (which replaced PPN 06/21)"

RULES = (
    Rule(
        "net-zero-target",
        f"{PPN}: a commitment to net zero by 2050 at the latest, for UK operations",
        "Your plan must commit to reaching net zero by {s.net_zero_latest_year} at the latest.",
        "Agree a net zero target year of {s.net_zero_latest_year} or earlier with your directors or owners, state it in "
        "your plan, and give it in the net zero section of this self-assessment. Net zero is not the same as carbon neutral.",
        net_zero_target,
    ),
    Rule(
        "baseline-given",
        f"{PPN}: a baseline year and the emissions in it",
        "Your plan must give a baseline year, the 12 months it covers and the emissions in it.",
        "Choose as your baseline the earliest 12 months you have reliable figures for, usually a financial year, and give "
        "its dates and its emissions. Your baseline year is the year that period starts.",
        baseline_given,
    ),
    Rule(
        "baseline-period-12-months",
        f"{PPN}: emissions reported for a full 12 months",
        "Your baseline period must be a full 12 months.",
        "Check the dates of your baseline period: it should run for a year, for example from 1 April 2019 to 31 March 2020.",
        baseline_period_twelve_months,
    ),
    Rule(
        "reporting-period-12-months",
        f"{PPN}: reporting-year emissions for a full 12 months",
        "Your reporting period must be a full 12 months.",
        "Report the emissions for your most recent complete year, for example your last financial year.",
        reporting_period_twelve_months,
    ),
    Rule(
        "reporting-months-match-baseline",
        f"{PPN}: a reporting period with the same start and end months as the baseline",
        "Your reporting period must start and end in the same months as your baseline period.",
        "Report on the same 12 months of the year as your baseline, so that the two can be compared: if your baseline "
        "ran from April to March, so should your reporting period.",
        reporting_months_match_baseline,
    ),
    Rule(
        "reporting-period-recent",
        f"{PPN}: reporting-year emissions from within the last 12 months",
        "Your reporting period must have ended within the last {s.reporting_period_within_months} months.",
        "Update your plan with the emissions for your most recent complete 12 months, and update it again every year.",
        reporting_period_recent,
    ),
    Rule(
        "reporting-standard",
        f"{PPN} reporting standard: tonnes CO2e for the six Kyoto gases, by the GHG Protocol, "
        "with the UK government's conversion factors",
        "Your figures must be worked out with the Greenhouse Gas Protocol and the UK government's conversion factors.",
        "Work out your emissions in tonnes of CO2e covering the six Kyoto Protocol gases, using the GHG Protocol corporate "
        "standard and the government's greenhouse gas conversion factors for company reporting. Plans that miss the "
        "reporting standard are rejected.",
        reporting_standard,
    ),
    Rule(
        "scope-1-and-2",
        f"{PPN}: Scope 1 and Scope 2 emissions, with a total for each year",
        "Your plan must give Scope 1 and Scope 2 emissions for your baseline year and your reporting year.",
        "Add the missing figures. If a figure is zero or does not apply to you, enter 0 and explain why.",
        scope_1_and_2,
    ),
    Rule(
        "scope-3-required-categories",
        f"{PPN}: Scope 3 categories 4, 5, 6, 7 and 9 for each year",
        "Your plan must give Scope 3 emissions for categories 4, 5, 6, 7 and 9 in both years.",
        "Add the missing categories for your baseline year and your reporting year. If one is zero or does not apply to "
        "you, enter 0 and explain why.",
        scope_3_required_categories,
    ),
    Rule(
        "scope-3-further-categories",
        "Asked for by this council, beyond PPN 006: Scope 3 categories {s.further_categories_text}",
        "Your plan must also report Scope 3 categories {s.further_categories_text}.",
        "Work out your emissions in the categories your plan leaves out, add them to your plan, and tell us which "
        "categories it reports. If a category does not apply to you, say why in your plan.",
        scope_3_further_categories,
    ),
    Rule(
        "zero-explained",
        f"{PPN}: an explanation for any figure that is zero or not applicable",
        "Your plan must explain every figure that is zero or does not apply to you.",
        "Say why each zero is zero: for example, that you own no vehicles and heat your office with electricity, so you "
        "have no Scope 1 emissions.",
        zero_explained,
    ),
    Rule(
        "figures-plausible",
        "Our sense check of the figures: emissions in tonnes CO2e cannot be negative or enormous",
        "Emissions cannot be less than 0 or more than {s.largest_figure_tonnes:,} tonnes CO2e.",
        "Check that each figure is in tonnes of CO2e, not kilograms, and has no extra digits.",
        figures_plausible,
    ),
    Rule(
        "reduction-targets",
        f"{PPN}: emissions reduction targets",
        "Your plan must set targets for cutting your emissions on the way to net zero.",
        "Set at least one interim target, with a year and a percentage cut from your baseline: for example, halving "
        "your emissions by 2030.",
        reduction_targets,
    ),
    Rule(
        "completed-projects",
        f"{PPN}: carbon reduction projects completed since the baseline",
        "Your plan must say what you have already done to cut your emissions.",
        "List what you have done since your baseline year, such as moving to a renewable electricity tariff, and "
        "what it saved if you know.",
        completed_projects,
    ),
    Rule(
        "planned-projects",
        f"{PPN}: carbon reduction projects planned for the future",
        "Your plan must say what you will do next to cut your emissions.",
        "List the projects you plan and when, such as replacing your vans with electric ones by 2028.",
        planned_projects,
    ),
    Rule(
        "environmental-management",
        f"{PPN}: environmental management measures; a plan without them is rejected",
        "Your plan must give the environmental management measures you have in place.",
        "Add the measures you already have, such as a written environmental policy, and any certification you hold or "
        "are working towards, such as ISO 14001.",
        environmental_management,
    ),
    Rule(
        "declaration-signed",
        f"{PPN}: a completed declaration; a plan without one is rejected",
        "Your plan must have a signed declaration.",
        "Ask a director, or a senior leader of equal standing, to review the plan and sign its declaration.",
        declaration_signed,
    ),
    Rule(
        "sign-off-director",
        f"{PPN}: the declaration is signed off by a director or equivalent senior leader",
        "Your plan must be signed off by a director or an equivalent senior leader.",
        "Ask a director, or a senior leader of equal standing such as an owner or partner, to sign the declaration.",
        sign_off_director,
    ),
    Rule(
        "sign-off-recent",
        f"{PPN}: the declaration is signed within the 12 months before the procurement",
        "Your plan must have been signed off within the last {s.sign_off_within_months} months.",
        "Have the plan reviewed and signed off again, and renew the sign-off at least once a year.",
        sign_off_recent,
    ),
    Rule(
        "published",
        f"{PPN}: the plan is published on the supplier's UK website",
        "Your plan must be published on your UK website.",
        "Publish the plan on your website where buyers can find it, keep earlier versions there when you update it, "
        "and give us its web address.",
        published,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}

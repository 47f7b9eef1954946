"""Carbon reduction plans: the plan's facts from a supplier's answers, the rules a plan must meet, and the checker.

Plain Python, testable without Flask: `plan` reads the answers, `rules` states each requirement, `rulesets` loads
the council's choice of rules from content/crp/rulesets.yaml, `checker` applies them, `pdf` prints a plan.
"""

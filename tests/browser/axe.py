"""Run axe-core, from node_modules, in a Playwright page."""

import json

from portal.config import PROJECT_ROOT

AXE_SOURCE = (PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def axe_violations(page) -> list[str]:
    """Each violation as one readable line; evaluate() is not subject to the page's CSP, so axe needs no exemption."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("options => axe.run(document, options)", {"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {json.dumps([n['target'] for n in v['nodes']][:3])}"
        for v in result["violations"]
    ]

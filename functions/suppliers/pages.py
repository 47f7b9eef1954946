"""The supplier's home page: what their address may do here (the contracts they report on, their Charter signature)."""

from flask import g, render_template

from .web import contacts, supplier_blueprint


@supplier_blueprint.get("/")
def home():
    grants = contacts().grants(g.supplier)
    return render_template(
        "supplier/home.html",
        title="Your supplier pages",
        contracts=[grant for grant in grants if grant.kind == "contract"],
        charter=[grant for grant in grants if grant.kind == "charter"],
    )

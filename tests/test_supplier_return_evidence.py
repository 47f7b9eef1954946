"""Evidence on a return: uploaded straight to storage, checked by its content, kept once for the contract and
chosen on any of its returns; the sent return names the files it relied on. On both stores."""

import html
import re
from urllib.parse import urlsplit

from functions.contracts.evidence import ContractFiles
from functions.contracts.returns import Returns
from functions.storage import UploadForm

from .evidence_files import pdf
from .test_supplier_returns import ANSWERS, Q1, Q2, app, clock, contract_id, form_url, page, send_return, sign_in, store  # noqa: F401
from .test_supplier_returns import ann  # noqa: F401
from .uploads import post_upload


def upload(contact, store, evidence_url, filename, data):  # noqa: F811
    """Post a file with the evidence page's signed form, as the browser does, and follow storage's redirect."""
    found = page(contact, evidence_url)
    form = re.search(r'<form method="post" action="([^"]+)" enctype="multipart/form-data"(.*?)</form>', found, re.S)
    fields = {
        html.unescape(n): html.unescape(v) for n, v in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2))
    }
    location = post_upload(store, UploadForm(html.unescape(form.group(1)), fields), filename, data)
    back = urlsplit(location)
    return contact.client.get(f"{back.path}?{back.query}")


def test_a_file_uploaded_from_the_return_is_checked_chosen_sent_and_offered_again(ann, contract_id, store):  # noqa: F811
    saved = ann.post(form_url(contract_id), {"lines-LE01-quantity": "5", "action": "evidence"})
    assert saved.status_code == 303
    evidence_url = f"{urlsplit(saved.headers['Location']).path}?{urlsplit(saved.headers['Location']).query}"
    assert evidence_url == f"/supplier/contracts/{contract_id}/evidence/?period={Q1.id}"
    kept = upload(ann, store, evidence_url, "Payroll summary.pdf", pdf())
    assert kept.status_code == 303
    assert "Payroll summary.pdf has been uploaded" in page(ann, kept.headers["Location"])
    [record] = ContractFiles(store).files(contract_id)
    assert record["by"] == "ann@roadworks.example" and record["content_type"] == "application/pdf"
    assert record["key"] == f"evidence/contracts/{contract_id}/{record['id']}" and store.read(record["key"]) == pdf()
    form = page(ann, form_url(contract_id))
    assert 'value="5"' in form and f'value="{record["id"]}"' in form  # the answers were saved before the upload

    sent = send_return(ann, contract_id, {"lines-LE01-evidence": record["id"]})
    assert sent.status_code == 303
    assert Returns(store).latest(contract_id, Q1.id)["evidence"] == {"LE01": [record["id"]]}
    assert "Payroll summary.pdf" in page(ann, sent.headers["Location"])
    assert f'value="{record["id"]}"' in page(ann, form_url(contract_id, Q2))  # tell us once: offered on the next return


def test_the_same_file_uploaded_again_is_the_one_already_kept(ann, contract_id, store):  # noqa: F811
    evidence_url = f"/supplier/contracts/{contract_id}/evidence/"
    first = upload(ann, store, evidence_url, "Payroll summary.pdf", pdf())
    again = upload(ann, store, evidence_url, "payroll (1).pdf", pdf())
    assert first.status_code == again.status_code == 303
    [record] = ContractFiles(store).files(contract_id)
    assert again.headers["Location"].endswith(f"added={record['id']}")
    assert store.keys(f"evidence/contracts/{contract_id}/") == [record["key"]]  # the second copy is not kept


def test_a_file_that_is_not_what_it_says_is_refused_with_a_message_and_not_kept(ann, contract_id, store):  # noqa: F811
    refused = upload(ann, store, f"/supplier/contracts/{contract_id}/evidence/", "figures.pdf", b"just some text")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "The selected file must be a PDF" in text and "There is a problem" in text
    assert ContractFiles(store).files(contract_id) == [] and store.keys(f"contracts/{contract_id}/evidence/") == []
    assert store.keys(f"evidence/contracts/{contract_id}/") == [] and store.keys(f"uploads/contracts/{contract_id}/") == []


def test_a_file_id_not_the_contracts_is_refused_on_the_return(ann, contract_id, store):  # noqa: F811
    response = ann.post(form_url(contract_id), {**ANSWERS, "lines-LE01-evidence": "f" * 32})
    assert response.status_code == 400 and "Select files uploaded for this contract" in response.get_data(as_text=True)
    assert store.keys(f"contracts/{contract_id}/returns/") == []

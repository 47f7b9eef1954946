"""Evidence files on a contract's returns (filled in with the upload pages below)."""


def contract_files(contract_id) -> list[dict]:
    """Every file uploaded for the contract, to choose from on any of its returns."""
    return []


def files_by_id(contract_id) -> dict:
    return {f["id"]: f for f in contract_files(contract_id)}


def errors(contract_id, form, lines) -> dict:
    """Messages for evidence chosen on the form that is not the contract's."""
    return {}


def chosen(form: dict, checked) -> dict:
    """{measure code: [file ids]} chosen for each line of the checked return."""
    return {}
